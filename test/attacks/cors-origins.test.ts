import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { TestBrowser } from '../helpers/browser.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { ORDINARY, walk } from '../security/support.js';

/**
 * Attack: a page on https://evil.example calls the provider's client endpoints with the visitor's
 * browser (fetch with an access token it got hold of, or a code it intercepted) and reads the
 * answers, because CORS answered any Origin. Replayed over raw HTTP with the Origin header a
 * browser would send, preflights (OPTIONS) included: the answer must not carry
 * Access-Control-Allow-Origin for that origin, while the site's own redirect origin still gets it.
 */

const EVIL = 'https://evil.example';
const ADMIN_TOKEN = 'cors-admin-token-0123456789abcdef0123456789';
const SALES_SECRET = 'sales-secret-0123456789abcdef0123456789';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('attack: CORS answers any origin on /token, /me and friends', function () {
  this.timeout(60_000);
  let h: Harness;
  /** The sales site's own origin: the origin of its redirect URI. */
  let own: string;
  let accessToken: string;

  before(async () => {
    h = await startHarness({ env: { ADMIN_TOKEN } });
    own = h.callbackBase;
    accessToken = await signInAndRedeem();
  });
  after(async () => h?.close());

  async function signInAndRedeem(): Promise<string> {
    const redirectUri = `${h.callbackBase}/sales/cb`;
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(`${h.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: 'sales',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: 'cors-state',
      nonce: 'cors-nonce',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const browser = new TestBrowser((next) => next.origin === h.callbackBase, {
      'x-forwarded-for': '198.51.100.61',
    });
    const journey = await walk(h, browser, url.toString(), ORDINARY[0] as (typeof ORDINARY)[number]);
    expect(journey.atCallback, journey.last.url).to.equal(true);
    const code = new URL(journey.last.url).searchParams.get('code') ?? '';
    const response = await fetch(`${h.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic('sales', SALES_SECRET),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    expect(response.status).to.equal(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  /** A cross-origin request as a browser sends it; the answer's CORS headers. */
  async function call(
    origin: string,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; form?: Record<string, string> } = {},
  ) {
    const response = await fetch(`${h.issuer}${path}`, {
      method,
      headers: {
        origin,
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    await response.arrayBuffer();
    return {
      status: response.status,
      allowOrigin: response.headers.get('access-control-allow-origin'),
      allowMethods: response.headers.get('access-control-allow-methods'),
    };
  }

  const preflight = (origin: string, path: string, method: string, headers: string) =>
    call(origin, 'OPTIONS', path, {
      headers: { 'access-control-request-method': method, 'access-control-request-headers': headers },
    });

  const PREFLIGHTS: Array<[path: string, method: string, headers: string]> = [
    ['/token', 'POST', 'authorization,dpop'],
    ['/me', 'GET', 'authorization'],
    ['/token/introspection', 'POST', 'authorization'],
    ['/token/revocation', 'POST', 'authorization'],
  ];

  for (const [path, method, headers] of PREFLIGHTS) {
    it(`preflight OPTIONS ${path}: nothing for ${EVIL}, allowed for the site's own origin`, async () => {
      const evil = await preflight(EVIL, path, method, headers);
      expect(evil.allowOrigin, `OPTIONS ${path} from ${EVIL}`).to.equal(null);
      expect(evil.allowMethods).to.equal(null);
      const mine = await preflight(own, path, method, headers);
      expect(mine.allowOrigin, `OPTIONS ${path} from ${own}`).to.equal(own);
    });
  }

  it('/me with a valid access token: refused to evil.example, readable by the site', async () => {
    const evil = await call(EVIL, 'GET', '/me', { headers: { authorization: `Bearer ${accessToken}` } });
    expect(evil.allowOrigin).to.equal(null);
    expect(evil.status).to.equal(400);
    const mine = await call(own, 'GET', '/me', { headers: { authorization: `Bearer ${accessToken}` } });
    expect(mine.status).to.equal(200);
    expect(mine.allowOrigin).to.equal(own);
  });

  it('/me with a bad access token (no client known): no CORS for evil.example', async () => {
    const evil = await call(EVIL, 'GET', '/me', { headers: { authorization: 'Bearer not-a-token' } });
    expect(evil.status).to.equal(401);
    expect(evil.allowOrigin).to.equal(null);
    // The site can still read its own 401 (to know it must sign in again).
    expect(
      (await call(own, 'GET', '/me', { headers: { authorization: 'Bearer not-a-token' } })).allowOrigin,
    ).to.equal(own);
  });

  it('/token: no CORS for evil.example, whether the client is known or not', async () => {
    const form = { grant_type: 'authorization_code', code: 'intercepted', redirect_uri: `${own}/sales/cb` };
    const known = await call(EVIL, 'POST', '/token', {
      headers: { authorization: basic('sales', SALES_SECRET) },
      form,
    });
    expect(known.allowOrigin).to.equal(null);
    const unknown = await call(EVIL, 'POST', '/token', {
      form: { ...form, client_id: 'no-such-client', client_secret: 'x' },
    });
    expect(unknown.status).to.equal(401);
    expect(unknown.allowOrigin).to.equal(null);
    const mine = await call(own, 'POST', '/token', {
      headers: { authorization: basic('sales', SALES_SECRET) },
      form,
    });
    expect(mine.status).to.equal(400);
    expect(mine.allowOrigin).to.equal(own);
  });

  for (const path of ['/token/introspection', '/token/revocation']) {
    it(`${path}: no CORS for evil.example; the site's origin is allowed`, async () => {
      const form = { token: accessToken, token_type_hint: 'access_token' };
      const headers = { authorization: basic('sales', SALES_SECRET) };
      const evil = await call(EVIL, 'POST', path, { headers, form });
      expect(evil.allowOrigin, `${path} from ${EVIL}`).to.equal(null);
      const unknown = await call(EVIL, 'POST', path, {
        headers: { authorization: basic('no-such-client', 'x') },
        form,
      });
      expect(unknown.allowOrigin, `${path} from ${EVIL}, unknown client`).to.equal(null);
      if (path.endsWith('introspection')) {
        const mine = await call(own, 'POST', path, { headers, form });
        expect(mine.status).to.equal(200);
        expect(mine.allowOrigin).to.equal(own);
      }
    });
  }

  it('an origin that is only a prefix or a sibling of the site is not its origin', async () => {
    const port = new URL(own).port;
    for (const origin of [
      `${own}.evil.example`,
      `http://localhost:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      expect((await preflight(origin, '/token', 'POST', 'authorization')).allowOrigin, origin).to.equal(null);
      expect(
        (await call(origin, 'GET', '/me', { headers: { authorization: `Bearer ${accessToken}` } }))
          .allowOrigin,
        origin,
      ).to.equal(null);
    }
  });

  it('a site added through the admin API gets CORS for its own origin only', async () => {
    const spa = 'https://spa.example';
    const created = await fetch(`${h.issuer}/admin/api/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [`${spa}/cb`], token_endpoint_auth_method: 'none' }),
    });
    expect(created.status).to.equal(201);
    const { client_id: clientId } = (await created.json()) as { client_id: string };
    // Origins of stored clients are cached per node; an unknown origin reloads them within a second.
    let allowed: string | null = null;
    for (let attempt = 0; attempt < 30 && allowed !== spa; attempt++) {
      allowed = (await preflight(spa, '/token', 'POST', 'dpop')).allowOrigin;
      if (allowed !== spa) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(allowed).to.equal(spa);
    const form = {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: clientId,
      redirect_uri: `${spa}/cb`,
    };
    expect((await call(spa, 'POST', '/token', { form })).allowOrigin).to.equal(spa);
    // Its origin is not a pass for another site's client.
    expect(
      (
        await call(spa, 'POST', '/token', {
          headers: { authorization: basic('sales', SALES_SECRET) },
          form: { ...form, client_id: 'sales' },
        })
      ).allowOrigin,
    ).to.equal(null);
    expect((await call(EVIL, 'POST', '/token', { form })).allowOrigin).to.equal(null);
  });
});
