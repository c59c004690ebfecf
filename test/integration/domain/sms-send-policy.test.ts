import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import {
  createSmsSendPolicy,
  type SmsSendPolicy,
  type SmsSendRequest,
} from '../../../src/limits/sms-send-policy.js';
import { hashSubject } from '../../../src/limits/subject-hash.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { mobile } from '../../helpers/values.js';
import {
  DEFAULT_LIMITS,
  type FakeClock,
  fakeClock,
  rawContents,
  recording,
  withClockedStore,
} from './domain-test-kit.js';

const MOBILE = mobile('+989121234567');
const ADDRESS = '203.0.113.7';
let nextBinding = 0;
/** A request in a sign-in of its own, so the per-binding cooldown stays out of the way. */
const fresh = (overrides: Partial<SmsSendRequest> = {}): SmsSendRequest => ({
  mobile: MOBILE,
  address: ADDRESS,
  bindingId: `binding-${++nextBinding}`,
  ...overrides,
});

/** One code sent to MOBILE in a new sign-in, and used (which ends the mobile's cooldown). */
async function sendAndUse(policy: SmsSendPolicy): Promise<void> {
  expect(await policy.reserve(fresh())).to.deep.equal({ allowed: true });
  await policy.codeUsed(MOBILE);
}

for (const factory of storeFactories) {
  describe(`SMS send policy: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
    });

    it('allows the first code at once, then a resend only after the cooldown', async () => {
      const policy = createSmsSendPolicy({ store, now: clock.now, limits: DEFAULT_LIMITS.sms });
      const request = fresh();
      expect(await policy.cooldownRemaining(request.bindingId)).to.equal(0);
      expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
      expect(await policy.cooldownRemaining(request.bindingId)).to.be.within(59, 60);
      const refused = await policy.reserve(request);
      expect(refused).to.include({ allowed: false, reason: 'cooldown' });
      expect(refused.allowed === false && refused.retryAfterSeconds).to.be.within(59, 60);
      // A new sign-in for the same mobile waits out the same cooldown: no SMS per new sign-in…
      const other = await policy.reserve(fresh());
      expect(other).to.include({ allowed: false, reason: 'mobile_cooldown' });
      expect(other.allowed === false && other.retryAfterSeconds).to.be.within(59, 60);
      // …until the code sent is used: a step-up right after a sign-in gets its code at once.
      await policy.codeUsed(MOBILE);
      expect(await policy.reserve(fresh())).to.deep.equal({ allowed: true });
    });

    it('of 20 simultaneous new sign-ins for one mobile, one sends a code', async () => {
      const policy = createSmsSendPolicy({ store, now: clock.now, limits: DEFAULT_LIMITS.sms });
      const decisions = await Promise.all(Array.from({ length: 20 }, () => policy.reserve(fresh())));
      expect(decisions.filter((decision) => decision.allowed)).to.have.length(1);
      for (const refused of decisions.filter((decision) => !decision.allowed))
        expect(refused).to.include({ reason: 'mobile_cooldown' });
    });

    it('doubles the cooldown with every resend of one sign-in (real TTLs)', async () => {
      const policy = createSmsSendPolicy({
        store,
        now: clock.now,
        limits: { ...DEFAULT_LIMITS.sms, resendCooldownSeconds: 1 },
      });
      const request = fresh();
      expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
      expect(await policy.reserve(request)).to.include({ reason: 'cooldown' });
      clock.advance(1.1);
      await sleep(1100);
      expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
      expect(await policy.cooldownRemaining(request.bindingId)).to.equal(2);
      expect(await policy.reserve(request)).to.include({ reason: 'cooldown' });
    });

    it('of concurrent resends in one sign-in, exactly one passes', async () => {
      const policy = createSmsSendPolicy({ store, now: clock.now, limits: DEFAULT_LIMITS.sms });
      const request = fresh();
      const decisions = await Promise.all(Array.from({ length: 10 }, () => policy.reserve(request)));
      expect(decisions.filter((decision) => decision.allowed)).to.have.length(1);
    });

    it('caps codes per mobile: 5 an hour, 10 a day', async () => {
      clock.advance(15 * 60); // 10:15, 45 minutes before the hour window closes
      const policy = createSmsSendPolicy({ store, now: clock.now, limits: DEFAULT_LIMITS.sms });
      for (let i = 0; i < 5; i++) await sendAndUse(policy);
      expect(await policy.reserve(fresh())).to.deep.equal({
        allowed: false,
        reason: 'mobile_hour',
        retryAfterSeconds: 45 * 60,
      });
      // Other mobiles are unaffected.
      expect(await policy.reserve(fresh({ mobile: mobile('+989351112233') }))).to.deep.equal({
        allowed: true,
      });

      clock.advance(3600);
      for (let i = 0; i < 5; i++) await sendAndUse(policy);
      clock.advance(3600);
      const refused = await policy.reserve(fresh());
      expect(refused).to.include({ allowed: false, reason: 'mobile_day' });
      // 12:15 UTC: the day window ends at midnight UTC.
      expect(refused.allowed === false && refused.retryAfterSeconds).to.equal(11 * 3600 + 45 * 60);
      clock.advance(12 * 3600);
      expect(await policy.reserve(fresh())).to.deep.equal({ allowed: true });
    });

    it('caps codes per client address', async () => {
      const policy = createSmsSendPolicy({
        store,
        now: clock.now,
        limits: { ...DEFAULT_LIMITS.sms, perAddressPerHour: 3 },
      });
      for (let i = 0; i < 3; i++) {
        expect(await policy.reserve(fresh({ mobile: mobile(`+98912000000${i}`) }))).to.deep.equal({
          allowed: true,
        });
      }
      expect(await policy.reserve(fresh({ mobile: mobile('+989120000009') }))).to.include({
        reason: 'address',
      });
      expect(
        await policy.reserve(fresh({ mobile: mobile('+989120000009'), address: '2001:db8::1' })),
      ).to.deep.equal({
        allowed: true,
      });
    });

    it('caps all codes together with a global budget', async () => {
      const policy = createSmsSendPolicy({
        store,
        now: clock.now,
        limits: { ...DEFAULT_LIMITS.sms, globalPerHour: 2 },
      });
      const request = (i: number) =>
        fresh({ mobile: mobile(`+98912000000${i}`), address: `198.51.100.${i}` });
      expect(await policy.reserve(request(1))).to.deep.equal({ allowed: true });
      expect(await policy.reserve(request(2))).to.deep.equal({ allowed: true });
      expect(await policy.reserve(request(3))).to.deep.equal({
        allowed: false,
        reason: 'global',
        retryAfterSeconds: 3600,
      });
    });

    it('a refused reservation spends no quota anywhere and starts no cooldown', async () => {
      const limits = { ...DEFAULT_LIMITS.sms, perMobilePerHour: 1, perAddressPerHour: 2, globalPerHour: 3 };
      const policy = createSmsSendPolicy({ store, now: clock.now, limits });
      await sendAndUse(policy); // address 1, global 1
      const refusedRequest = fresh();
      for (let i = 0; i < 5; i++)
        expect(await policy.reserve(refusedRequest)).to.include({ reason: 'mobile_hour' });
      expect(await policy.cooldownRemaining(refusedRequest.bindingId)).to.equal(0);
      // Address and global still have room: the refusals above took nothing from them.
      expect(await policy.reserve(fresh({ mobile: mobile('+989351112233') }))).to.deep.equal({
        allowed: true,
      });
      expect(await policy.reserve(fresh({ mobile: mobile('+989351112244') }))).to.include({
        reason: 'address',
      });
      expect(
        await policy.reserve(fresh({ mobile: mobile('+989351112255'), address: '198.51.100.1' })),
      ).to.deep.equal({
        allowed: true,
      });
      // Refused by the global budget: that mobile's own hour window stays unspent.
      const other = { mobile: mobile('+989351112266'), address: '198.51.100.2' };
      expect(await policy.reserve(fresh(other))).to.include({ reason: 'global' });
      const roomier = createSmsSendPolicy({
        store,
        now: clock.now,
        limits: { ...limits, globalPerHour: 10 },
      });
      expect(await roomier.reserve(fresh(other))).to.deep.equal({ allowed: true });
    });

    it('release gives the reservation back: counts and cooldown', async () => {
      const policy = createSmsSendPolicy({
        store,
        now: clock.now,
        limits: { ...DEFAULT_LIMITS.sms, perMobilePerHour: 1 },
      });
      const request = fresh();
      for (let i = 0; i < 3; i++) {
        expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
        // The SMS gateway failed: nothing went out.
        await policy.release(request);
        expect(await policy.cooldownRemaining(request.bindingId)).to.equal(0);
      }
      expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
      // The cooldown did not grow for the sends that never left.
      expect(await policy.cooldownRemaining(request.bindingId)).to.be.within(59, 60);
      await policy.codeUsed(MOBILE);
      expect(await policy.reserve(fresh())).to.include({ reason: 'mobile_hour' });
    });

    it('a release after the window closed does not create credit', async () => {
      const policy = createSmsSendPolicy({
        store,
        now: clock.now,
        limits: { ...DEFAULT_LIMITS.sms, perMobilePerHour: 1 },
      });
      const request = fresh();
      await policy.reserve(request);
      clock.advance(3600);
      await policy.release(request);
      await sendAndUse(policy);
      expect(await policy.reserve(fresh())).to.include({ reason: 'mobile_hour' });
    });

    it('keys the mobile by its E.164 form, as ever, however it was typed', async () => {
      const policy = createSmsSendPolicy({
        store,
        now: clock.now,
        subjectKey: 'test-secret',
        limits: DEFAULT_LIMITS.sms,
      });
      const request = fresh({ mobile: mobile('۰۹۱۲ ۱۲۳ ۴۵۶۷') });
      expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
      const key = `sms:{sms}:cooldown:mobile:${hashSubject('mobile', '+989121234567', 'test-secret')}`;
      expect(await store.get(key)).to.equal(request.bindingId);
    });

    it('keeps mobile numbers and addresses out of the store', async () => {
      const recorded = recording(store);
      const policy = createSmsSendPolicy({
        store: recorded,
        now: clock.now,
        subjectKey: 'test-secret',
        limits: DEFAULT_LIMITS.sms,
      });
      await sendAndUse(policy);
      await policy.reserve(fresh({ address: '2001:db8::42' }));
      const raw = await rawContents(recorded);
      expect(recorded.writes.length).to.be.greaterThan(4);
      for (const secret of ['9121234567', ADDRESS, '2001:db8::42']) expect(raw).to.not.include(secret);
    });
  });
}

describe('SMS send policy: cooldown growth with the default limits', () => {
  it('60 s, 120 s, 240 s … up to the maximum', async () => {
    const clock = fakeClock();
    const store = new MemoryStore(clock.now);
    const policy = createSmsSendPolicy({
      store,
      now: clock.now,
      limits: { ...DEFAULT_LIMITS.sms, perMobilePerHour: 100, perMobilePerDay: 100 },
    });
    const request = fresh();
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      expect(await policy.reserve(request)).to.deep.equal({ allowed: true });
      const cooldown = await policy.cooldownRemaining(request.bindingId);
      seen.push(cooldown);
      clock.advance(cooldown);
    }
    expect(seen).to.deep.equal([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    await store.close();
  });
});
