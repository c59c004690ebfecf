import { createHmac, randomInt } from 'node:crypto';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import { normalizeDigitString } from '../validation/digits.js';
import type { Mobile } from '../validation/mobile.js';

export type CodeVerification =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export interface OneTimeCodes {
  /**
   * Makes a new code for this sign-in (binding) and mobile and returns it for the SMS. Any
   * earlier code of the binding stops working. Only its keyed hash is stored.
   */
  issue(bindingId: string, mobile: Mobile): Promise<string>;
  /**
   * Checks a submitted code. A right code works once; a wrong one counts against the mobile
   * (not the binding, not the code), and reaching the maximum locks the mobile.
   */
  verify(bindingId: string, mobile: Mobile, submitted: string): Promise<CodeVerification>;
  /** Seconds the mobile stays locked after too many wrong codes; 0 when it is not locked. */
  lockStatus(mobile: Mobile): Promise<number>;
}

export interface OneTimeCodesDeps {
  store: Store;
  /** Server-side secret mixed into every stored hash: a stolen store alone reveals no code. */
  pepper: Buffer | string;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  // The limits have no defaults here: configuration (OTP_*) is their one source.
  ttlSeconds: number;
  /** Digits per code, 4 to 10. */
  length: number;
  maxWrongAttempts: number;
  /** Wrong attempts are counted in a window this long, started by the first one. Default 900. */
  wrongWindowSeconds?: number;
  lockSeconds: number;
}

/** What the store holds for a binding's current code. */
interface CodeRecord {
  /** HMAC-SHA256(pepper, bindingId|E.164 mobile|code), base64url. */
  hash: string;
  /** Epoch ms after which the code no longer works. */
  expiresAt: number;
}

// The record outlives the code by this much so that a late submission is told "expired" (ask
// for a new code) instead of "wrong" (check your typing).
const EXPIRED_RECORD_GRACE_SECONDS = 600;
// Not configurable: OTP_MAX_WRONG and OTP_LOCK_SECONDS are the knobs operators turn.
const WRONG_WINDOW_SECONDS = 900;

export function createOneTimeCodes(deps: OneTimeCodesDeps): OneTimeCodes {
  const { store, pepper, ttlSeconds, length, maxWrongAttempts, lockSeconds } = deps;
  const now = deps.now ?? Date.now;
  const wrongWindowSeconds = deps.wrongWindowSeconds ?? WRONG_WINDOW_SECONDS;
  if (!Number.isInteger(length) || length < 4 || length > 10) {
    throw new RangeError('code length must be 4 to 10');
  }
  if (Buffer.byteLength(pepper) < 16) {
    throw new RangeError('the one-time-code pepper must be at least 16 bytes');
  }
  const wellFormed = new RegExp(`^\\d{${length}}$`);

  const mac = (message: string) => createHmac('sha256', pepper).update(message).digest();
  // Mobile numbers appear in keys only as a keyed hash (of the E.164 form), never in plain.
  const mobileToken = (mobile: Mobile) =>
    mac(`otp-mobile\u0000${mobile.e164}`).toString('base64url').slice(0, 22);
  const codeKey = (bindingId: string) => `otp:code:${bindingId}`;
  // One hash tag per mobile: the count and the lock are updated together (one slot on a Cluster).
  const wrongKey = (mobile: Mobile) => `otp:{${mobileToken(mobile)}}:wrong`;
  const lockKey = (mobile: Mobile) => `otp:{${mobileToken(mobile)}}:lock`;
  const codeHash = (bindingId: string, mobile: Mobile, code: string) =>
    mac(`${bindingId}|${mobile.e164}|${code}`);

  /** The lock's end in epoch ms, or 0. The end is stored so that the injected clock decides. */
  async function lockedUntil(mobile: Mobile): Promise<number> {
    const until = Number((await store.get(lockKey(mobile))) ?? 0);
    return until > now() ? until : 0;
  }

  const secondsUntil = (epochMs: number) => Math.max(1, Math.ceil((epochMs - now()) / 1000));
  const locked = (until: number): CodeVerification => ({
    ok: false,
    reason: 'locked',
    retryAfterSeconds: secondsUntil(until),
  });

  /** A counted attempt turned out wrong: the last allowed one locks the mobile. */
  async function wrongAttempt(bindingId: string, mobile: Mobile, attempt: number): Promise<CodeVerification> {
    if (attempt < maxWrongAttempts) {
      return { ok: false, reason: 'wrong', attemptsLeft: maxWrongAttempts - attempt };
    }
    const until = now() + lockSeconds * 1000;
    await store.set(lockKey(mobile), String(until), lockSeconds);
    // The lock now holds the mobile; the count starts afresh once it ends. The binding's code
    // is dropped too: it was the target of the guessing.
    await Promise.all([store.delete(wrongKey(mobile)), store.delete(codeKey(bindingId))]);
    return locked(until);
  }

  return {
    async issue(bindingId, mobile) {
      const code = String(randomInt(0, 10 ** length)).padStart(length, '0');
      const record: CodeRecord = {
        hash: codeHash(bindingId, mobile, code).toString('base64url'),
        expiresAt: now() + ttlSeconds * 1000,
      };
      // One key per binding: writing it replaces (and so invalidates) the previous code.
      await store.set(codeKey(bindingId), JSON.stringify(record), ttlSeconds + EXPIRED_RECORD_GRACE_SECONDS);
      return code;
    },

    async verify(bindingId, mobile, submitted) {
      const stored = await store.get(codeKey(bindingId));
      const record = stored ? parseRecord(stored) : null;
      if (!record || record.expiresAt <= now()) {
        // Nothing to compare against; a lock still says so first.
        const until = await lockedUntil(mobile);
        return until ? locked(until) : { ok: false, reason: 'expired' };
      }

      // The attempt is counted before any comparison, in one atomic step with the lock check:
      // of a burst of simultaneous guesses at most maxWrongAttempts per window are compared.
      const attempt = await store.countAttempt(wrongKey(mobile), lockKey(mobile), {
        max: maxWrongAttempts,
        windowSeconds: wrongWindowSeconds,
        nowMs: now(),
      });
      if (!attempt.allowed) {
        // Refused, not compared. A lock set meanwhile says so; a code that is gone without a lock
        // was used (a burst of right submissions): "expired" is the truth for the late ones.
        const until = await lockedUntil(mobile);
        if (until) return locked(until);
        if ((await store.get(codeKey(bindingId))) === null) return { ok: false, reason: 'expired' };
        return locked(attempt.lockedUntil);
      }

      const code =
        typeof submitted === 'string' && submitted.length <= 40 ? normalizeDigitString(submitted) : '';
      // Malformed input is a wrong attempt like any other: otherwise it would be a free probe.
      if (
        !wellFormed.test(code) ||
        !constantEquals(Buffer.from(record.hash, 'base64url'), codeHash(bindingId, mobile, code))
      ) {
        return wrongAttempt(bindingId, mobile, attempt.count);
      }

      // Right code. `take` makes it single use: of concurrent submissions only one gets it.
      const taken = await store.take(codeKey(bindingId));
      if (taken === null) return { ok: false, reason: 'expired' };
      if (taken !== stored) {
        // A new code replaced this one between the read and the take: put the new one back
        // (unless yet another was issued meanwhile) and treat the old one as expired.
        const remaining = remainingRecordTtl(taken);
        if (remaining > 0) await store.setIfAbsent(codeKey(bindingId), taken, remaining);
        return { ok: false, reason: 'expired' };
      }
      // A right code clears the count: the attempts before it were the person's own typing.
      await store.delete(wrongKey(mobile));
      return { ok: true };
    },

    async lockStatus(mobile) {
      const until = await lockedUntil(mobile);
      return until ? secondsUntil(until) : 0;
    },
  };

  function remainingRecordTtl(raw: string): number {
    const record = parseRecord(raw);
    if (!record) return 0;
    return Math.ceil((record.expiresAt - now()) / 1000) + EXPIRED_RECORD_GRACE_SECONDS;
  }
}

function parseRecord(raw: string): CodeRecord | null {
  try {
    const value = JSON.parse(raw) as Partial<CodeRecord>;
    return typeof value.hash === 'string' && typeof value.expiresAt === 'number'
      ? { hash: value.hash, expiresAt: value.expiresAt }
      : null;
  } catch {
    return null;
  }
}
