import Router from '@koa/router';

export interface HealthChecks {
  /** Resolves when the store answers. */
  store(): Promise<void>;
  /** True once signing keys are loaded. */
  keysLoaded(): boolean;
  /** False once shutdown began: the load balancer should stop sending traffic. */
  accepting(): boolean;
}

/** `/healthz`: the process is alive. `/readyz`: it can serve (store reachable, keys loaded). */
export function createHealthRouter(checks: HealthChecks): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const store = await checks.store().then(
      () => true,
      () => false,
    );
    const keys = checks.keysLoaded();
    const accepting = checks.accepting();
    const ready = store && keys && accepting;
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: { store, keys, accepting } };
  });
  return router;
}
