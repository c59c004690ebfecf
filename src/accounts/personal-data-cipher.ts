import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { pooledRandomBytes } from '../crypto/random-pool.js';

/**
 * Encrypts personal data (names, national code, mobile) before it reaches the store, so a copy
 * of the store or its backups reveals nobody. AES-256-GCM with key rotation: the first key seals,
 * every listed key opens, so a new key goes first and an old one stays listed until every record
 * was re-sealed (records are re-sealed whenever they are saved).
 *
 * Sealed form: `v1.<key id>.<iv, base64url>.<ciphertext + 16-byte tag, base64url>`.
 */
export interface PersonalDataCipher {
  /**
   * @param context optional associated data the sealed value is bound to (e.g. `account:<sub>`):
   * opening it under another context fails, so a value cannot be copied to another record.
   */
  seal(plaintext: string, context?: string): string;
  /** @throws SealedDataError when the value is malformed, tampered with, or its key is unknown. */
  open(sealed: string, context?: string): string;
  /**
   * A keyed hash for finding records by a personal value without storing the value. The same
   * input always gives the same output (that is the point), so prefix values with their kind.
   */
  blindIndex(value: string): string;
}

export interface CipherKey {
  /** Short, unique, no dots: `[A-Za-z0-9_-]{1,32}`. */
  id: string;
  /** 32 random bytes. */
  key: Buffer;
}

export class SealedDataError extends Error {
  override readonly name = 'SealedDataError';
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function createPersonalDataCipher(options: {
  keys: CipherKey[];
  indexKey: Buffer;
}): PersonalDataCipher {
  const [sealingKey] = options.keys;
  if (!sealingKey) throw new RangeError('personal data cipher: at least one key is required');
  const keysById = new Map<string, Buffer>();
  for (const { id, key } of options.keys) {
    if (!KEY_ID.test(id)) throw new RangeError(`personal data cipher: invalid key id "${id}"`);
    if (key.length !== 32) throw new RangeError(`personal data cipher: key "${id}" must be 32 bytes`);
    if (keysById.has(id)) throw new RangeError(`personal data cipher: duplicate key id "${id}"`);
    keysById.set(id, Buffer.from(key));
  }
  if (options.indexKey.length < 32)
    throw new RangeError('personal data cipher: index key must be 32 bytes or more');
  const indexKey = Buffer.from(options.indexKey);

  // Version and key id are authenticated too: neither can be swapped without detection.
  const associatedData = (keyId: string, context: string | undefined) =>
    Buffer.from(`${VERSION}.${keyId}\u0000${context ?? ''}`);

  return {
    seal(plaintext, context) {
      const iv = pooledRandomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, keysById.get(sealingKey.id) as Buffer, iv, {
        authTagLength: TAG_BYTES,
      });
      cipher.setAAD(associatedData(sealingKey.id, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, sealingKey.id, iv.toString('base64url'), body.toString('base64url')].join('.');
    },

    open(sealed, context) {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      const [version, keyId, ivText, bodyText] = parts;
      if (parts.length !== 4 || version !== VERSION || !keyId || !ivText || !bodyText) {
        throw new SealedDataError('malformed sealed value');
      }
      const key = keysById.get(keyId);
      if (!key) throw new SealedDataError(`unknown key id "${keyId}"`);
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES)
        throw new SealedDataError('malformed sealed value');
      try {
        const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(associatedData(keyId, context));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        const plaintext = Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return plaintext.toString('utf8');
      } catch (cause) {
        throw new SealedDataError('sealed value failed authentication', { cause });
      }
    },

    blindIndex(value) {
      return createHmac('sha256', indexKey).update(value, 'utf8').digest('base64url');
    },
  };
}
