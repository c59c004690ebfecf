import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createAccountRepository } from '../../../src/accounts/account-repository.js';
import { createIdentityVerification } from '../../../src/accounts/identity-verification.js';
import { createPersonalDataCipher } from '../../../src/accounts/personal-data-cipher.js';
import {
  type IdentityService,
  IdentityServiceUnavailableError,
  type Person,
  type RegistryResult,
} from '../../../src/identity/identity-service.js';
import { createIdentityCheckPolicy } from '../../../src/limits/identity-check-policy.js';
import type { Store } from '../../../src/store/store.js';
import { BirthDate } from '../../../src/validation/birth-date.js';
import type { Mobile } from '../../../src/validation/mobile.js';
import type { NationalCode } from '../../../src/validation/national-code.js';
import { storeFactories } from '../../helpers/stores.js';
import { mobile, nationalCode } from '../../helpers/values.js';
import { type FakeClock, withClockedStore } from './domain-test-kit.js';

const NATIONAL_CODE = '0499370899';
const person: Person = {
  firstName: 'علی',
  lastName: 'رضایی',
  fatherName: 'محمد',
  gender: 'male',
  birthDate: '1370/05/14',
  alive: true,
};
const input = {
  mobile: mobile('۰۹۱۲۱۲۳۴۵۶۷'),
  nationalCode: nationalCode('۰۴۹۹۳۷۰۸۹۹'),
  birthDate: BirthDate.parse('۱۳۷۰/۵/۱۴', Date.now)!,
};

/** An identity service whose answers each test sets, recording every question. */
class FakeIdentityService implements IdentityService {
  owns: boolean | Error = true;
  registry: RegistryResult | Error = { matched: true, person };
  readonly calls: string[] = [];

  async checkMobileOwnership(nationalCode: NationalCode, mobile: Mobile): Promise<boolean> {
    this.calls.push(`ownership ${nationalCode.value} ${mobile.national}`);
    if (this.owns instanceof Error) throw this.owns;
    return this.owns;
  }

  async inquireCivilRegistry(nationalCode: NationalCode, birthDate: BirthDate): Promise<RegistryResult> {
    this.calls.push(`registry ${nationalCode.value} ${birthDate.jalali}`);
    if (this.registry instanceof Error) throw this.registry;
    return this.registry;
  }
}

for (const factory of storeFactories) {
  describe(`identity verification: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    let identityService: FakeIdentityService;
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
      identityService = new FakeIdentityService();
    });

    function build(limits = { perMobilePerDay: 5, perNationalCodePerDay: 5 }) {
      const cipher = createPersonalDataCipher({
        keys: [{ id: 'k1', key: randomBytes(32) }],
        indexKey: randomBytes(32),
      });
      const accounts = createAccountRepository({ store, cipher, now: clock.now });
      const identityCheckPolicy = createIdentityCheckPolicy({ store, now: clock.now, limits });
      const verification = createIdentityVerification({
        identityService,
        accounts,
        identityCheckPolicy,
        source: 'test',
        now: clock.now,
      });
      return { accounts, verification };
    }

    it('checks ownership, then the registry, then saves the account', async () => {
      const { accounts, verification } = build();
      const result = await verification.verify(input);
      expect(identityService.calls).to.deep.equal([
        `ownership ${NATIONAL_CODE} 09121234567`,
        `registry ${NATIONAL_CODE} 1370/05/14`,
      ]);
      if (!result.ok) throw new Error(`expected success, got ${result.reason}`);
      expect(result.account).to.deep.include({ mobile: '+989121234567', nationalCode: NATIONAL_CODE });
      expect(result.account.person).to.deep.equal({
        firstName: 'علی',
        lastName: 'رضایی',
        fatherName: 'محمد',
        gender: 'male',
        birthDateJalali: '1370/05/14',
      });
      // The evidence's check times and a random reference of this verification (no personal data).
      const seconds = Math.floor(clock.now() / 1000);
      expect(result.account.verification).to.deep.equal({
        checks: ['mobile_ownership', 'civil_registry'],
        source: 'test',
        id: result.account.verification.id,
        checkedAt: { mobile_ownership: seconds, civil_registry: seconds },
      });
      expect(result.account.verification.id).to.match(/^[A-Za-z0-9_-]{16}$/);
      expect(await accounts.findByMobile(mobile('+989121234567'))).to.deep.equal(result.account);
    });

    it('a mobile registered to someone else: mobile_not_owned, no registry query, no account', async () => {
      const { accounts, verification } = build();
      identityService.owns = false;
      expect(await verification.verify(input)).to.deep.equal({ ok: false, reason: 'mobile_not_owned' });
      expect(identityService.calls).to.have.length(1);
      expect(await accounts.findByNationalCode(nationalCode(NATIONAL_CODE))).to.equal(null);
    });

    it('no registry match: registry_mismatch, no account', async () => {
      const { accounts, verification } = build();
      identityService.registry = { matched: false };
      expect(await verification.verify(input)).to.deep.equal({ ok: false, reason: 'registry_mismatch' });
      expect(await accounts.findByMobile(mobile('+989121234567'))).to.equal(null);
    });

    it('a deceased person: deceased, no account', async () => {
      const { accounts, verification } = build();
      identityService.registry = { matched: true, person: { ...person, alive: false } };
      expect(await verification.verify(input)).to.deep.equal({ ok: false, reason: 'deceased' });
      expect(await accounts.findByNationalCode(nationalCode(NATIONAL_CODE))).to.equal(null);
    });

    it('an upstream failure is "unavailable", never a mismatch, and costs no check', async () => {
      const { accounts, verification } = build({ perMobilePerDay: 1, perNationalCodePerDay: 1 });
      identityService.owns = new IdentityServiceUnavailableError('down', { reason: 'timeout' });
      expect(await verification.verify(input)).to.deep.equal({ ok: false, reason: 'unavailable' });
      identityService.owns = true;
      identityService.registry = new Error('a bug in the client');
      expect(await verification.verify(input)).to.deep.equal({ ok: false, reason: 'unavailable' });
      expect(await accounts.findByNationalCode(nationalCode(NATIONAL_CODE))).to.equal(null);
      // Both failed checks were given back: the single allowed check is still there.
      identityService.registry = { matched: true, person };
      expect(await verification.verify(input)).to.include({ ok: true });
    });

    it('caps checks: identity_checks with a retry time, without asking upstream', async () => {
      const { verification } = build({ perMobilePerDay: 2, perNationalCodePerDay: 5 });
      identityService.owns = false;
      await verification.verify(input);
      await verification.verify(input);
      const calls = identityService.calls.length;
      const refused = await verification.verify(input);
      expect(refused).to.deep.equal({ ok: false, reason: 'identity_checks', retryAfterSeconds: 14 * 3600 });
      expect(identityService.calls).to.have.length(calls);
    });
  });
}
