import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import type { SiteLogger } from './logger.js';

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  idTokenSignedResponseAlg: string;
  logger: SiteLogger;
  /** First retry delay after a failed discovery; doubles up to `maxRetryMs`. Default 500 ms. */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

/** The provider could not be reached (yet): the page says "try again in a moment". */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}

export interface OidcClient {
  /** The discovered configuration; one fresh attempt if there is none yet. */
  configuration(): Promise<oidc.Configuration>;
  /** The provider's signing keys (its `jwks_uri`), cached and refreshed on an unknown `kid`. */
  keys(): Promise<JWTVerifyGetKey>;
  isReady(): boolean;
  stop(): void;
}

/**
 * openid-client set up for one site. Discovery runs at once and, while the provider is not up
 * yet (the demo sites may start before it), again with a growing delay until it succeeds.
 */
export function createOidcClient(settings: OidcClientSettings): OidcClient {
  const initialRetryMs = settings.initialRetryMs ?? 500;
  const maxRetryMs = settings.maxRetryMs ?? 15_000;
  const insecure = new URL(settings.issuer).protocol === 'http:';
  let config: oidc.Configuration | undefined;
  let jwks: JWTVerifyGetKey | undefined;
  let inflight: Promise<oidc.Configuration> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = initialRetryMs;
  let stopped = false;
  let warned = false;

  const attempt = (): Promise<oidc.Configuration> => {
    inflight ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        {
          id_token_signed_response_alg: settings.idTokenSignedResponseAlg,
          // Every ID token must say when the person authenticated (step-up checks rely on it).
          require_auth_time: true,
        },
        oidc.ClientSecretBasic(settings.clientSecret),
        { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: 5 },
      )
      .then((discovered) => {
        config = discovered;
        return discovered;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  const background = () => {
    if (stopped || config) return;
    attempt().then(
      () => settings.logger.info({ issuer: settings.issuer }, 'provider discovered'),
      (error: Error) => {
        if (stopped) return;
        if (!warned) {
          settings.logger.warn(
            { issuer: settings.issuer, err: error.message },
            'provider not reachable yet: retrying discovery',
          );
          warned = true;
        }
        timer = setTimeout(background, delay);
        timer.unref();
        delay = Math.min(delay * 2, maxRetryMs);
      },
    );
  };
  background();

  const configuration = async () => {
    if (config) return config;
    try {
      return await attempt();
    } catch (error) {
      throw new ProviderUnavailableError(`provider discovery failed: ${(error as Error).message}`);
    }
  };

  return {
    configuration,
    async keys() {
      if (jwks) return jwks;
      const jwksUri = (await configuration()).serverMetadata().jwks_uri;
      if (!jwksUri) throw new ProviderUnavailableError('the provider publishes no jwks_uri');
      jwks = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
      return jwks;
    },
    isReady: () => config !== undefined,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
