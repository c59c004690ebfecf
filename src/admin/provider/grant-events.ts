import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { GRANT_TTL_SECONDS } from '../../oidc/provider.js';
import { type Clock, epochSeconds } from '../../time/clock.js';
import type { ClientGrants } from '../client-grants.js';

interface GrantLike {
  jti?: string;
  clientId?: string;
  exp?: number;
}

/**
 * Keeps the client → grants index (client-grants.ts) up to date from oidc-provider's
 * `grant.saved` / `grant.destroyed` events (emitted by BaseModel#save/#destroy for the Grant
 * model). A failed write is logged, never thrown: the provider's own request has succeeded.
 */
export function attachClientGrantIndex(
  provider: Provider,
  grants: ClientGrants,
  now: Clock,
  logger?: Logger,
): void {
  provider.on('grant.saved', (grant) => {
    const { jti, clientId, exp } = grant as unknown as GrantLike;
    if (!jti || !clientId) return;
    const ttl = typeof exp === 'number' ? exp - epochSeconds(now) : GRANT_TTL_SECONDS;
    grants
      .index(clientId, jti, ttl)
      .catch((error: Error) =>
        logger?.error(
          { err: error.message, clientId },
          'grant index write failed: deleting this client will not revoke this grant',
        ),
      );
  });
  provider.on('grant.destroyed', (grant) => {
    const { jti, clientId } = grant as unknown as GrantLike;
    if (!jti || !clientId) return;
    grants
      .unindex(clientId, jti)
      .catch((error: Error) => logger?.warn({ err: error.message, clientId }, 'grant index cleanup failed'));
  });
}
