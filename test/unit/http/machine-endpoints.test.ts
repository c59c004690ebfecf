import { expect } from 'chai';
import Koa, { type Context, type Next } from 'koa';
import { machineEndpointPaths, pagesOnly } from '../../../src/http/machine-endpoints.js';
import { type Served, serve } from './serve.js';

describe('machine endpoints skip page-only middleware', () => {
  let served: Served;

  before(async () => {
    const app = new Koa();
    const paths = machineEndpointPaths((route) => (route === 'userinfo' ? '/me' : `/${route}`));
    app.use(
      pagesOnly(paths, async (ctx: Context, next: Next) => {
        ctx.set('X-Page-Middleware', 'ran');
        await next();
      }),
    );
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    served = await serve(app);
  });
  after(() => served.close());

  const ran = async (path: string) =>
    (await fetch(`${served.url}${path}`, { method: 'POST' })).headers.get('x-page-middleware') === 'ran';

  it('names the provider paths of /token, introspection, revocation, userinfo and the JWKS', () => {
    const paths = machineEndpointPaths((route) => `/oidc/${route}`);
    expect([...paths]).to.deep.equal([
      '/oidc/token',
      '/oidc/introspection',
      '/oidc/revocation',
      '/oidc/userinfo',
      '/oidc/jwks',
    ]);
  });

  it('passes the machine endpoints straight on', async () => {
    expect(await ran('/token')).to.equal(false);
    expect(await ran('/me')).to.equal(false);
  });

  it('runs the middleware for every other path, near misses included', async () => {
    expect(await ran('/auth')).to.equal(true);
    expect(await ran('/token/')).to.equal(true);
    expect(await ran('/tokens')).to.equal(true);
    expect(await ran('/interaction/abc')).to.equal(true);
  });
});
