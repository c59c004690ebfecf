import { expect } from 'chai';
import type { Middleware } from 'koa';
import pino from 'pino';
import type { AdminAudit } from '../../../src/admin/audit.js';
import type { ClientRegistry } from '../../../src/admin/client-registry.js';
import { createAdminRouter } from '../../../src/admin/http/admin-router.js';
import { createGuardedRouter } from '../../../src/http/guarded-router.js';

describe('createGuardedRouter', () => {
  const guard: Middleware = async (_ctx, next) => next();

  it('puts the guards first in every route, whichever method registered it', () => {
    const router = createGuardedRouter({ prefix: '/p', guards: [guard] });
    const handler: Middleware = async () => {};
    router.get('/a', handler);
    router.post('/b', handler, handler);
    router.all('{/*rest}', handler);
    expect(router.stack).to.have.length(3);
    for (const layer of router.stack) expect(layer.stack[0]).to.equal(guard);
  });

  it('refuses use(): a separate layer could be matched apart from the routes', () => {
    const router = createGuardedRouter({ guards: [guard] });
    expect(() => router.use(guard)).to.throw(/per route/);
  });

  it('is case-sensitive', () => {
    const router = createGuardedRouter({ prefix: '/admin/api', guards: [guard] });
    router.get('/clients', async () => {});
    expect(router.match('/Admin/api/clients', 'GET').route).to.equal(false);
    expect(router.match('/admin/api/clients', 'GET').route).to.equal(true);
  });

  it('the admin API router has its boundary and token guard in every route', () => {
    const router = createAdminRouter({
      registry: {} as ClientRegistry,
      audit: {} as AdminAudit,
      adminToken: 'a-long-enough-admin-token-0123456789abcdef',
      logger: pino({ level: 'silent' }),
    });
    const guards = router.stack.map((layer) => layer.stack.slice(0, 2).map((fn) => fn.name));
    expect(guards.length).to.be.greaterThan(7);
    for (const names of guards) expect(names).to.deep.equal(['boundary', 'guard']);
  });
});
