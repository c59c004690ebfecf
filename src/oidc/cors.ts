import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { type KnownOrigins, originAllowed } from './client-origins.js';

/**
 * CORS on oidc-provider's client endpoints, limited to each client's own redirect origins.
 *
 * oidc-provider calls `clientBasedCORS(ctx, origin, client)` once it knows the client of a
 * cross-origin request; a refusal answers invalid_request (no token is issued, nothing is
 * revoked) without Access-Control-Allow-Origin. But it answers every preflight, and every request
 * whose client it never learns (an unknown client_id, a bad access token at /me), with
 * `Access-Control-Allow-Origin: <whatever Origin was sent>`. `corsOriginGate` runs after it and
 * takes the CORS headers off those answers unless the origin belongs to some registered client,
 * so a site's page can still read its own error responses (an expired token at /me).
 */

/** oidc-provider's `clientBasedCORS` configuration helper. */
export function clientBasedCors(
  _ctx: KoaContextWithOIDC,
  origin: string,
  client: { redirectUris?: readonly string[] | undefined },
): boolean {
  return originAllowed(client.redirectUris, origin);
}

/** The oidc-provider routes (and their `cors.<route>` preflights) whose CORS names a client. */
const CLIENT_ROUTES = new Set([
  'token',
  'userinfo',
  'introspection',
  'revocation',
  'pushed_authorization_request',
  'device_authorization',
  'credential',
]);

const CORS_HEADERS = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Allow-Credentials',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
];

interface OidcView {
  oidc?: { route?: string; client?: { redirectUris?: readonly string[] | undefined } };
}

/** Mount before oidc-provider's routes (provider.use): it checks their answers on the way out. */
export function corsOriginGate(known: KnownOrigins): Middleware {
  return async function corsOriginGateMiddleware(ctx, next) {
    await next();
    const origin = ctx.get('Origin');
    if (!origin || !ctx.response.get('Access-Control-Allow-Origin')) return;
    const { oidc } = ctx as unknown as OidcView;
    const route = oidc?.route?.replace(/^cors\./, '');
    if (!route || !CLIENT_ROUTES.has(route)) return;
    const allowed = oidc?.client ? originAllowed(oidc.client.redirectUris, origin) : await known.has(origin);
    if (!allowed) for (const header of CORS_HEADERS) ctx.remove(header);
  };
}
