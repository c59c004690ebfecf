import { createHmac } from 'node:crypto';

/**
 * Turns a personal value (mobile number, client address, national code) into the short opaque
 * token used in limit-counter keys, so that a look at the store does not list who signed in.
 *
 * With a secret `key` it is an HMAC, which cannot be reversed by trying all ~10^9 mobile
 * numbers; without one it is a plain hash, which only keeps values out of casual sight.
 * The purpose label keeps a mobile's token from matching the same digits used as something else.
 */
export function hashSubject(purpose: string, value: string, key?: Buffer | string): string {
  const mac = createHmac('sha256', key ?? 'darvaze-limit-subject');
  mac.update(`${purpose}\u0000${value}`);
  // 128 bits: ample for a counter key, half the length of the full digest.
  return mac.digest('base64url').slice(0, 22);
}
