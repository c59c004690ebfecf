import { expect } from 'chai';
import { createIdentityCheckPolicy } from '../../../src/limits/identity-check-policy.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { mobile, nationalCode } from '../../helpers/values.js';
import {
  DEFAULT_LIMITS,
  type FakeClock,
  rawContents,
  recording,
  withClockedStore,
} from './domain-test-kit.js';

const MOBILE = mobile('+989121234567');
const NATIONAL_CODE = '0499370899';

for (const factory of storeFactories) {
  describe(`identity check policy: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    // The clock starts at 10:00 UTC: 14 hours before the day window closes.
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
    });

    it('allows 5 checks a day per mobile, then refuses until the next day', async () => {
      const policy = createIdentityCheckPolicy({
        store,
        now: clock.now,
        limits: DEFAULT_LIMITS.identityChecks,
      });
      const codes = ['0013542419', '1234567891', '1000000060', '8124158681', '3170669079', '0636083772'].map(
        nationalCode,
      );
      for (const nationalCode of codes.slice(0, 5)) {
        expect(await policy.reserve({ mobile: MOBILE, nationalCode })).to.deep.equal({ allowed: true });
      }
      expect(await policy.reserve({ mobile: MOBILE, nationalCode: codes[5]! })).to.deep.equal({
        allowed: false,
        reason: 'identity_checks',
        retryAfterSeconds: 14 * 3600,
      });
      clock.advance(14 * 3600);
      expect(await policy.reserve({ mobile: MOBILE, nationalCode: codes[5]! })).to.deep.equal({
        allowed: true,
      });
    });

    it('allows 5 checks a day per national code, whatever the mobile', async () => {
      const policy = createIdentityCheckPolicy({
        store,
        now: clock.now,
        limits: DEFAULT_LIMITS.identityChecks,
      });
      for (let i = 0; i < 5; i++) {
        expect(
          await policy.reserve({
            mobile: mobile(`+98912000000${i}`),
            nationalCode: nationalCode(NATIONAL_CODE),
          }),
        ).to.deep.equal({
          allowed: true,
        });
      }
      expect(
        await policy.reserve({ mobile: mobile('+989120000009'), nationalCode: nationalCode(NATIONAL_CODE) }),
      ).to.include({
        allowed: false,
        reason: 'identity_checks',
      });
    });

    it('a refused check spends nothing; a released one is given back', async () => {
      const policy = createIdentityCheckPolicy({
        store,
        now: clock.now,
        limits: { perMobilePerDay: 2, perNationalCodePerDay: 1 },
      });
      expect(
        await policy.reserve({ mobile: MOBILE, nationalCode: nationalCode(NATIONAL_CODE) }),
      ).to.deep.equal({
        allowed: true,
      });
      // Refused by the national code: the mobile's count must stay at 1.
      expect(await policy.reserve({ mobile: MOBILE, nationalCode: nationalCode(NATIONAL_CODE) })).to.include({
        allowed: false,
      });
      expect(
        await policy.reserve({ mobile: MOBILE, nationalCode: nationalCode('0013542419') }),
      ).to.deep.equal({
        allowed: true,
      });
      expect(await policy.reserve({ mobile: MOBILE, nationalCode: nationalCode('1234567891') })).to.include({
        allowed: false,
      });
      // The upstream failed for the last allowed check: give it back.
      await policy.release({ mobile: MOBILE, nationalCode: nationalCode('0013542419') });
      expect(
        await policy.reserve({ mobile: MOBILE, nationalCode: nationalCode('1234567891') }),
      ).to.deep.equal({
        allowed: true,
      });
    });

    it('keeps mobiles and national codes out of the store', async () => {
      const recorded = recording(store);
      const policy = createIdentityCheckPolicy({
        store: recorded,
        now: clock.now,
        subjectKey: 'test-secret',
        limits: DEFAULT_LIMITS.identityChecks,
      });
      await policy.reserve({ mobile: MOBILE, nationalCode: nationalCode(NATIONAL_CODE) });
      const raw = await rawContents(recorded);
      for (const secret of ['9121234567', NATIONAL_CODE]) expect(raw).to.not.include(secret);
    });
  });
}
