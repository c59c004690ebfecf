import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { constantEquals } from '../../crypto/constant-equals.js';
import { createGuardedRouter } from '../../http/guarded-router.js';
import { type BodyFailure, BodyParseError, jsonBody } from '../../http/request-body.js';
import { StoreUnavailableError } from '../../store/store.js';
import { type Actor, type AdminAudit, adminActor } from '../audit.js';
import type { BackchannelLogoutStatus } from '../backchannel-status.js';
import { ClientMetadataError } from '../client-metadata-validation.js';
import { AdminRequestError, ClientNotFoundError, type ClientRegistry } from '../client-registry.js';

/**
 * The admin API (DESIGN §2.7), mounted on the provider's Koa app:
 *
 *   POST   /admin/api/clients                  201 RFC 7591 client information (secret shown once)
 *   GET    /admin/api/clients                  200 {"clients":[…]} (no secrets)
 *   GET    /admin/api/clients/{id}             200 metadata (no secret) | 404
 *   PUT    /admin/api/clients/{id}             200 full replace; the secret is kept
 *   DELETE /admin/api/clients/{id}             204; grants and tokens revoked
 *   POST   /admin/api/clients/{id}/secret      200 {"client_secret":…}; old one graced
 *   GET    /admin/api/clients/{id}/backchannel-logout   200 delivery state | 404
 *   POST   /admin/api/initial-access-tokens    201 {"initial_access_token":…,"expires_in":…}
 *   GET    /admin/api/audit?limit=N&stream=admin|security   200 {"entries":[…]} newest first
 *
 * Without ADMIN_TOKEN every path under /admin/api answers 404; with it, every path (known or
 * not) first needs `Authorization: Bearer <ADMIN_TOKEN>` (401 otherwise), compared in constant
 * time as sha256 digests. Errors are JSON, RFC 7591 style; responses are never cached.
 */

export interface AdminRouterDeps {
  registry: ClientRegistry;
  /** Unset: the admin API does not exist (404). */
  adminToken?: string;
  audit: AdminAudit;
  /** Security events (sign-ins, lockouts, consents…), when the app provides them. */
  securityAudit?: { recent(limit: number): Promise<unknown[]> };
  logger: Logger;
  /** Back-channel logout delivery state, for any client the provider knows (static ones too). */
  backchannelLogout?: {
    /** The client's back-channel logout URI; null when it has none; undefined when no such client. */
    uriOf(clientId: string): Promise<string | null | undefined>;
    read(clientId: string): Promise<BackchannelLogoutStatus>;
  };
  /** Largest accepted JSON body. */
  bodyLimit?: string;
}

export const ADMIN_PREFIX = '/admin/api';
const MAX_AUDIT_LIMIT = 1000;
const DEFAULT_AUDIT_LIMIT = 100;

type ErrorBody = { error: string; error_description?: string };

function answer(ctx: Context, status: number, body?: unknown): void {
  ctx.status = status;
  if (body !== undefined) ctx.body = body;
}

function fail(ctx: Context, status: number, error: string, description?: string): void {
  const body: ErrorBody = description ? { error, error_description: description } : { error };
  answer(ctx, status, body);
}

const idOf = (ctx: { params: Record<string, string | undefined> }) => ctx.params.id ?? '';

export function createAdminRouter(deps: AdminRouterDeps): Router {
  const { registry, logger } = deps;
  const expected = deps.adminToken;
  const actorName = deps.adminToken ? adminActor(deps.adminToken) : 'admin';

  const actorOf = (ctx: Context): Actor => {
    const requestId = ctx.state.requestId;
    return { who: actorName, ...(typeof requestId === 'string' ? { requestId } : {}) };
  };

  /** Error mapping: every refusal is JSON; only real bugs answer 500 (logged, no details out). */
  async function boundary(ctx: Context, next: Next): Promise<void> {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    try {
      await next();
    } catch (error) {
      if (error instanceof ClientMetadataError) return fail(ctx, 400, error.error, error.description);
      if (error instanceof ClientNotFoundError) return fail(ctx, 404, 'not_found');
      if (error instanceof AdminRequestError) return fail(ctx, error.status, error.error, error.description);
      if (error instanceof StoreUnavailableError) {
        ctx.set('Retry-After', '5');
        return fail(ctx, 503, 'temporarily_unavailable', 'the store is unavailable; try again');
      }
      if (error instanceof BodyParseError)
        return fail(ctx, error.status, 'invalid_request', BODY_FAILURES[error.reason]);
      const log = (ctx.state.logger as Logger | undefined) ?? logger;
      log.error({ err: error }, 'admin API error');
      fail(ctx, 500, 'server_error', 'unexpected error; see the server log');
    }
  }

  /** 404 while disabled; 401 without the right bearer token. */
  async function guard(ctx: Context, next: Next): Promise<void> {
    if (!expected) return fail(ctx, 404, 'not_found');
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      ctx.set('WWW-Authenticate', 'Bearer realm="darvaze-admin"');
      return fail(ctx, 401, 'unauthorized', 'Authorization: Bearer <ADMIN_TOKEN> is required');
    }
    if (!constantEquals(match[1], expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="darvaze-admin", error="invalid_token"');
      (ctx.state.logger ?? logger).warn({ ip: ctx.ip, path: ctx.path }, 'admin API: wrong bearer token');
      return fail(ctx, 401, 'invalid_token', 'the bearer token is not the admin token');
    }
    await next();
  }

  const parseJson = jsonBody({
    limit: deps.bodyLimit ?? '64kb',
    methods: ['POST', 'PUT'],
  });
  const BODY_FAILURES: Record<BodyFailure, string> = {
    too_large: `request body larger than ${deps.bodyLimit ?? '64kb'}`,
    unsupported: 'unsupported content encoding or charset',
    malformed: 'request body is not valid JSON (or its compressed stream is corrupt)',
  };

  /** A JSON object body is required (415 for another type, 400 for anything but an object). */
  const objectBody = (required: boolean) => async (ctx: Context, next: Next) => {
    const hasBody = ctx.request.length ? ctx.request.length > 0 : Boolean(ctx.get('transfer-encoding'));
    if (!hasBody) {
      if (required)
        return fail(ctx, 400, 'invalid_client_metadata', 'a JSON object of client metadata is required');
      ctx.request.body = {};
      return next();
    }
    if (!ctx.is('application/json')) {
      return fail(ctx, 415, 'invalid_request', 'the request body must be application/json');
    }
    await parseJson(ctx, async () => {});
    const body = ctx.request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return fail(ctx, 400, 'invalid_client_metadata', 'the request body must be a JSON object');
    }
    await next();
  };

  // The boundary and the guard run inside every route's own match (never a separate layer that
  // another spelling of the path could miss): see createGuardedRouter.
  const router = createGuardedRouter({ prefix: ADMIN_PREFIX, guards: [boundary, guard] });

  router.post('/clients', objectBody(true), async (ctx) => {
    const created = await registry.create(ctx.request.body, actorOf(ctx));
    ctx.set('Location', `${ADMIN_PREFIX}/clients/${encodeURIComponent(created.client_id)}`);
    answer(ctx, 201, created);
  });

  router.get('/clients', async (ctx) => {
    answer(ctx, 200, { clients: await registry.list() });
  });

  router.get('/clients/:id', async (ctx) => {
    const client = await registry.get(idOf(ctx));
    if (!client) return fail(ctx, 404, 'not_found');
    answer(ctx, 200, client);
  });

  router.put('/clients/:id', objectBody(true), async (ctx) => {
    answer(ctx, 200, await registry.replace(idOf(ctx), ctx.request.body, actorOf(ctx)));
  });

  router.delete('/clients/:id', async (ctx) => {
    if (!(await registry.delete(idOf(ctx), actorOf(ctx)))) return fail(ctx, 404, 'not_found');
    answer(ctx, 204);
  });

  router.post('/clients/:id/secret', objectBody(false), async (ctx) => {
    answer(ctx, 200, await registry.rotateSecret(idOf(ctx), actorOf(ctx)));
  });

  router.get('/clients/:id/backchannel-logout', async (ctx) => {
    const clientId = idOf(ctx);
    const uri = await deps.backchannelLogout?.uriOf(clientId);
    if (uri === undefined || !deps.backchannelLogout) return fail(ctx, 404, 'not_found');
    answer(ctx, 200, {
      client_id: clientId,
      backchannel_logout_uri: uri,
      ...(await deps.backchannelLogout.read(clientId)),
    });
  });

  router.post('/initial-access-tokens', objectBody(false), async (ctx) => {
    const requested = (ctx.request.body as { expires_in?: unknown }).expires_in;
    if (requested !== undefined && typeof requested !== 'number') {
      return fail(ctx, 400, 'invalid_request', 'expires_in must be a number of seconds');
    }
    answer(ctx, 201, await registry.issueInitialAccessToken(requested, actorOf(ctx)));
  });

  router.get('/audit', async (ctx) => {
    const raw = ctx.query.limit;
    const limit = raw === undefined ? DEFAULT_AUDIT_LIMIT : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
      return fail(ctx, 400, 'invalid_request', `limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`);
    }
    const stream = ctx.query.stream ?? 'admin';
    if (stream === 'admin') return answer(ctx, 200, { entries: await deps.audit.recent(limit) });
    if (stream === 'security' && deps.securityAudit) {
      return answer(ctx, 200, { entries: await deps.securityAudit.recent(limit) });
    }
    fail(ctx, 400, 'invalid_request', 'stream must be "admin" or "security"');
  });

  // Anything else under the prefix, once past the guard.
  router.all('{/*rest}', async (ctx) => {
    if (ctx.body === undefined && ctx.status === 404) fail(ctx, 404, 'not_found');
  });

  return router;
}
