import type { Store } from '../store/store.js';
import { revokeGrant } from './store-adapter.js';
import { clientKey, initialAccessTokenKey } from './store-keys.js';

/**
 * oidc-provider's records as the client registry handles them, outside oidc-provider's own
 * models: the clients it creates and edits (stored exactly as the adapter stores a Client, so the
 * provider reads them as its own), the grants it revokes when a client goes, and the initial
 * access tokens /reg uses up. The registry gets this as a port (admin/ports.ts) from the
 * composition root, so it never knows a key or the adapter.
 */

/** A client's metadata as oidc-provider stores it: RFC 7591 names. */
export type StoredClient = Record<string, unknown> & { client_id: string };

export function createOidcRecords(store: Store) {
  return {
    async readClient(clientId: string): Promise<StoredClient | undefined> {
      const raw = await store.get(clientKey(clientId));
      return raw ? (JSON.parse(raw) as StoredClient) : undefined;
    },
    /** Clients never expire (no TTL), like the adapter's Client records. */
    createClient: (client: StoredClient) =>
      store.setIfAbsent(clientKey(client.client_id), JSON.stringify(client)),
    writeClient: (client: StoredClient) => store.set(clientKey(client.client_id), JSON.stringify(client)),
    /** True when there was such a client (read and deleted in one step). */
    async deleteClient(clientId: string): Promise<boolean> {
      return (await store.take(clientKey(clientId))) !== null;
    },
    revokeGrant: (grantId: string) => revokeGrant(store, grantId),
    async takeInitialAccessToken(jti: string): Promise<boolean> {
      return (await store.take(initialAccessTokenKey(jti))) !== null;
    },
    /** Whether an initial access token is still there (not used up, revoked or expired). */
    async hasInitialAccessToken(jti: string): Promise<boolean> {
      return (await store.get(initialAccessTokenKey(jti))) !== null;
    },
  };
}
