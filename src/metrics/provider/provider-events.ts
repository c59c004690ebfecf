import type Provider from 'oidc-provider';
import { type Metrics, safeLabel } from '../metrics.js';

/** Grant types that may become a label; anything else a client sends is `other`. */
const GRANT_TYPES = new Set([
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:openid:params:grant-type:ciba',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);

/** oidc-provider model events (`<model>.saved` / `.issued`) that mean "a token was issued". */
const ISSUED: Record<string, string> = {
  'access_token.saved': 'access_token',
  'access_token.issued': 'access_token',
  'refresh_token.saved': 'refresh_token',
  'authorization_code.saved': 'authorization_code',
  'client_credentials.saved': 'client_credentials',
  'client_credentials.issued': 'client_credentials',
  'device_code.saved': 'device_code',
};

interface OidcContextLike {
  oidc?: { params?: Record<string, unknown> };
  body?: unknown;
}

function grantType(ctx: OidcContextLike): string {
  const value = ctx.oidc?.params?.grant_type;
  return typeof value === 'string' && GRANT_TYPES.has(value) ? value : 'other';
}

function errorCode(error: unknown): string {
  return safeLabel((error as { error?: unknown } | undefined)?.error, 'server_error');
}

/**
 * Listens to oidc-provider's events: interactions started (sign-ins), authorization responses,
 * token endpoint outcomes by grant type, tokens issued by type (ID tokens counted from the token
 * endpoint's answers) and server errors. Listeners only count; they never throw.
 */
export function observeProvider(provider: Provider, metrics: Metrics): void {
  const { oidc, signIns } = metrics;
  provider.on('interaction.started', (_ctx: unknown, prompt: { name?: unknown } | undefined) => {
    signIns.started.inc({ prompt: safeLabel(prompt?.name) });
  });
  provider.on('authorization.success', () => {
    oidc.authorizations.inc({ outcome: 'success', error: 'none' });
  });
  provider.on('authorization.error', (_ctx: unknown, error: unknown) => {
    oidc.authorizations.inc({ outcome: 'error', error: errorCode(error) });
  });
  provider.on('grant.success', (ctx: OidcContextLike) => {
    oidc.grants.inc({ grant_type: grantType(ctx), outcome: 'success', error: 'none' });
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (body && typeof body.id_token === 'string') oidc.tokens.inc({ type: 'id_token' });
  });
  provider.on('grant.error', (ctx: OidcContextLike, error: unknown) => {
    oidc.grants.inc({ grant_type: grantType(ctx), outcome: 'error', error: errorCode(error) });
  });
  provider.on('server_error', () => {
    oidc.serverErrors.inc({ event: 'server_error' });
  });
  // Provider is a Koa app, hence an EventEmitter; its typings list only some model events.
  const emitter = provider as unknown as NodeJS.EventEmitter;
  for (const [event, type] of Object.entries(ISSUED)) {
    emitter.on(event, () => oidc.tokens.inc({ type }));
  }
}
