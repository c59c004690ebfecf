import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { AccountPerson } from '../../../src/accounts/account.js';
import { createAccountRepository } from '../../../src/accounts/account-repository.js';
import { createPersonalDataCipher, SealedDataError } from '../../../src/accounts/personal-data-cipher.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { mobile, nationalCode } from '../../helpers/values.js';
import {
  type FakeClock,
  type RecordingStore,
  rawContents,
  recording,
  withClockedStore,
} from './domain-test-kit.js';

const ali: AccountPerson = {
  firstName: 'علی',
  lastName: 'رضایی',
  fatherName: 'محمد',
  gender: 'male',
  birthDateJalali: '1370/05/14',
};
const sara: AccountPerson = {
  firstName: 'سارا',
  lastName: 'احمدی',
  fatherName: 'حسین',
  gender: 'female',
  birthDateJalali: '1365/11/02',
};
const ALI = {
  mobile: mobile('+989121234567'),
  nationalCode: nationalCode('0499370899'),
  person: ali,
  source: 'simulator',
};
const SARA = {
  mobile: mobile('+989351112233'),
  nationalCode: nationalCode('0013542419'),
  person: sara,
  source: 'simulator',
};
const NEW_MOBILE = mobile('+989191112222');

const key2024 = { id: 'k2024', key: randomBytes(32) };
const key2025 = { id: 'k2025', key: randomBytes(32) };
const indexKey = randomBytes(32);
const cipher = createPersonalDataCipher({ keys: [key2024], indexKey });

for (const factory of storeFactories) {
  describe(`account repository: ${factory.name}`, () => {
    let store: RecordingStore;
    let clock: FakeClock;
    let inner: Store;
    withClockedStore(factory, (fresh) => {
      ({ store: inner, clock } = fresh);
      store = recording(inner);
    });

    const repository = (options: { store?: Store; cipher?: typeof cipher } = {}) =>
      createAccountRepository({
        store: options.store ?? store,
        cipher: options.cipher ?? cipher,
        now: clock.now,
      });

    it('creates a verified account and finds it by sub, mobile and national code', async () => {
      const accounts = repository();
      const account = await accounts.saveVerified(ALI);
      expect(account.sub).to.match(/^[A-Za-z0-9_-]{22,}$/);
      const seconds = Math.floor(clock.now() / 1000);
      expect(account).to.deep.equal({
        sub: account.sub,
        mobile: ALI.mobile.e164,
        nationalCode: ALI.nationalCode.value,
        person: ali,
        verifiedAt: seconds,
        verification: {
          checks: ['mobile_ownership', 'civil_registry'],
          source: 'simulator',
          id: account.verification.id,
          checkedAt: { mobile_ownership: seconds, civil_registry: seconds },
        },
        createdAt: seconds,
        updatedAt: seconds,
      });
      expect(account.verification.id).to.be.a('string').and.not.include(account.sub);
      expect(await accounts.findBySub(account.sub)).to.deep.equal(account);
      expect(await accounts.findByMobile(ALI.mobile)).to.deep.equal(account);
      expect(await accounts.findByMobile(mobile('۰۹۱۲ ۱۲۳ ۴۵۶۷'))).to.deep.equal(account);
      // The index is keyed by the E.164 form, as ever: accounts stored before still resolve.
      expect(await store.get(`account:mobile:${cipher.blindIndex('mobile:+989121234567')}`)).to.equal(
        account.sub,
      );
      expect(await accounts.findByNationalCode(ALI.nationalCode)).to.deep.equal(account);
      expect(await accounts.findBySub('unknown-sub-unknown-sub')).to.equal(null);
      expect(await accounts.findByMobile(SARA.mobile)).to.equal(null);
      expect(await accounts.findByNationalCode(SARA.nationalCode)).to.equal(null);
    });

    it('deletes an account with its lookup indexes, leaving another person’s untouched', async () => {
      const accounts = repository();
      const deleted = await accounts.saveVerified(ALI);
      const kept = await accounts.saveVerified(SARA);
      expect(await accounts.delete(deleted.sub)).to.equal(true);
      expect(await accounts.findBySub(deleted.sub)).to.equal(null);
      expect(await accounts.findByMobile(ALI.mobile)).to.equal(null);
      expect(await accounts.findByNationalCode(ALI.nationalCode)).to.equal(null);
      expect(await accounts.findByMobile(SARA.mobile)).to.deep.equal(kept);
      expect(await accounts.delete(deleted.sub)).to.equal(false);
      // The index keys themselves are gone, not only unused.
      const live: string[] = [];
      for (const key of new Set(store.writes.map((write) => write.key)))
        if (key.startsWith('account:') && (await inner.get(key)) !== null) live.push(key);
      expect(live, 'Sara’s record and her two indexes').to.have.length(3);
      // Verifying again later makes a new account (a new sub).
      const again = await accounts.saveVerified(ALI);
      expect(again.sub).to.not.equal(deleted.sub);
    });

    it('gives a random sub, never one derived from the national code', async () => {
      const first = await repository().saveVerified(ALI);
      const elsewhere = await factory.create();
      try {
        const second = await createAccountRepository({ store: elsewhere, cipher }).saveVerified(ALI);
        expect(second.sub).to.not.equal(first.sub);
      } finally {
        await elsewhere.close();
      }
      expect(first.sub).to.not.include(ALI.nationalCode.value);
    });

    it('re-verification keeps the sub and creation time and updates the data', async () => {
      const accounts = repository();
      const first = await accounts.saveVerified(ALI);
      clock.advance(3600);
      const renamed = { ...ali, lastName: 'رضائی' };
      const second = await accounts.saveVerified({ ...ALI, person: renamed, source: 'identity-service' });
      expect(second.sub).to.equal(first.sub);
      expect(second.createdAt).to.equal(first.createdAt);
      expect(second.updatedAt).to.equal(first.updatedAt + 3600);
      expect(second.verifiedAt).to.equal(first.verifiedAt + 3600);
      expect(second.person.lastName).to.equal('رضائی');
      expect(second.verification.source).to.equal('identity-service');
      expect(await accounts.findByMobile(ALI.mobile)).to.deep.equal(second);
    });

    it('a new mobile for the same national code moves the binding, never a second account', async () => {
      const accounts = repository();
      const first = await accounts.saveVerified(ALI);
      const moved = await accounts.saveVerified({ ...ALI, mobile: NEW_MOBILE });
      expect(moved.sub).to.equal(first.sub);
      expect(moved.mobile).to.equal(NEW_MOBILE.e164);
      expect(await accounts.findByMobile(NEW_MOBILE)).to.deep.equal(moved);
      expect(await accounts.findByMobile(ALI.mobile)).to.equal(null);
      expect(await accounts.findByNationalCode(ALI.nationalCode)).to.deep.equal(moved);
      // The old mobile's index is gone, not just ignored.
      expect(await store.get(`account:mobile:${cipher.blindIndex(`mobile:${ALI.mobile.e164}`)}`)).to.equal(
        null,
      );
      const accountKeys = new Set(
        store.writes.map((write) => write.key).filter((key) => /^account:[^:]+$/.test(key)),
      );
      expect(accountKeys.size).to.equal(1);
    });

    it("a mobile re-verified for another person is taken from the previous holder's account", async () => {
      const accounts = repository();
      const aliAccount = await accounts.saveVerified(ALI);
      // Ali's old number now belongs to Sara (the operator says so: ownership was just checked).
      const saraAccount = await accounts.saveVerified({ ...SARA, mobile: ALI.mobile });
      expect(saraAccount.sub).to.not.equal(aliAccount.sub);
      expect(await accounts.findByMobile(ALI.mobile)).to.deep.equal(saraAccount);
      const aliNow = await accounts.findByNationalCode(ALI.nationalCode);
      expect(aliNow?.sub).to.equal(aliAccount.sub);
      expect(aliNow?.mobile).to.equal(null);
      expect(aliNow?.person).to.deep.equal(ali);
      // Ali verifies again with his new number: same account, new binding; Sara keeps hers.
      const aliAgain = await accounts.saveVerified({ ...ALI, mobile: NEW_MOBILE });
      expect(aliAgain.sub).to.equal(aliAccount.sub);
      expect(await accounts.findByMobile(NEW_MOBILE)).to.deep.equal(aliAgain);
      expect(await accounts.findByMobile(ALI.mobile)).to.deep.equal(saraAccount);
    });

    it('ignores an index whose account is gone or says otherwise', async () => {
      const accounts = repository();
      const aliAccount = await accounts.saveVerified(ALI);
      const saraAccount = await accounts.saveVerified(SARA);
      // An index pointing at an account with another mobile (as a half-finished move leaves it).
      await store.set(`account:mobile:${cipher.blindIndex(`mobile:${ALI.mobile.e164}`)}`, saraAccount.sub);
      expect(await accounts.findByMobile(ALI.mobile)).to.equal(null);
      await store.set(
        `account:nc:${cipher.blindIndex(`national-code:${ALI.nationalCode.value}`)}`,
        saraAccount.sub,
      );
      expect(await accounts.findByNationalCode(ALI.nationalCode)).to.equal(null);
      // An index pointing at nothing.
      await store.delete(`account:${saraAccount.sub}`);
      expect(await accounts.findByMobile(SARA.mobile)).to.equal(null);
      expect(await accounts.findByNationalCode(SARA.nationalCode)).to.equal(null);
      // Verifying again takes the stale indexes over.
      const repaired = await accounts.saveVerified(SARA);
      expect(await accounts.findByNationalCode(SARA.nationalCode)).to.deep.equal(repaired);
      expect(await accounts.findByMobile(SARA.mobile)).to.deep.equal(repaired);
      expect(await accounts.findBySub(aliAccount.sub)).to.include({ nationalCode: ALI.nationalCode.value });
    });

    it('a crash before the indexes are written leaves no index pointing to nothing', async () => {
      // A store that fails every index write: the account record is written, nothing else.
      const failingIndexes = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property !== 'set' && property !== 'setIfAbsent') return value;
          return async (key: string, ...rest: unknown[]) => {
            if (key.startsWith('account:mobile:') || key.startsWith('account:nc:')) throw new Error('crash');
            return (value as (...args: unknown[]) => Promise<unknown>).call(target, key, ...rest);
          };
        },
      });
      let thrown: unknown;
      try {
        await repository({ store: failingIndexes }).saveVerified(ALI);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      const accounts = repository();
      expect(await accounts.findByMobile(ALI.mobile)).to.equal(null);
      expect(await accounts.findByNationalCode(ALI.nationalCode)).to.equal(null);
      // The retry succeeds and is the only account the indexes know.
      const saved = await accounts.saveVerified(ALI);
      expect(await accounts.findByMobile(ALI.mobile)).to.deep.equal(saved);
      expect(await accounts.findByNationalCode(ALI.nationalCode)).to.deep.equal(saved);
    });

    it('concurrent first verifications of one person make one account', async () => {
      const accounts = repository();
      const saved = await Promise.all(Array.from({ length: 5 }, () => accounts.saveVerified(ALI)));
      const subs = new Set(saved.map((account) => account.sub));
      expect(subs.size).to.equal(1);
      expect((await accounts.findByNationalCode(ALI.nationalCode))?.sub).to.equal(saved[0]?.sub);
      expect((await accounts.findByMobile(ALI.mobile))?.sub).to.equal(saved[0]?.sub);
    });

    it('keeps national codes, mobiles and names out of the store', async () => {
      const accounts = repository();
      await accounts.saveVerified(ALI);
      await accounts.saveVerified({ ...SARA, mobile: ALI.mobile });
      await accounts.saveVerified({ ...ALI, mobile: NEW_MOBILE });
      const raw = await rawContents(store);
      expect(raw).to.include('v1.k2024.');
      for (const secret of [
        ALI.nationalCode.value,
        SARA.nationalCode.value,
        '9121234567',
        '9351112233',
        '9191112222',
        ...Object.values(ali),
        ...Object.values(sara),
      ].filter((value) => value !== 'male' && value !== 'female')) {
        expect(raw, secret).to.not.include(secret);
      }
    });

    it('a record that does not open is an error, not a missing account', async () => {
      const accounts = repository();
      const aliAccount = await accounts.saveVerified(ALI);
      const saraAccount = await accounts.saveVerified(SARA);
      // Sara's sealed record copied over Ali's: it is bound to Sara's sub and does not open.
      await store.set(`account:${aliAccount.sub}`, (await store.get(`account:${saraAccount.sub}`)) as string);
      let thrown: unknown;
      try {
        await accounts.findByNationalCode(ALI.nationalCode);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(SealedDataError);
    });

    it('key rotation: old records open with the new key list and are re-sealed on save', async () => {
      const before = repository();
      const account = await before.saveVerified(ALI);
      const rotated = createPersonalDataCipher({ keys: [key2025, key2024], indexKey });
      const after = repository({ cipher: rotated });
      expect(await after.findByMobile(ALI.mobile)).to.deep.equal(account);
      await after.saveVerified(ALI);
      expect(await store.get(`account:${account.sub}`)).to.match(/^v1\.k2025\./);
      const newKeyOnly = repository({ cipher: createPersonalDataCipher({ keys: [key2025], indexKey }) });
      expect((await newKeyOnly.findBySub(account.sub))?.nationalCode).to.equal(ALI.nationalCode.value);
    });
  });
}
