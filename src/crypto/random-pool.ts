import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from a pool refilled 4 KiB at a time from the CSPRNG (as oidc-provider's own token
 * ids are): one `randomBytes` call per token, IV or id was a visible share of a sign-in's and a
 * refresh grant's CPU (issue 17). Every byte is handed out once.
 */
const POOL = Buffer.allocUnsafe(4096);
let offset = POOL.length;

function take(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > POOL.length)
    throw new RangeError(`1 to ${POOL.length} random bytes at a time`);
  if (offset + count > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const start = offset;
  offset += count;
  return start;
}

/** `count` random bytes in a Buffer of their own. */
export function pooledRandomBytes(count: number): Buffer {
  const start = take(count);
  return Buffer.from(POOL.subarray(start, start + count));
}

/** `count` random bytes as base64url. */
export function pooledRandomBase64url(count: number): string {
  const start = take(count);
  return POOL.toString('base64url', start, start + count);
}
