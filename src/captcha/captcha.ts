import { createHash, randomInt } from 'node:crypto';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import { normalizeDigitString } from '../validation/digits.js';
import { CAPTCHA_IMAGE_TYPE, renderDigitImage } from './digit-image.js';

export interface Captcha {
  /** A new challenge for this sign-in, replacing any earlier one; null when captchas are off. */
  create(bindingId: string): Promise<CaptchaImage | null>;
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

/** A picture of the challenge, for an `<img>`. */
export interface CaptchaImage {
  /** Media type, e.g. `image/jpeg`. */
  type: string;
  bytes: Buffer;
}

export interface CaptchaChallenge {
  /** The answer, ASCII digits. */
  text: string;
  image: CaptchaImage;
}

// Digits only: people on phones type them easily whatever their keyboard layout, and Persian
// digits are accepted too. 0 and 1 are left out, being easy to misread.
const CHARACTERS = '23456789';
const LENGTH = 5;
const MAX_ANSWER_INPUT_LENGTH = 40;

/** Five random digits, drawn as a distorted, noisy raster image (see digit-image.ts). */
export function generateDigitChallenge(): CaptchaChallenge {
  let text = '';
  for (let i = 0; i < LENGTH; i++) text += CHARACTERS[randomInt(0, CHARACTERS.length)];
  return { text, image: { type: CAPTCHA_IMAGE_TYPE, bytes: renderDigitImage(text) } };
}

/** A `data:` URL of the image: shown inline, so the page and its captcha come in one response. */
export function captchaDataUrl(image: CaptchaImage): string {
  return `data:${image.type};base64,${image.bytes.toString('base64')}`;
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
      return challenge.image;
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
