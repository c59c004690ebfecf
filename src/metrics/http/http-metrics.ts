import type { Context, Middleware, Next } from 'koa';
import { constantEquals } from '../../crypto/constant-equals.js';
import type { Metrics } from '../metrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route label of a request: the pattern the router matched (`/interaction/:uid/mobile`,
 * `/auth/:uid`, `/token`…). Both @koa/router and oidc-provider's router leave it in
 * `ctx._matchedRoute`. Unmatched requests are grouped, never labelled with their raw path (which
 * may carry ids, codes or an attacker's junk).
 */
export function routeLabel(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string' && matched) return matched;
  if (ctx.path.startsWith('/assets/')) return '/assets/*';
  return ctx.status === 404 ? 'unmatched' : 'other';
}

/** Counts and times every request by method, route pattern and status. Mount it near the top. */
export function httpMetrics(metrics: Metrics): Middleware {
  return async function measure(ctx: Context, next: Next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const method = METHODS.has(ctx.method) ? ctx.method : 'OTHER';
      const route = routeLabel(ctx);
      metrics.http.requests.inc({ method, route, status: String(ctx.status) });
      metrics.http.duration.observe({ method, route }, (performance.now() - started) / 1000);
    }
  };
}

export interface MetricsEndpointOptions {
  /** `METRICS_TOKEN`. Unset: the endpoint does not exist (the request falls through to 404). */
  token?: string;
  path?: string;
}

/**
 * `GET /metrics` in Prometheus text format, for `Authorization: Bearer <METRICS_TOKEN>` only
 * (401 otherwise). Without a token configured it is not mounted at all: the path answers like
 * any unknown path (404).
 */
export function metricsEndpoint(metrics: Metrics, options: MetricsEndpointOptions): Middleware {
  const path = options.path ?? '/metrics';
  const expected = options.token ? `Bearer ${options.token}` : undefined;
  return async function serveMetrics(ctx: Context, next: Next) {
    if (ctx.path !== path || !expected) return next();
    (ctx as Context & { _matchedRoute?: string })._matchedRoute = path;
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      return;
    }
    if (!constantEquals(ctx.get('authorization'), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      ctx.status = 401;
      ctx.body = { error: 'unauthorized' };
      return;
    }
    const { contentType, body } = await metrics.render();
    ctx.type = contentType;
    ctx.body = body;
  };
}
