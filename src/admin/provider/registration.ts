import type Provider from 'oidc-provider';
import { type ClientMetadata, errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Actor } from '../audit.js';
import { ClientMetadataError, checkClientMetadata } from '../client-metadata-validation.js';
import { type ClientRegistry, newClientId, newClientSecret } from '../client-registry.js';
import type { OidcRecords } from '../ports.js';

/**
 * Dynamic client registration (`/reg`, RFC 7591, and `/reg/:id`, RFC 7592) on oidc-provider's
 * own endpoints, held to the same rules as the admin API:
 *
 * - `initialAccessToken: true`: a registration needs an initial access token, an adapter-backed
 *   InitialAccessToken that only the admin API or the CLI issue.
 * - Each such token carries the policy `darvaze-client-rules` (`features.registration.policies`;
 *   oidc-provider runs a token's policies on registration and, through the registration access
 *   token that inherits them, on RFC 7592 updates). The policy applies Darvaze's metadata rules
 *   (../client-metadata-validation.ts); oidc-provider's own validation follows as usual.
 * - A token registers ONE client: after every check passed the policy takes the token out of the
 *   store atomically, so two concurrent requests cannot both use it and a refused request does
 *   not waste it.
 */

export const REGISTRATION_POLICY = 'darvaze-client-rules';

type RegistrationFeature = {
  enabled: true;
  initialAccessToken: true;
  issueRegistrationAccessToken: true;
  policies: Record<string, (ctx: KoaContextWithOIDC, metadata: ClientMetadata) => Promise<void>>;
  idFactory: () => string;
  secretFactory: () => Promise<string>;
};

export interface RegistrationFeatureDeps {
  /** Where the initial access tokens are used up (src/oidc/oidc-records.ts). */
  records: Pick<OidcRecords, 'takeInitialAccessToken'>;
  production: boolean;
}

/** The value of oidc-provider's `features.registration` (pass it as `registration` to createProvider). */
export function registrationFeature(deps: RegistrationFeatureDeps): RegistrationFeature {
  return {
    enabled: true,
    initialAccessToken: true,
    issueRegistrationAccessToken: true,
    policies: {
      [REGISTRATION_POLICY]: async (ctx, metadata) => {
        try {
          checkClientMetadata(metadata, { production: deps.production });
        } catch (error) {
          // InvalidClientMetadata answers invalid_redirect_uri when the text starts with
          // "redirect_uris", which is how every invalid_redirect_uri description here starts.
          if (error instanceof ClientMetadataError) throw new errors.InvalidClientMetadata(error.description);
          throw error;
        }
        const token = ctx.oidc.entities.InitialAccessToken;
        if (token?.jti && ctx.oidc.route === 'registration') {
          // The provider's checks now, before the token is used up (they run again on save).
          await ctx.oidc.provider.Client.validate(metadata);
          if (!(await deps.records.takeInitialAccessToken(token.jti))) {
            throw new errors.InvalidToken('initial access token already used');
          }
        }
      },
    },
    idFactory: newClientId,
    secretFactory: async () => newClientSecret(),
  };
}

/**
 * Keeps the registry in step with /reg: a client registered there is listed and audited (who:
 * "reg"); one deleted there loses its grants and tokens like a client deleted by an admin.
 */
export function attachRegistrationEvents(
  provider: Provider,
  registry: ClientRegistry,
  logger?: Logger,
): void {
  const actor = (ctx: KoaContextWithOIDC): Actor => {
    const requestId = (ctx.state as { requestId?: unknown } | undefined)?.requestId;
    return { who: 'reg', ...(typeof requestId === 'string' ? { requestId } : {}) };
  };
  const failed = (clientId: string) => (error: Error) =>
    logger?.error({ err: error.message, clientId }, 'registry update after /reg failed');
  provider.on('registration_create.success', (ctx, client) => {
    registry.adoptRegistered(client.clientId, actor(ctx), 'client.register').catch(failed(client.clientId));
  });
  provider.on('registration_update.success', (ctx, client) => {
    registry
      .adoptRegistered(client.clientId, actor(ctx), 'client.register.update')
      .catch(failed(client.clientId));
  });
  provider.on('registration_delete.success', (ctx, client) => {
    registry.forgetRegistered(client.clientId, actor(ctx)).catch(failed(client.clientId));
  });
}
