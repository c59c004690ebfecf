import * as querystring from 'node:querystring';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from 'pino';
import type { PreviousSecrets } from '../previous-secrets.js';

/**
 * Client secret rotation with a grace period: the HTTP side (the rule is previous-secrets.ts).
 *
 * The middleware below runs in front of the provider's token, introspection and revocation
 * endpoints: a request that authenticates (client_secret_basic or client_secret_post) with a
 * client's previous secret, within its grace, has its credentials rewritten to the current
 * secret before oidc-provider sees them. So a relying party can deploy the new secret at its own
 * pace.
 *
 * Only these two methods are graced: client_secret_jwt is not offered, and HMAC-signed ID tokens
 * use the current secret at once.
 */

export interface SecretGraceDeps {
  previousSecrets: Pick<PreviousSecrets, 'currentFor' | 'anyInGrace'>;
  logger?: Logger;
  /** The provider's client-authenticating endpoints; defaults to oidc-provider's routes. */
  paths?: readonly string[];
  /**
   * The clients of the provider's configuration (CLIENTS_FILE, first party): oidc-provider checks
   * their secret against the configuration, never against a stored record, so no previous secret
   * can stand in for theirs and their requests skip the store read (issue 17: one round trip
   * per token request). The configuration is the same on every node.
   */
  staticClientIds?: ReadonlySet<string>;
}

export const CLIENT_AUTH_PATHS = ['/token', '/token/introspection', '/token/revocation'] as const;

/** oidc-provider reads at most this much of a form body; larger bodies are left to it to refuse. */
const FORM_LIMIT = 56 * 1024;

/**
 * Koa middleware to mount BEFORE oidc-provider's routes (`provider.use(...)` runs before them).
 * See the module comment for what it does. Any problem (a store outage, a malformed header)
 * leaves the request as it was, for oidc-provider to judge; the one request it answers itself
 * is a form body over oidc-provider's own 56 KiB limit that it had to read (400 invalid_request,
 * as oidc-provider would answer).
 */
export function previousSecretGrace(deps: SecretGraceDeps): Middleware {
  const paths = new Set(deps.paths ?? CLIENT_AUTH_PATHS);
  const { previousSecrets } = deps;
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'POST' || !paths.has(ctx.path)) return next();
    try {
      const authorization = ctx.get('authorization');
      if (authorization) await graceBasic(ctx, authorization);
      else if (ctx.is('application/x-www-form-urlencoded') && !(await gracePost(ctx))) {
        ctx.status = 400;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { error: 'invalid_request', error_description: 'failed to parse the request body' };
        return;
      }
    } catch (error) {
      // A store outage or a malformed header: oidc-provider decides with the original request.
      deps.logger?.warn({ err: (error as Error).message }, 'previous-secret grace check skipped');
    }
    return next();
  };

  async function graceBasic(ctx: Context, authorization: string): Promise<void> {
    const [scheme, token, ...rest] = authorization.split(' ');
    if (rest.length || !token || scheme?.toLowerCase() !== 'basic') return;
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return;
    // The same decoding as oidc-provider (RFC 6749 §2.3.1: form-encoded id and secret).
    const clientId = decodeFormComponent(decoded.slice(0, colon));
    const secret = decodeFormComponent(decoded.slice(colon + 1));
    if (!clientId || !secret || deps.staticClientIds?.has(clientId)) return;
    const current = await previousSecrets.currentFor(clientId, secret);
    if (!current) return;
    const encoded = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(current)}`).toString(
      'base64',
    );
    ctx.req.headers.authorization = `Basic ${encoded}`;
    graced(clientId, 'client_secret_basic');
  }

  /** False when the body is too large to be a token request (answered 400 as oidc-provider would). */
  async function gracePost(ctx: Context): Promise<boolean> {
    // Reading the form costs a store read per request, so only while some grace is running.
    if (!(await previousSecrets.anyInGrace())) return true;
    const declared = ctx.request.length;
    if (declared !== undefined && declared > FORM_LIMIT) return true;
    const raw = await readBody(ctx);
    if (raw === undefined) return false;
    // oidc-provider's body reader falls back to `ctx.request.body` once the stream is consumed
    // (it logs one "already parsed request body" notice per process); the text is handed over
    // unchanged unless the secret is swapped.
    let body = raw;
    try {
      const params = querystring.parse(raw);
      const { client_id: clientId, client_secret: secret } = params;
      if (typeof clientId === 'string' && typeof secret === 'string' && clientId && secret) {
        const current = await previousSecrets.currentFor(clientId, secret);
        if (current) {
          body = querystring.stringify({ ...params, client_secret: current });
          graced(clientId, 'client_secret_post');
        }
      }
    } finally {
      (ctx.request as { body?: unknown }).body = body;
    }
    return true;
  }

  function graced(clientId: string, method: string): void {
    deps.logger?.info({ clientId, method }, 'client authenticated with its previous secret (rotation grace)');
  }
}

function decodeFormComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

/** The whole form body as text; undefined when it exceeds the limit. */
async function readBody(ctx: Context): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > FORM_LIMIT) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
