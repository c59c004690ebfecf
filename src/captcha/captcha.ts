import { createHash } from 'node:crypto';
import svgCaptcha from 'svg-captcha';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import { normalizeDigitString } from '../validation/digits.js';

export interface Captcha {
  /** A new challenge for this sign-in, replacing any earlier one; null when captchas are off. */
  create(bindingId: string): Promise<{ svg: string } | null>;
  /**
   * Checks an answer. Every check uses the challenge up, right or wrong: a wrong answer gets a
   * fresh image rather than another guess at the same one. Always true when captchas are off.
   */
  verify(bindingId: string, answer: string): Promise<boolean>;
}

export interface CaptchaDeps {
  store: Store;
  enabled: boolean;
  ttlSeconds?: number;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Makes a challenge; tests inject one with a known answer. */
  generate?: () => CaptchaChallenge;
}

export interface CaptchaChallenge {
  /** The answer, ASCII digits. */
  text: string;
  svg: string;
}

// Digits only: people on phones type them easily whatever their keyboard layout, and Persian
// digits are accepted too. 0 and 1 are left out, being easy to misread.
const CHARACTERS = '23456789';
const LENGTH = 5;
const MAX_ANSWER_INPUT_LENGTH = 40;

/** A distorted SVG image of five digits. */
export function generateDigitChallenge(): CaptchaChallenge {
  const { text, data } = svgCaptcha.create({ size: LENGTH, charPreset: CHARACTERS, noise: 2, color: false });
  return { text, svg: data };
}

export function createCaptcha(deps: CaptchaDeps): Captcha {
  const { store, enabled } = deps;
  const ttlSeconds = deps.ttlSeconds ?? 300;
  const now = deps.now ?? Date.now;
  const generate = deps.generate ?? generateDigitChallenge;
  const key = (bindingId: string) => `captcha:${bindingId}`;

  return {
    async create(bindingId) {
      if (!enabled) return null;
      const challenge = generate();
      const record: CaptchaRecord = {
        hash: answerHash(bindingId, challenge.text).toString('base64url'),
        expiresAt: now() + ttlSeconds * 1000,
      };
      await store.set(key(bindingId), JSON.stringify(record), ttlSeconds);
      return { svg: challenge.svg };
    },

    async verify(bindingId, answer) {
      if (!enabled) return true;
      // Taken before looking at the answer: whatever happens next, this challenge is spent.
      const stored = await store.take(key(bindingId));
      if (!stored || typeof answer !== 'string' || answer.length > MAX_ANSWER_INPUT_LENGTH) return false;
      const record = parseRecord(stored);
      if (!record || record.expiresAt <= now()) return false;
      const actual = answerHash(bindingId, normalizeDigitString(answer));
      return constantEquals(Buffer.from(record.hash, 'base64url'), actual);
    },
  };
}

interface CaptchaRecord {
  hash: string;
  expiresAt: number;
}

/**
 * The answer is stored hashed with its binding, so the store never holds a readable answer.
 * (The answer space is small; the hash keeps it from plain view, the single use and the short
 * life keep it from being useful.)
 */
function answerHash(bindingId: string, answer: string): Buffer {
  return createHash('sha256').update(`captcha\u0000${bindingId}\u0000${answer}`).digest();
}

function parseRecord(raw: string): CaptchaRecord | null {
  try {
    const value = JSON.parse(raw) as Partial<CaptchaRecord>;
    return typeof value.hash === 'string' && typeof value.expiresAt === 'number'
      ? { hash: value.hash, expiresAt: value.expiresAt }
      : null;
  } catch {
    return null;
  }
}
