/**
 * Session theft and fixation, clickjacking, mixed content: the whole app built as production
 * builds it (production: true behind a TLS-ending proxy, https issuer) and driven through a full
 * sign-in and logout. Every cookie it sets is Secure, HttpOnly and SameSite=Lax, the session
 * cookie is `__Host-` prefixed; every response carries the security headers (a CSP without
 * 'unsafe-inline' scripts, frame-ancestors 'none', HSTS, Referrer-Policy, nosniff).
 *
 * loadConfig refuses an http issuer and the development secrets in production, so the Config is
 * made by hand from a test configuration with production switched on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import pino from 'pino';
import { type Config, loadConfig } from '../../config/load.js';
import { type App, buildApp } from '../../src/composition/app.js';
import { createIdentitySimulator } from '../../src/identity/simulator.js';
import { resolveSecrets } from '../../src/keys/development-secrets.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { pageKind, TestBrowser } from '../helpers/browser.js';
import { ORDINARY } from './support.js';

const PUBLIC = 'https://id.example.test';
const RP = 'https://shop.example.test';
const SECRET = 'production-secret-0123456789abcdef01234567';
const citizen = ORDINARY[0]!;

interface Seen {
  method: string;
  url: string;
  status: number;
  headers: Headers;
}

describe('production cookies and security headers (the whole app, production: true)', function () {
  this.timeout(60_000);
  let app: App;
  let server: Server;
  let dataDir: string;
  let local: string;
  const seen: Seen[] = [];
  const codes = new Map<string, string>();
  const realFetch = globalThis.fetch;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'darvaze-prod-'));
    const testConfig = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, CAPTCHA: 'off', DEMO: 'off' });
    const config: Config = {
      ...testConfig,
      production: true,
      issuer: PUBLIC,
      trustProxy: true,
      captcha: false,
    };
    app = await buildApp(config, {
      store: new MemoryStore(),
      identityService: createIdentitySimulator(),
      smsSender: {
        async send(mobile, code) {
          codes.set(mobile.e164, code);
        },
      },
      logger: pino({ level: 'silent' }),
      secrets: await resolveSecrets(testConfig),
      extraClients: [
        {
          client_id: 'shop',
          client_secret: SECRET,
          client_name: 'Shop',
          redirect_uris: [`${RP}/cb`],
          post_logout_redirect_uris: [`${RP}/bye`],
          scope: 'openid profile phone',
        },
      ],
    });
    server = app.provider.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The TLS-ending proxy: https://id.example.test → this process, with X-Forwarded-*.
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const target = url.origin === PUBLIC ? new URL(`${local}${url.pathname}${url.search}`) : url;
      const headers = new Headers(init?.headers);
      if (url.origin === PUBLIC) {
        headers.set('x-forwarded-proto', 'https');
        headers.set('x-forwarded-host', 'id.example.test');
        headers.set('x-forwarded-for', '203.0.113.9');
      }
      const response = await realFetch(target, { ...init, headers });
      seen.push({
        method: init?.method ?? 'GET',
        url: url.toString(),
        status: response.status,
        headers: response.headers,
      });
      return response;
    };
  });

  after(async () => {
    globalThis.fetch = realFetch;
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a full sign-in, language switch, error pages, JSON endpoints and logout', async () => {
    const browser = new TestBrowser((url) => url.origin === RP);
    const verifier = oidc.randomPKCECodeVerifier();
    const auth = new URL(`${PUBLIC}/auth`);
    auth.search = new URLSearchParams({
      client_id: 'shop',
      response_type: 'code',
      scope: 'openid profile phone',
      redirect_uri: `${RP}/cb`,
      state: 'st',
      nonce: 'nn',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    let page = await browser.get(auth.toString());
    expect(pageKind(page)).to.equal('mobile');
    await browser.get(`${page.url}?lang=en`); // sets the language cookie
    page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    expect(pageKind(page)).to.equal('code');
    page = await browser.submit(page, { code: codes.get(`+98${citizen.mobile.slice(1)}`)! });
    expect(pageKind(page)).to.equal('identity');
    page = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(pageKind(page)).to.equal('consent');
    page = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
    expect(new URL(page.url).origin).to.equal(RP);
    const code = new URL(page.url).searchParams.get('code')!;

    const basic = `Basic ${Buffer.from(`shop:${SECRET}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
    const token = await fetch(`${PUBLIC}/token`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: `${RP}/cb`,
      }),
    });
    const tokens = (await token.json()) as { access_token: string; id_token: string };
    expect(token.status).to.equal(200);
    await (
      await fetch(`${PUBLIC}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })
    ).arrayBuffer();
    await (await fetch(`${PUBLIC}/me`, { headers: { authorization: 'Bearer nope' } })).arrayBuffer();
    await (
      await fetch(`${PUBLIC}/token`, { method: 'POST', headers: form, body: 'grant_type=nope' })
    ).arrayBuffer();
    for (const path of [
      '/.well-known/openid-configuration',
      '/jwks',
      '/healthz',
      '/assets/app.css',
      '/no-such-page',
    ]) {
      await (await fetch(`${PUBLIC}${path}`)).arrayBuffer();
    }
    await browser.get(`${PUBLIC}/interaction/unknown-interaction`);
    await browser.get(`${PUBLIC}/auth?client_id=nobody&response_type=code`);

    // Logout: the confirmation page, then the session is gone.
    const logout = await browser.get(
      `${PUBLIC}/session/end?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: `${RP}/bye` })}`,
    );
    expect(logout.status).to.equal(200);
    const bye = await browser.submit(logout, { logout: 'yes' });
    expect(new URL(bye.url).origin).to.equal(RP);
  });

  it('sets every cookie Secure, HttpOnly, SameSite=Lax; the session cookie as __Host-', () => {
    const cookies = seen.flatMap((response) => response.headers.getSetCookie());
    expect(cookies.length).to.be.above(4);
    const names = new Set<string>();
    for (const line of cookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      names.add(name);
      const lower = attributes.map((attribute) => attribute.toLowerCase());
      expect(lower, line).to.include('secure');
      expect(lower, line).to.include('httponly');
      expect(lower, line).to.include('samesite=lax');
      if (name.startsWith('__Host-')) {
        expect(lower, line).to.include('path=/');
        expect(
          lower.some((attribute) => attribute.startsWith('domain=')),
          line,
        ).to.equal(false);
      }
    }
    expect(names).to.include('__Host-darvaze.session');
    expect(names).to.include('__Host-darvaze.session.sig');
    expect([...names].some((name) => name.startsWith('__Secure-darvaze.interaction'))).to.equal(true);
    expect(
      [...names].filter((name) => /session|interaction|resume/.test(name) && !name.startsWith('__')),
    ).to.deep.equal([]);
    expect(names).to.include('lang');
  });

  it('sends the security headers on every response', () => {
    expect(seen.length).to.be.above(15);
    for (const response of seen) {
      const label = `${response.method} ${response.url} → ${response.status}`;
      const csp = response.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(csp, label).to.include("frame-ancestors 'none'");
      expect(csp, label).to.include("default-src 'none'");
      expect(scriptSrc, label).to.not.include("'unsafe-inline'");
      expect(scriptSrc, label).to.not.include("'unsafe-eval'");
      expect(response.headers.get('strict-transport-security'), label).to.match(/max-age=\d{8,}/);
      expect(response.headers.get('referrer-policy'), label).to.equal('no-referrer');
      expect(response.headers.get('x-content-type-options'), label).to.equal('nosniff');
      expect(response.headers.get('x-frame-options'), label).to.equal('DENY');
    }
    // The pages that matter most were among them.
    const paths = seen.map((response) => new URL(response.url).pathname);
    for (const path of ['/auth', '/token', '/me', '/jwks', '/session/end', '/no-such-page']) {
      expect(paths, path).to.include(path);
    }
    expect(paths.some((path) => /^\/interaction\/[^/]+\/consent$/.test(path))).to.equal(true);
  });
});
