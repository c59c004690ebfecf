import { createHash } from 'node:crypto';
import type { PersonalDataCipher } from '../accounts/personal-data-cipher.js';
import type { Store } from '../store/store.js';

/**
 * One passkey of one account: only what verifying its assertions needs, and what the manage page
 * shows. No attestation statement, no AAGUID, no user name is kept.
 */
export interface PasskeyCredential {
  /** base64url credential id, as the authenticator returns it. */
  id: string;
  /** The account (OIDC `sub`). */
  sub: string;
  /** base64url COSE public key. */
  publicKey: string;
  /** The signature counter last seen (0: the authenticator keeps none, e.g. synced passkeys). */
  counter: number;
  transports: string[];
  /** `singleDevice` (device-bound: amr hwk) or `multiDevice` (synced: amr swk). */
  deviceType: 'singleDevice' | 'multiDevice';
  /** The person's own label for it ("my phone"); plain text, shown escaped. */
  name: string;
  /** Epoch seconds. */
  createdAt: number;
  lastUsedAt?: number;
}

/** Longest credential id accepted from a browser (the spec's 1023 bytes, in base64url). */
export const MAX_CREDENTIAL_ID_LENGTH = 1400;

export interface PasskeyCredentials {
  find(id: string): Promise<PasskeyCredential | null>;
  listFor(sub: string): Promise<PasskeyCredential[]>;
  /** Adds a new credential; false when that credential id is already registered (to anyone). */
  add(credential: PasskeyCredential): Promise<boolean>;
  /** Writes back a used credential (counter, last use) or a renamed one. */
  update(credential: PasskeyCredential): Promise<void>;
  remove(sub: string, id: string): Promise<boolean>;
}

/**
 * Passkeys in the store: each record sealed like personal data and bound to its key (a record
 * copied under another credential id does not open), indexed by credential id (the sign-in looks
 * a discoverable credential up by it) and by account (a set of credential-id hashes). Keys hold a
 * hash of the credential id, so a long id cannot make a long key.
 */
export function createPasskeyCredentials(
  store: Store,
  cipher: Pick<PersonalDataCipher, 'seal' | 'open'>,
): PasskeyCredentials {
  const hashOf = (id: string) => createHash('sha256').update(id).digest('base64url');
  const recordKey = (hash: string) => `passkey:cred:{${hash}}`;
  const indexKey = (sub: string) => `passkey:account:{${sub}}`;

  async function read(hash: string): Promise<PasskeyCredential | null> {
    const raw = await store.get(recordKey(hash));
    if (!raw) return null;
    try {
      return JSON.parse(cipher.open(raw, recordKey(hash))) as PasskeyCredential;
    } catch {
      return null;
    }
  }
  const seal = (credential: PasskeyCredential) =>
    cipher.seal(JSON.stringify(credential), recordKey(hashOf(credential.id)));

  return {
    async find(id) {
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_CREDENTIAL_ID_LENGTH) return null;
      return read(hashOf(id));
    },
    async listFor(sub) {
      const hashes = await store.setMembers(indexKey(sub));
      const found = await Promise.all(hashes.map(read));
      return found
        .filter((credential): credential is PasskeyCredential => credential?.sub === sub)
        .sort((a, b) => a.createdAt - b.createdAt);
    },
    async add(credential) {
      const hash = hashOf(credential.id);
      // One credential id belongs to one account, whoever registers it first.
      if (!(await store.setIfAbsent(recordKey(hash), seal(credential)))) return false;
      await store.addToSet(indexKey(credential.sub), hash);
      return true;
    },
    async update(credential) {
      await store.set(recordKey(hashOf(credential.id)), seal(credential));
    },
    async remove(sub, id) {
      const hash = hashOf(id);
      const current = await read(hash);
      if (!current || current.sub !== sub) return false;
      await store.removeFromSet(indexKey(sub), hash);
      await store.delete(recordKey(hash));
      return true;
    },
  };
}
