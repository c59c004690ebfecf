import { createHash } from 'node:crypto';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import { GRACE_ACTIVE_KEY, previousSecretKey } from './keys.js';
import type { OidcRecords } from './ports.js';

/**
 * Client secret rotation with a grace period: the rule side.
 *
 * oidc-provider knows one `client_secret` per client. When an admin rotates it, the registry
 * stores the new secret in the client record and keeps the OLD one here, as a sha256 digest
 * with the end of its grace (`admin:client-previous-secret:{id}`, expiring with the grace).
 * Within the grace, the previous secret stands for the current one (provider/previous-secret-grace.ts
 * accepts it in oidc-provider's own secret check); after it, the old secret fails like any wrong
 * secret.
 */

interface PreviousSecret {
  /** sha256 of the previous secret, hex. The secret itself is not kept. */
  sha256: string;
  /** Epoch milliseconds at which the grace ends. */
  until: number;
}

export interface PreviousSecrets {
  /** Starts the grace of a client's previous secret (replacing any earlier one); resolves to its end. */
  remember(clientId: string, previousSecret: string, graceSeconds: number): Promise<Date>;
  forget(clientId: string): Promise<void>;
  /**
   * The client's current secret when `presented` is its previous secret and still within its
   * grace; undefined otherwise (including when `presented` is the current secret).
   */
  currentFor(clientId: string, presented: string): Promise<string | undefined>;
  /** Whether any client's previous secret may be within its grace (a cheap check before work). */
  anyInGrace(): Promise<boolean>;
}

export interface PreviousSecretsDeps {
  store: Store;
  clients: Pick<OidcRecords, 'readClient'>;
  now?: () => number;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createPreviousSecrets(deps: PreviousSecretsDeps): PreviousSecrets {
  const { store, clients } = deps;
  const now = deps.now ?? Date.now;
  return {
    async remember(clientId, previousSecret, graceSeconds) {
      const until = now() + graceSeconds * 1000;
      const record: PreviousSecret = { sha256: sha256(previousSecret).toString('hex'), until };
      await store.set(previousSecretKey(clientId), JSON.stringify(record), graceSeconds);
      await store.set(GRACE_ACTIVE_KEY, '1', graceSeconds);
      return new Date(until);
    },

    async forget(clientId) {
      await store.delete(previousSecretKey(clientId));
    },

    async currentFor(clientId, presented) {
      const raw = await store.get(previousSecretKey(clientId));
      if (!raw) return undefined;
      let record: PreviousSecret;
      try {
        record = JSON.parse(raw) as PreviousSecret;
      } catch {
        return undefined;
      }
      if (!(record.until > now())) return undefined;
      const expected = Buffer.from(record.sha256, 'hex');
      const actual = sha256(presented);
      if (!constantEquals(expected, actual)) return undefined;
      const current = (await clients.readClient(clientId))?.client_secret;
      return typeof current === 'string' && current !== presented ? current : undefined;
    },

    async anyInGrace() {
      return Boolean(await store.get(GRACE_ACTIVE_KEY));
    },
  };
}
