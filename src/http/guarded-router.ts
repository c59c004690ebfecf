import Router from '@koa/router';
import type { Middleware } from 'koa';

export interface GuardedRouterOptions {
  prefix?: string;
  /** Run first, in this order, on every route of the router: auth checks, no-store headers… */
  guards: Middleware[];
}

/**
 * A @koa/router whose guards are part of every route's own middleware list.
 *
 * Why: a guard mounted with `router.use()` is a layer of its own, matched separately from the
 * routes. On a prefixed router @koa/router matched that layer case-sensitively and the routes
 * case-insensitively, so `POST /Admin/api/clients/x/secret` reached the handler without the
 * admin token. Here no route can be matched without its guards running first, whatever spelling
 * of the path matched it; and the router is case-sensitive, so other spellings match nothing.
 * `use()` is refused: middleware added that way would again be matched apart from the routes.
 */
export function createGuardedRouter(options: GuardedRouterOptions): Router {
  const router = new Router({ ...(options.prefix ? { prefix: options.prefix } : {}), sensitive: true });
  const guards = [...options.guards];
  const register = router.register.bind(router);
  router.register = (path, methods, middleware, additional) =>
    register(
      path,
      methods,
      [...guards, ...(Array.isArray(middleware) ? middleware : [middleware])],
      additional,
    );
  router.use = () => {
    throw new Error('a guarded router takes middleware per route, never through use()');
  };
  return router;
}
