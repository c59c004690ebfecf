import type { Store } from '../store/store.js';
import { clientGrantsKey } from './keys.js';
import type { OidcRecords } from './ports.js';

/**
 * Which grants (consents) a client holds, so that deleting the client revokes every grant and
 * every token issued under them. oidc-provider keeps no such index; provider/grant-events.ts
 * feeds this one from the provider's grant events into the set `admin:client-grants:{<clientId>}`.
 */
export interface ClientGrants {
  /** Adds a grant to its client's index; the index lives at least as long as the grant. */
  index(clientId: string, grantId: string, ttlSeconds: number): Promise<void>;
  /** Drops a grant that oidc-provider destroyed itself. */
  unindex(clientId: string, grantId: string): Promise<void>;
  /** Revokes every grant of the client and the tokens issued under them; resolves to the count. */
  revokeAll(clientId: string): Promise<number>;
}

export function createClientGrants(store: Store, records: Pick<OidcRecords, 'revokeGrant'>): ClientGrants {
  return {
    async index(clientId, grantId, ttlSeconds) {
      await store.addToSet(clientGrantsKey(clientId), grantId, Math.max(1, Math.ceil(ttlSeconds)));
    },

    async unindex(clientId, grantId) {
      await store.removeFromSet(clientGrantsKey(clientId), grantId);
    },

    async revokeAll(clientId) {
      const grantIds = await store.setMembers(clientGrantsKey(clientId));
      await Promise.all(grantIds.map((grantId) => records.revokeGrant(grantId)));
      await store.delete(clientGrantsKey(clientId));
      return grantIds.length;
    },
  };
}
