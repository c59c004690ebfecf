import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  AUTHENTICATOR_FLAGS,
  createSoftwareAuthenticator,
  type SoftwarePasskey,
} from '../../../scripts/lib/software-authenticator.js';
import { createPersonalDataCipher } from '../../../src/accounts/personal-data-cipher.js';
import { createPasskeyChallenges } from '../../../src/passkeys/passkey-challenges.js';
import { createPasskeyCredentials } from '../../../src/passkeys/passkey-credentials.js';
import { createPasskeyService, type PasskeyService } from '../../../src/passkeys/passkey-service.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { type FakeClock, withClockedStore } from './domain-test-kit.js';

const ISSUER = 'https://id.example.ir';
const ORIGIN = 'https://id.example.ir';
const LIMITS = { max: 5, windowSeconds: 900 };
const cipher = createPersonalDataCipher({
  keys: [{ id: 'k1', key: randomBytes(32) }],
  indexKey: randomBytes(32),
});

/**
 * The WebAuthn ceremonies against a software authenticator that can lie, on both stores: what a
 * browser's answer must carry to be accepted, and that challenges, counters and the failure limit
 * hold when the same answer comes many times at once.
 */
for (const factory of storeFactories) {
  describe(`passkey service: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => ({ store, clock } = fresh));

    const service = (issuer = ISSUER): PasskeyService =>
      createPasskeyService({
        issuer,
        rpName: 'Darvaze',
        credentials: createPasskeyCredentials(store, cipher),
        challenges: createPasskeyChallenges(store),
        store,
        attemptLimits: LIMITS,
        now: clock.now,
      });
    const authenticator = createSoftwareAuthenticator();

    /** Enrols a passkey for `sub` and returns it. */
    const enrol = async (passkeys: PasskeyService, sub = 'sub-ali', name = 'Pixel') => {
      const options = await passkeys.registrationOptions({ sub, userName: 'Ali' }, `enrol-${sub}`);
      const made = authenticator.register(options, { origin: ORIGIN });
      const result = await passkeys.verifyRegistration(sub, `enrol-${sub}`, made.response, name);
      expect(result.ok, JSON.stringify(result)).to.equal(true);
      return made.passkey;
    };
    const signIn = async (
      passkeys: PasskeyService,
      passkey: SoftwarePasskey,
      binding: string,
      ceremony: { origin?: string; flags?: number; counter?: number } = {},
    ) => {
      const options = await passkeys.authenticationOptions(binding);
      const response = authenticator.assert(passkey, options, { origin: ORIGIN, ...ceremony });
      return passkeys.verifyAuthentication(binding, response);
    };

    it('enrols a passkey and signs in with it: counter and last use recorded, name kept', async () => {
      const passkeys = service();
      const passkey = await enrol(passkeys);
      clock.advance(60);
      const result = await signIn(passkeys, passkey, 'sign-in-1');
      expect(result.ok).to.equal(true);
      if (!result.ok) return;
      expect(result.credential.sub).to.equal('sub-ali');
      expect(result.credential.name).to.equal('Pixel');
      expect(result.credential.counter).to.equal(1);
      expect(result.credential.lastUsedAt).to.equal(Math.floor(clock.now() / 1000));
      expect(result.credential.deviceType).to.equal('singleDevice');
    });

    it('a second device: one account holds two passkeys, each signs in', async () => {
      const passkeys = service();
      const phone = await enrol(passkeys, 'sub-ali', 'phone');
      const laptop = await enrol(passkeys, 'sub-ali', 'laptop');
      expect(
        (await createPasskeyCredentials(store, cipher).listFor('sub-ali')).map((c) => c.name).sort(),
      ).to.deep.equal(['laptop', 'phone']);
      expect((await signIn(passkeys, phone, 'a')).ok).to.equal(true);
      expect((await signIn(passkeys, laptop, 'b')).ok).to.equal(true);
    });

    it('one node issues the challenge, another verifies the answer (one shared store)', async () => {
      const nodeA = service();
      const nodeB = service();
      const passkey = await enrol(nodeA);
      const options = await nodeA.authenticationOptions('cross-node');
      const response = authenticator.assert(passkey, options, { origin: ORIGIN });
      expect((await nodeB.verifyAuthentication('cross-node', response)).ok).to.equal(true);
    });

    it('refuses an answer made for another origin, without user verification, or for another relying party', async () => {
      const passkeys = service();
      const passkey = await enrol(passkeys);
      expect(await signIn(passkeys, passkey, 'o', { origin: 'https://id.example.ir.evil.com' })).to.include({
        ok: false,
        reason: 'refused',
      });
      expect(await signIn(passkeys, passkey, 'uv', { flags: AUTHENTICATOR_FLAGS.UP })).to.include({
        ok: false,
        reason: 'refused',
      });
      // Options of a provider at another host: the authenticator signs for that relying party.
      const other = service('https://other.example.ir');
      const options = await other.authenticationOptions('rp');
      const forOther = authenticator.assert(passkey, options, { origin: ORIGIN });
      await passkeys.authenticationOptions('rp');
      expect(await passkeys.verifyAuthentication('rp', forOther)).to.include({
        ok: false,
        reason: 'refused',
      });
      // And the honest answer still works: the refusals above were the lies'.
      expect((await signIn(passkeys, passkey, 'ok')).ok).to.equal(true);
    });

    it('refuses an assertion whose counter went back: a cloned authenticator', async () => {
      const passkeys = service();
      const passkey = await enrol(passkeys);
      expect((await signIn(passkeys, passkey, 'one', { counter: 10 })).ok).to.equal(true);
      expect(await signIn(passkeys, passkey, 'two', { counter: 4 })).to.include({
        ok: false,
        reason: 'cloned',
      });
    });

    it('an answer with no challenge issued (or already used) is expired; an unknown credential is unknown', async () => {
      const passkeys = service();
      const passkey = await enrol(passkeys);
      const options = await passkeys.authenticationOptions('once');
      const response = authenticator.assert(passkey, options, { origin: ORIGIN });
      expect((await passkeys.verifyAuthentication('once', response)).ok).to.equal(true);
      expect(await passkeys.verifyAuthentication('once', response)).to.include({
        ok: false,
        reason: 'expired',
      });
      const stranger = authenticator.register(
        await service().registrationOptions({ sub: 'sub-x', userName: 'X' }, 'never-kept'),
        { origin: ORIGIN },
      ).passkey;
      expect(await signIn(passkeys, stranger, 'unknown')).to.include({ ok: false, reason: 'unknown' });
    });

    it('of 50 simultaneous copies of one answer, exactly one signs in (the challenge is taken once)', async () => {
      const passkeys = service();
      const passkey = await enrol(passkeys);
      const options = await passkeys.authenticationOptions('burst');
      const response = authenticator.assert(passkey, options, { origin: ORIGIN });
      const results = await Promise.all(
        Array.from({ length: 50 }, () => passkeys.verifyAuthentication('burst', structuredClone(response))),
      );
      expect(results.filter((result) => result.ok)).to.have.length(1);
    });

    it('locks a sign-in after 5 failed answers, counted before any work, even for a then-valid answer', async () => {
      const passkeys = service();
      const passkey = await enrol(passkeys);
      for (let i = 0; i < LIMITS.max; i++)
        expect((await signIn(passkeys, passkey, 'guess', { origin: 'https://evil.example' })).ok).to.equal(
          false,
        );
      expect(await signIn(passkeys, passkey, 'guess')).to.include({ ok: false, reason: 'locked' });
      // Another sign-in (another interaction) is not locked by it.
      expect((await signIn(passkeys, passkey, 'other')).ok).to.equal(true);
    });

    it('registration: refused without a challenge, for another origin, and twice for one authenticator', async () => {
      const passkeys = service();
      const options = await passkeys.registrationOptions({ sub: 'sub-z', userName: 'Z' }, 'reg');
      const made = authenticator.register(options, { origin: ORIGIN });
      expect(await passkeys.verifyRegistration('sub-z', 'no-such', made.response, 'x')).to.include({
        ok: false,
        reason: 'expired',
      });
      await passkeys.registrationOptions({ sub: 'sub-z', userName: 'Z' }, 'reg2');
      const evil = authenticator.register(options, { origin: 'https://evil.example' });
      expect(await passkeys.verifyRegistration('sub-z', 'reg2', evil.response, 'x')).to.include({
        ok: false,
        reason: 'refused',
      });
      const fresh = await passkeys.registrationOptions({ sub: 'sub-z', userName: 'Z' }, 'reg3');
      const good = authenticator.register(fresh, { origin: ORIGIN });
      expect((await passkeys.verifyRegistration('sub-z', 'reg3', good.response, 'x')).ok).to.equal(true);
      // Another account presenting the same credential id: it stays with its first owner.
      const again = await passkeys.registrationOptions({ sub: 'sub-y', userName: 'Y' }, 'reg4');
      const copy = authenticator.register(again, { origin: ORIGIN, credentialId: good.response.id });
      expect(await passkeys.verifyRegistration('sub-y', 'reg4', copy.response, 'x')).to.include({
        ok: false,
        reason: 'duplicate',
      });
      expect(await createPasskeyCredentials(store, cipher).listFor('sub-y')).to.have.length(0);
    });
  });
}
