import type { Store } from '../store/store.js';

/**
 * Remembers which grant (consent) a person gave each site, across browsers and sessions, so a
 * returning user is asked again only when a site wants more data. The grant itself lives in the
 * provider's Grant model; this is only the pointer to it.
 */
export interface ConsentIndex {
  grantIdFor(accountId: string, clientId: string): Promise<string | undefined>;
  remember(accountId: string, clientId: string, grantId: string, ttlSeconds: number): Promise<void>;
  forget(accountId: string, clientId: string): Promise<void>;
}

export function createConsentIndex(store: Store): ConsentIndex {
  const key = (accountId: string, clientId: string) => `consent:{${accountId}}:${clientId}`;
  return {
    async grantIdFor(accountId, clientId) {
      return (await store.get(key(accountId, clientId))) ?? undefined;
    },
    async remember(accountId, clientId, grantId, ttlSeconds) {
      await store.set(key(accountId, clientId), grantId, ttlSeconds);
    },
    async forget(accountId, clientId) {
      await store.delete(key(accountId, clientId));
    },
  };
}
