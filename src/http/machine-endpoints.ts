import type { Next } from 'koa';

/**
 * oidc-provider's endpoints that only machines call: /token, introspection, revocation, userinfo
 * and the JWKS. They answer JSON, set no cookie and render no page, and no route of ours lives at
 * their paths; yet every middleware mounted before oidc-provider runs for them (the locale's
 * query, cookie and Accept-Language parsing, a dozen routers matching the path against their
 * patterns). A refresh grant is the busiest request there is (issue 17): the page-only middleware
 * is skipped for these paths.
 */
export const MACHINE_ENDPOINT_ROUTES = ['token', 'introspection', 'revocation', 'userinfo', 'jwks'] as const;

/** The paths of those endpoints on a provider (`provider.pathFor`, mount path included). */
export function machineEndpointPaths(pathFor: (route: string) => string): ReadonlySet<string> {
  return new Set(MACHINE_ENDPOINT_ROUTES.map((route) => pathFor(route)));
}

/**
 * `middleware` for every request but those to `machinePaths`, which go straight on. For
 * middleware that serves pages, our own routes or browser-only concerns; never for what guards
 * the machine endpoints too (security headers, CORS, secret-rotation grace, logging, metrics).
 */
export function pagesOnly<C extends { path: string }, R>(
  machinePaths: ReadonlySet<string>,
  middleware: (ctx: C, next: Next) => R,
): (ctx: C, next: Next) => R | Promise<unknown> {
  return (ctx, next) => (machinePaths.has(ctx.path) ? next() : middleware(ctx, next));
}
