import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets (bearer tokens, CSRF tokens, stored code or answer digests) are equal, in
 * a time that says nothing about how much of a guess was right, nor about how long the secret
 * is: both sides are hashed to 32 bytes first, and equal digests mean equal inputs.
 *
 * The one constant-time comparison of the code base; `crypto.timingSafeEqual` alone throws on
 * inputs of different lengths, and guarding it with a length check leaks the length.
 */
export function constantEquals(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}
