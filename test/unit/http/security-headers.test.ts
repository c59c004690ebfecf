import { expect } from 'chai';
import Koa from 'koa';
import { securityHeaders } from '../../../src/http/security-headers.js';
import { type Served, serve } from './serve.js';

async function start(production: boolean, seen: string[] = []): Promise<Served> {
  const app = new Koa();
  app.use(securityHeaders({ production }));
  app.use((ctx) => {
    // What oidc-provider's form_post does: read the policy and add its script's hash.
    seen.push(ctx.response.get('content-security-policy') as string);
    if (ctx.path === '/json') {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request' };
    } else {
      ctx.body = '<p>hi</p>';
    }
  });
  return serve(app);
}

describe('security headers', () => {
  it('sets the policy headers on every response, and no form-action', async () => {
    const seen: string[] = [];
    const served = await start(false, seen);
    try {
      for (const route of ['/page', '/json']) {
        const response = await fetch(`${served.url}${route}`);
        const csp = response.headers.get('content-security-policy')!;
        expect(csp).to.equal(
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
        );
        expect(csp).not.to.contain('form-action');
        expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(response.headers.get('referrer-policy')).to.equal('no-referrer');
        expect(response.headers.get('x-frame-options')).to.equal('DENY');
        expect(response.headers.get('permissions-policy')).to.contain('camera=()');
        expect(response.headers.get('cross-origin-opener-policy')).to.equal('same-origin');
        expect(response.headers.get('strict-transport-security')).to.equal(null);
      }
      const json = await fetch(`${served.url}/json`);
      expect(await json.json()).to.deep.equal({ error: 'invalid_request' });
      // Set before the rest of the chain runs, so oidc-provider can extend script-src.
      expect(seen[0]).to.contain("script-src 'self'");
    } finally {
      await served.close();
    }
  });

  it('adds Strict-Transport-Security in production only', async () => {
    const served = await start(true);
    try {
      const response = await fetch(`${served.url}/page`);
      expect(response.headers.get('strict-transport-security')).to.equal(
        'max-age=63072000; includeSubDomains',
      );
    } finally {
      await served.close();
    }
  });
});
