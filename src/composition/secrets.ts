import { createHash } from 'node:crypto';
import type { CipherKey } from '../accounts/personal-data-cipher.js';

/**
 * DATA_ENCRYPTION_KEYS entries are `id:base64key` or just `base64key` (the id is then derived
 * from the key, so it stays the same across restarts). Newest first.
 */
export function parseEncryptionKeys(entries: string[]): CipherKey[] {
  return entries.map((entry) => {
    const separator = entry.indexOf(':');
    const [id, encoded] =
      separator > 0 ? [entry.slice(0, separator), entry.slice(separator + 1)] : [undefined, entry];
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32)
      throw new Error('DATA_ENCRYPTION_KEYS: every key must be 32 bytes, base64-encoded');
    return { id: id ?? createHash('sha256').update(key).digest('hex').slice(0, 8), key };
  });
}

export function parseIndexKey(encoded: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 32) throw new Error('DATA_INDEX_KEY must be at least 32 bytes, base64-encoded');
  return key;
}
