import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { createOneTimeCodes, type OneTimeCodesDeps } from '../../../src/otp/one-time-codes.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { mobile } from '../../helpers/values.js';
import {
  DEFAULT_LIMITS,
  type FakeClock,
  rawContents,
  recording,
  withClockedStore,
} from './domain-test-kit.js';

const MOBILE = mobile('+989121234567');
const PEPPER = 'a pepper of at least sixteen bytes';
const toPersian = (digits: string) => digits.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)] as string);
/** A well-formed code that is not `code`. */
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

for (const factory of storeFactories) {
  describe(`one-time codes: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
    });

    const codes = (options: Partial<OneTimeCodesDeps> = {}) =>
      createOneTimeCodes({ store, pepper: PEPPER, now: clock.now, ...DEFAULT_LIMITS.otp, ...options });

    it('issues 6-digit codes that work once', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      expect(code).to.match(/^\d{6}$/);
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: true });
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('zero-pads and honours a configured length', async () => {
      const otp = codes({ length: 8 });
      const issued = await Promise.all(Array.from({ length: 50 }, (_, i) => otp.issue(`b${i}`, MOBILE)));
      for (const code of issued) expect(code).to.match(/^\d{8}$/);
      expect(new Set(issued).size).to.be.greaterThan(45);
    });

    it('accepts Persian and Arabic digits and surrounding spaces', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      expect(await otp.verify('b1', MOBILE, ` ${toPersian(code)} `)).to.deep.equal({ ok: true });
      const next = await otp.issue('b2', MOBILE);
      const arabic = next.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)] as string);
      expect(await otp.verify('b2', MOBILE, arabic)).to.deep.equal({ ok: true });
    });

    it('expires after the TTL (injected clock)', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      clock.advance(119);
      const later = await otp.issue('b2', MOBILE);
      clock.advance(2);
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: false, reason: 'expired' });
      expect(await otp.verify('b2', MOBILE, later)).to.deep.equal({ ok: true });
    });

    it('expires after the TTL (real clock)', async () => {
      const otp = createOneTimeCodes({ store, pepper: PEPPER, ...DEFAULT_LIMITS.otp, ttlSeconds: 1 });
      const code = await otp.issue('b1', MOBILE);
      await sleep(1100);
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: false, reason: 'expired' });
    });

    it('binds a code to its sign-in and its mobile', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      expect(await otp.verify('b1', mobile('+989351112233'), code)).to.include({
        ok: false,
        reason: 'wrong',
      });
      expect(await otp.verify('other-binding', MOBILE, code)).to.deep.equal({ ok: false, reason: 'expired' });
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: true });
    });

    it('a new code replaces the old one of the sign-in', async () => {
      const otp = codes();
      const first = await otp.issue('b1', MOBILE);
      let second = await otp.issue('b1', MOBILE);
      while (second === first) second = await otp.issue('b1', MOBILE);
      expect(await otp.verify('b1', MOBILE, first)).to.deep.equal({
        ok: false,
        reason: 'wrong',
        attemptsLeft: 4,
      });
      expect(await otp.verify('b1', MOBILE, second)).to.deep.equal({ ok: true });
    });

    it('counts wrong codes and locks the mobile at the fifth, even for the right code', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      for (const attemptsLeft of [4, 3, 2, 1]) {
        expect(await otp.verify('b1', MOBILE, wrongFor(code))).to.deep.equal({
          ok: false,
          reason: 'wrong',
          attemptsLeft,
        });
      }
      expect(await otp.lockStatus(MOBILE)).to.equal(0);
      expect(await otp.verify('b1', MOBILE, wrongFor(code))).to.deep.equal({
        ok: false,
        reason: 'locked',
        retryAfterSeconds: 900,
      });
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({
        ok: false,
        reason: 'locked',
        retryAfterSeconds: 900,
      });
      expect(await otp.lockStatus(MOBILE)).to.equal(900);
      // The lock is on the mobile: a new sign-in and a new code do not help.
      const fresh = await otp.issue('b2', MOBILE);
      expect(await otp.verify('b2', MOBILE, fresh)).to.include({ ok: false, reason: 'locked' });
      // Other mobiles are unaffected.
      const other = await otp.issue('b3', mobile('+989351112233'));
      expect(await otp.verify('b3', mobile('+989351112233'), other)).to.deep.equal({ ok: true });
    });

    it('a new code does not reset the wrong-attempt count', async () => {
      const otp = codes();
      let code = await otp.issue('b1', MOBILE);
      for (let i = 0; i < 3; i++) await otp.verify('b1', MOBILE, wrongFor(code));
      code = await otp.issue('b1', MOBILE);
      expect(await otp.verify('b1', MOBILE, wrongFor(code))).to.deep.include({
        reason: 'wrong',
        attemptsLeft: 1,
      });
      code = await otp.issue('b2', MOBILE);
      expect(await otp.verify('b2', MOBILE, wrongFor(code))).to.deep.include({ reason: 'locked' });
      expect(await otp.verify('b2', MOBILE, code)).to.deep.include({ reason: 'locked' });
    });

    it('the lock ends after lockSeconds and the count starts afresh', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      for (let i = 0; i < 5; i++) await otp.verify('b1', MOBILE, wrongFor(code));
      clock.advance(600);
      expect(await otp.lockStatus(MOBILE)).to.equal(300);
      clock.advance(300);
      expect(await otp.lockStatus(MOBILE)).to.equal(0);
      const next = await otp.issue('b2', MOBILE);
      expect(await otp.verify('b2', MOBILE, wrongFor(next))).to.deep.equal({
        ok: false,
        reason: 'wrong',
        attemptsLeft: 4,
      });
      expect(await otp.verify('b2', MOBILE, next)).to.deep.equal({ ok: true });
    });

    it('forgets wrong attempts after their window (real TTL)', async () => {
      const otp = codes({ wrongWindowSeconds: 1 });
      const code = await otp.issue('b1', MOBILE);
      for (let i = 0; i < 4; i++) await otp.verify('b1', MOBILE, wrongFor(code));
      clock.advance(1.1);
      await sleep(1100);
      expect(await otp.verify('b1', MOBILE, wrongFor(code))).to.deep.equal({
        ok: false,
        reason: 'wrong',
        attemptsLeft: 4,
      });
    });

    it('malformed input counts as a wrong attempt and leaves the code intact', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      const malformed = ['', '12345', '1234567', 'abcdef', '12 34 5x', '9'.repeat(1000)];
      const results = [];
      for (const input of malformed.slice(0, 4)) results.push(await otp.verify('b1', MOBILE, input));
      expect(
        results.map((result) => result.ok === false && result.reason === 'wrong' && result.attemptsLeft),
      ).to.deep.equal([4, 3, 2, 1]);
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: true });
    });

    it('a right code resets the wrong-attempt count', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      for (let i = 0; i < 3; i++) await otp.verify('b1', MOBILE, wrongFor(code));
      expect(await otp.verify('b1', MOBILE, code)).to.deep.equal({ ok: true });
      const next = await otp.issue('b2', MOBILE);
      expect(await otp.verify('b2', MOBILE, wrongFor(next))).to.deep.include({ attemptsLeft: 4 });
    });

    it('of 20 concurrent right submissions exactly one succeeds', async () => {
      const otp = codes();
      const code = await otp.issue('b1', MOBILE);
      const results = await Promise.all(Array.from({ length: 20 }, () => otp.verify('b1', MOBILE, code)));
      expect(results.filter((result) => result.ok)).to.have.length(1);
      for (const result of results.filter((r) => !r.ok))
        expect(result).to.deep.equal({ ok: false, reason: 'expired' });
    });

    /** One-time codes on a store that remembers every write, to read what was stored. */
    const recordedCodes = () => {
      const recorded = recording(store);
      const otp = createOneTimeCodes({
        store: recorded,
        pepper: PEPPER,
        now: clock.now,
        ...DEFAULT_LIMITS.otp,
      });
      return { recorded, otp };
    };

    it('stores neither the code nor the mobile number', async () => {
      const { recorded, otp } = recordedCodes();
      const code = await otp.issue('b1', MOBILE);
      await otp.verify('b1', MOBILE, wrongFor(code));
      for (let i = 0; i < 4; i++) await otp.verify('b1', MOBILE, '000');
      expect(await rawContents(recorded)).to.not.include('9121234567');
      // The code's record holds only a 256-bit keyed hash and an expiry time.
      const codeWrites = recorded.writes.filter((write) => write.key.startsWith('otp:code:'));
      expect(codeWrites).to.have.length(1);
      const record = JSON.parse(JSON.parse(codeWrites[0]?.value as string));
      expect(Object.keys(record).sort()).to.deep.equal(['expiresAt', 'hash']);
      expect(record.hash).to.match(/^[A-Za-z0-9_-]{43}$/);
      for (const write of recorded.writes) expect(write.key).to.not.include(code);
    });

    it('keys and hashes by the E.164 form, as ever: stored codes and locks keep working', async () => {
      const { recorded, otp } = recordedCodes();
      // The same number typed another way is the same Mobile, and so the same keys.
      const code = await otp.issue('b1', mobile('0912 123 4567'));
      await otp.verify('b1', MOBILE, wrongFor(code));
      const mac = (message: string) => createHmac('sha256', PEPPER).update(message).digest('base64url');
      const token = mac('otp-mobile\u0000+989121234567').slice(0, 22);
      expect(await store.get(`otp:{${token}}:wrong`)).to.equal('1');
      const codeWrite = recorded.writes.find((write) => write.key.startsWith('otp:code:'));
      expect(JSON.parse(JSON.parse(codeWrite?.value as string)).hash).to.equal(
        mac(`b1|+989121234567|${code}`),
      );
    });

    it('refuses a short pepper and odd lengths', () => {
      expect(() => createOneTimeCodes({ store, ...DEFAULT_LIMITS.otp, pepper: 'short' })).to.throw(
        RangeError,
      );
      expect(() => createOneTimeCodes({ store, pepper: PEPPER, ...DEFAULT_LIMITS.otp, length: 3 })).to.throw(
        RangeError,
      );
      expect(() => createOneTimeCodes({ store, pepper: PEPPER, ...DEFAULT_LIMITS.otp, length: 11 })).to.throw(
        RangeError,
      );
    });
  });
}
