import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { GRANT_TTL_SECONDS } from '../oidc/provider.js';
import { StoreAdapter } from '../oidc/store-adapter.js';
import type { Store } from '../store/store.js';
import { type Clock, epochSeconds } from '../time/clock.js';
import { clientGrantsKey } from './keys.js';

/**
 * Which grants (consents) a client holds, so that deleting the client revokes every grant and
 * every token issued under them. oidc-provider keeps no such index: `attachClientGrantIndex`
 * listens to its `grant.saved` / `grant.destroyed` events (emitted by BaseModel#save/#destroy
 * for the Grant model) and maintains the set `admin:client-grants:{<clientId>}`.
 */

/** Adds a grant to its client's index; the index lives at least as long as the grant. */
export async function indexGrantForClient(
  store: Store,
  clientId: string,
  grantId: string,
  ttlSeconds: number = GRANT_TTL_SECONDS,
): Promise<void> {
  await store.addToSet(clientGrantsKey(clientId), grantId, Math.max(1, Math.ceil(ttlSeconds)));
}

interface GrantLike {
  jti?: string;
  clientId?: string;
  exp?: number;
}

/** Keeps the client → grants index up to date from oidc-provider's grant events. */
export function attachClientGrantIndex(provider: Provider, store: Store, now: Clock, logger?: Logger): void {
  provider.on('grant.saved', (grant) => {
    const { jti, clientId, exp } = grant as unknown as GrantLike;
    if (!jti || !clientId) return;
    const ttl = typeof exp === 'number' ? exp - epochSeconds(now) : GRANT_TTL_SECONDS;
    indexGrantForClient(store, clientId, jti, ttl).catch((error: Error) =>
      logger?.error(
        { err: error.message, clientId },
        'grant index write failed: deleting this client will not revoke this grant',
      ),
    );
  });
  provider.on('grant.destroyed', (grant) => {
    const { jti, clientId } = grant as unknown as GrantLike;
    if (!jti || !clientId) return;
    store
      .removeFromSet(clientGrantsKey(clientId), jti)
      .catch((error: Error) => logger?.warn({ err: error.message, clientId }, 'grant index cleanup failed'));
  });
}

/**
 * Revokes every grant of a client: the tokens issued under each (access and refresh tokens,
 * codes, via the adapter's grant index) and the grant record itself. Returns how many grants.
 */
export async function revokeClientGrants(store: Store, clientId: string, now: Clock): Promise<number> {
  const grantIds = await store.setMembers(clientGrantsKey(clientId));
  const adapter = new StoreAdapter(store, 'Grant', now);
  await Promise.all(
    grantIds.map(async (grantId) => {
      await adapter.revokeByGrantId(grantId);
      await store.delete(`oidc:Grant:{${grantId}}`);
    }),
  );
  await store.delete(clientGrantsKey(clientId));
  return grantIds.length;
}
