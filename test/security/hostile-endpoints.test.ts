/**
 * Hostile input on the protocol endpoints — /auth, /request (PAR), /token, /me,
 * /token/introspection, /token/revocation, /reg, /session/end and /admin/api — with a few hundred
 * generated bad inputs (test/security/hostile-inputs.ts): oversized values and bodies, malformed
 * JSON and forms, wrong content types, repeated parameters, unicode tricks, CRLF meant for a
 * Location header, garbage Authorization headers, cookies replayed from another browser and
 * expired interactions. The interaction forms have their own suite (test/e2e/hostile-forms).
 *
 * Every answer: no 5xx, no stack trace, JSON errors in the OAuth shape on the JSON endpoints, no
 * redirect to an unregistered place, no injected header; and nothing changed: no token, grant,
 * session or client was made and no SMS was sent.
 */
import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { type Page, pageKind, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { uniquePrefix } from '../helpers/redis-server.js';
import {
  type HostileBody,
  hostileAuthorizations,
  hostileBodies,
  INJECTED_HEADER,
  type Named,
  queryVariants,
  rawQueryVariants,
} from './hostile-inputs.js';
import { countKeys, ORDINARY, rawRedis, STACK_TRACE } from './support.js';

const ADMIN_TOKEN = 'hostile-admin-token-0123456789abcdef0123456';
const citizen = ORDINARY[2]!;
const OAUTH_ERROR_KEYS = ['error', 'error_description', 'state', 'iss', 'scope'];
const COUNTED_MODELS = [
  'oidc:AccessToken:',
  'oidc:RefreshToken:',
  'oidc:AuthorizationCode:',
  'oidc:Grant:',
  'oidc:Session:',
  'oidc:Client:',
  'oidc:RegistrationAccessToken:',
  'account:',
];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

type Kind = 'json' | 'html' | 'any';

describe('hostile input on the protocol endpoints', function () {
  this.timeout(120_000);
  const prefix = uniquePrefix('hostile');
  let harness: Harness;
  let redis: Redis;
  let basic: string;
  let tokens: { access_token: string; refresh_token: string; id_token: string };
  let sent = 0;

  async function snapshot(): Promise<Record<string, number>> {
    const counts: Record<string, number> = { sms: harness.sms.requestCount };
    for (const model of COUNTED_MODELS) counts[model] = await countKeys(redis, prefix, model);
    return counts;
  }

  async function sessionKeys(): Promise<Set<string>> {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}oidc:Session:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) if (!key.endsWith(':consumed')) keys.add(key);
    } while (cursor !== '0');
    return keys;
  }

  /**
   * Runs `body`, then checks that it changed nothing that counts. With `anonymousSessions`, new
   * sessions are allowed if nobody is signed in to them and they expire within ten minutes (the
   * logout page makes one per visitor for its form's xsrf secret).
   */
  async function unchanged(
    body: () => Promise<void>,
    options: { anonymousSessions?: boolean } = {},
  ): Promise<void> {
    const before = await snapshot();
    const sessionsBefore = await sessionKeys();
    await body();
    const after = await snapshot();
    if (options.anonymousSessions) {
      for (const key of await sessionKeys()) {
        if (sessionsBefore.has(key)) continue;
        const payload = JSON.parse((await redis.get(key)) ?? '{}') as { accountId?: string };
        expect(payload.accountId, key).to.equal(undefined);
        expect(await redis.ttl(key), key).to.be.within(1, 600);
      }
      after['oidc:Session:'] = before['oidc:Session:']!;
    }
    expect(after, 'a refused request changed state').to.deep.equal(before);
  }

  async function send(
    method: string,
    path: string,
    options: {
      query?: string;
      headers?: Record<string, string>;
      body?: string | Uint8Array<ArrayBuffer>;
      contentType?: string;
    } = {},
  ): Promise<Answer> {
    sent += 1;
    const url = `${harness.issuer}${path}${options.query === undefined ? '' : `?${options.query}`}`;
    const headers: Record<string, string> = { 'x-forwarded-for': '203.0.113.66', ...options.headers };
    if (options.contentType) headers['content-type'] = options.contentType;
    const response = await fetch(url, { method, headers, body: options.body, redirect: 'manual' });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** The checks every answer to hostile input must pass. */
  function expectSafe(label: string, answer: Answer, kind: Kind, allowed: number[] = []): void {
    const where = `${label} → ${answer.status} ${answer.text.slice(0, 200)}`;
    if (!allowed.includes(answer.status)) expect(answer.status, where).to.be.below(500);
    expect(answer.text, where).to.not.match(STACK_TRACE);
    expect(answer.text, where).to.not.include('node_modules');
    expect(answer.text, where).to.not.include('<script>alert(1)');
    expect(answer.headers.get(INJECTED_HEADER), where).to.equal(null);
    for (const cookie of answer.headers.getSetCookie()) expect(cookie, where).to.not.match(/^injected=/);
    const location = answer.headers.get('location');
    if (location) {
      expect(location, where).to.not.match(/[\r\n]/);
      const target = new URL(location, harness.issuer);
      expect([new URL(harness.issuer).origin, harness.callbackBase], where).to.include(target.origin);
    }
    const type = answer.headers.get('content-type') ?? '';
    // 414/431 come from Node's HTTP parser before the app sees the request: empty, and fine.
    const beforeApp = (answer.status === 414 || answer.status === 431) && answer.text === '';
    if (kind === 'json' && answer.status >= 400 && answer.status !== 404 && !beforeApp) {
      expect(type, where).to.match(/^application\/json/);
      const body = JSON.parse(answer.text) as Record<string, unknown>;
      expect(body.error, where)
        .to.be.a('string')
        .and.match(/^[a-z_]+$/);
      expect(OAUTH_ERROR_KEYS, where).to.include.members(Object.keys(body));
      if (body.error_description !== undefined) expect(body.error_description, where).to.be.a('string');
    }
  }

  before(async () => {
    harness = await startHarness({
      env: { REDIS_KEY_PREFIX: prefix, ADMIN_TOKEN, SMS_PER_ADDRESS_HOUR: '1000' },
    });
    redis = await rawRedis();
    const client = harness.clients.sales!;
    basic = `Basic ${Buffer.from(`sales:${client.metadata.client_secret}`).toString('base64')}`;
    const outcome = await signIn(harness, browserFor(harness), client, citizen, {
      params: { prompt: 'consent' },
    });
    expect(outcome.atCallback).to.equal(true);
    const result = await redeem(client, outcome.request, outcome.last);
    tokens = {
      access_token: result.access_token,
      refresh_token: result.refresh_token!,
      id_token: result.id_token!,
    };
  });
  after(async () => {
    redis?.disconnect();
    await harness?.close();
  });

  const validAuth = () => ({
    client_id: 'sales',
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: `${harness.callbackBase}/sales/cb`,
    state: 'st-123',
    nonce: 'nn-123',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });

  it('/auth and /request: hostile parameter values, repeats, broken query strings', async () => {
    await unchanged(async () => {
      const fields = [
        'client_id',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
        'code_challenge_method',
        'prompt',
        'max_age',
        'claims',
        'request',
        'request_uri',
        'login_hint',
        'ui_locales',
      ];
      const variants: Named<string>[] = [
        ...queryVariants(validAuth(), fields),
        ...rawQueryVariants(validAuth(), ['client_id', 'redirect_uri', 'scope', 'state', 'response_type']),
      ];
      for (const { label, value } of variants) {
        expectSafe(
          `GET /auth ${label}`,
          await send('GET', '/auth', { query: value, headers: { accept: 'text/html' } }),
          'html',
        );
      }
      // POST /auth takes a form too; and PAR takes the same parameters from a client.
      for (const { label, value } of variants.filter((_, i) => i % 7 === 0)) {
        expectSafe(`POST /auth ${label}`, await postForm('/auth', value, { accept: 'text/html' }), 'html');
        expectSafe(
          `POST /request ${label}`,
          await postForm('/request', value, { authorization: basic }),
          'json',
        );
      }
    });
  });

  it('/auth: a CRLF meant for the Location header stays inside the redirect URL', async () => {
    const params = new URLSearchParams(validAuth());
    params.set('state', `s\r\n${INJECTED_HEADER}: 1\r\nSet-Cookie: injected=1`);
    params.set('prompt', 'none'); // no session: the error goes back to the redirect_uri, with the state
    const answer = await send('GET', '/auth', { query: params.toString() });
    expectSafe('GET /auth CRLF state', answer, 'any');
    expect(answer.status).to.equal(303);
    const location = new URL(answer.headers.get('location')!);
    expect(location.origin).to.equal(harness.callbackBase);
    expect(location.searchParams.get('error')).to.equal('login_required');
    expect(location.searchParams.get('state')).to.equal(params.get('state'));
  });

  it('/token: hostile bodies, content types, repeats and client authentication', async () => {
    await unchanged(async () => {
      const valid = {
        grant_type: 'authorization_code',
        code: 'x'.repeat(43),
        code_verifier: 'v'.repeat(43),
        redirect_uri: `${harness.callbackBase}/sales/cb`,
      };
      for (const body of hostileBodies(valid)) {
        expectSafe(
          `POST /token ${body.label}`,
          await sendBody('/token', body, { authorization: basic }),
          'json',
        );
      }
      for (const { label, value } of queryVariants(valid, [
        'grant_type',
        'code',
        'code_verifier',
        'redirect_uri',
        'refresh_token',
        'scope',
      ])) {
        expectSafe(`POST /token ${label}`, await postForm('/token', value, { authorization: basic }), 'json');
      }
      for (const { label, value } of rawQueryVariants(valid, ['grant_type', 'code', 'client_id'])) {
        expectSafe(`POST /token ${label}`, await postForm('/token', value, { authorization: basic }), 'json');
      }
      const refresh = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      }).toString();
      for (const { label, value } of hostileAuthorizations()) {
        const answer = await postForm('/token', refresh, { authorization: value });
        expectSafe(`POST /token auth ${label}`, answer, 'json');
        expect(answer.status, label).to.be.oneOf([400, 401]);
      }
      // A client_secret in the body as well as in the header is two authentications: refused.
      const both = await postForm('/token', `${refresh}&client_id=sales&client_secret=x`, {
        authorization: basic,
      });
      expectSafe('POST /token two auth methods', both, 'json');
      expect(both.status).to.equal(400);
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        expectSafe(
          `${method} /token`,
          await send(method, '/token', { headers: { authorization: basic } }),
          'json',
        );
      }
    });
  });

  it('/me: garbage Authorization headers, tokens in odd places', async () => {
    await unchanged(async () => {
      for (const { label, value } of hostileAuthorizations(tokens.access_token)) {
        const answer = await send('GET', '/me', { headers: { authorization: value } });
        expectSafe(`GET /me ${label}`, answer, 'json');
        expect(answer.status, label).to.be.oneOf([400, 401]);
      }
      // Two tokens at once (header and query, header and body) are refused (RFC 6750 §2).
      const twice = await send('GET', '/me', {
        query: `access_token=${tokens.access_token}`,
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expectSafe('GET /me two tokens', twice, 'json');
      expect(twice.status).to.equal(400);
      for (const body of hostileBodies({ access_token: tokens.access_token })) {
        expectSafe(`POST /me ${body.label}`, await sendBody('/me', body, {}), 'json');
      }
      const ok = await send('GET', '/me', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(ok.status, 'the real token still works').to.equal(200);
    });
  });

  it('/token/introspection and /token/revocation: garbage tokens, hints and authentication', async () => {
    await unchanged(async () => {
      for (const path of ['/token/introspection', '/token/revocation']) {
        for (const { label, value } of queryVariants(
          { token: 'not-a-token', token_type_hint: 'access_token' },
          ['token', 'token_type_hint'],
        )) {
          const answer = await send('POST', path, {
            body: value,
            contentType: 'application/x-www-form-urlencoded',
            headers: { authorization: basic },
          });
          expectSafe(`POST ${path} ${label}`, answer, 'json');
        }
        for (const { label, value } of hostileAuthorizations()) {
          const answer = await send('POST', path, {
            body: `token=${tokens.access_token}`,
            contentType: 'application/x-www-form-urlencoded',
            headers: { authorization: value },
          });
          expectSafe(`POST ${path} auth ${label}`, answer, 'json');
          expect(answer.status, `${path} ${label}`).to.be.oneOf([400, 401]);
        }
        for (const body of hostileBodies({ token: 'A'.repeat(43), token_type_hint: 'refresh_token' })) {
          expectSafe(
            `POST ${path} ${body.label}`,
            await sendBody(path, body, { authorization: basic }),
            'json',
          );
        }
      }
      // Another client cannot revoke or introspect the sales site's tokens.
      const service = `Basic ${Buffer.from(`service:${harness.clients.service!.metadata.client_secret}`).toString('base64')}`;
      const revoke = await postForm('/token/revocation', `token=${tokens.refresh_token}`, {
        authorization: service,
      });
      expectSafe('revocation by another client', revoke, 'json');
      expect(revoke.status).to.equal(400);
      const introspect = await postForm('/token/introspection', `token=${tokens.access_token}`, {
        authorization: service,
      });
      expect(JSON.parse(introspect.text)).to.deep.equal({ active: false });
    });
    const own = await postForm('/token/introspection', `token=${tokens.refresh_token}`, {
      authorization: basic,
    });
    expect(JSON.parse(own.text).active, 'the real refresh token is still alive').to.equal(true);
  });

  it('/reg: hostile bodies without and with garbage initial access tokens', async () => {
    await unchanged(async () => {
      const probe = await send('POST', '/reg', { body: '{}', contentType: 'application/json' });
      // Registration is on in this suite (it needs an initial access token): a 404 is a failure.
      expect(probe.status, 'POST /reg is mounted').not.to.equal(404);
      const metadata = { redirect_uris: ['https://rp.example/cb'], client_name: 'x' };
      for (const body of hostileBodies(metadata as unknown as Record<string, string>)) {
        expectSafe(`POST /reg ${body.label}`, await sendBody('/reg', body, {}), 'json');
      }
      for (const { label, value } of hostileAuthorizations()) {
        const answer = await send('POST', '/reg', {
          body: JSON.stringify(metadata),
          contentType: 'application/json',
          headers: { authorization: value },
        });
        expectSafe(`POST /reg auth ${label}`, answer, 'json');
        expect(answer.status, label).to.be.oneOf([400, 401]);
      }
      for (const method of ['GET', 'PUT', 'DELETE']) {
        expectSafe(
          `${method} /reg/x`,
          await send(method, '/reg/x', { headers: { authorization: 'Bearer x' } }),
          'json',
        );
      }
    });
  });

  it('/session/end: hostile hints, redirect URIs, states and confirmation forms', async () => {
    await unchanged(
      async () => {
        const base = {
          id_token_hint: tokens.id_token,
          post_logout_redirect_uri: `${harness.callbackBase}/sales/bye`,
          state: 's',
        };
        const variants = [
          ...queryVariants(base, [
            'id_token_hint',
            'post_logout_redirect_uri',
            'state',
            'client_id',
            'ui_locales',
            'logout_hint',
          ]),
          ...rawQueryVariants(base, ['post_logout_redirect_uri', 'id_token_hint']),
        ];
        for (const { label, value } of variants) {
          expectSafe(
            `GET /session/end ${label}`,
            await send('GET', '/session/end', { query: value, headers: { accept: 'text/html' } }),
            'html',
          );
        }
        for (const body of hostileBodies({ xsrf: 'x', logout: 'yes' })) {
          expectSafe(
            `POST /session/end/confirm ${body.label}`,
            await sendBody('/session/end/confirm', body, { accept: 'text/html' }),
            'html',
          );
        }
      },
      { anonymousSessions: true },
    );
  });

  it('raw HTTP: odd methods, header bytes, oversized headers, smuggling-shaped requests', async () => {
    await unchanged(async () => {
      const cases: Array<{
        label: string;
        method: string;
        path: string;
        headers: Record<string, string>;
        body?: string;
      }> = [
        { label: 'TRACE', method: 'TRACE', path: '/auth', headers: {} },
        { label: 'OPTIONS', method: 'OPTIONS', path: '/token', headers: { origin: 'https://evil.example' } },
        {
          label: 'latin1 bearer',
          method: 'GET',
          path: '/me',
          headers: { authorization: 'Bearer \u00ff\u00fe\u00e9' },
        },
        {
          label: 'latin1 basic',
          method: 'POST',
          path: '/token',
          headers: {
            authorization: 'Basic \u00ff\u00fe',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        },
        {
          label: 'oversized header',
          method: 'GET',
          path: '/me',
          headers: { authorization: `Bearer ${'A'.repeat(20_000)}` },
        },
        {
          label: 'huge cookie',
          method: 'GET',
          path: '/auth',
          headers: { cookie: `darvaze.session=${'A'.repeat(6000)}; darvaze.session.sig=${'B'.repeat(6000)}` },
        },
        {
          label: 'forged session cookie',
          method: 'GET',
          path: `/auth?${new URLSearchParams({ ...validAuth(), prompt: 'none' })}`,
          headers: { cookie: 'darvaze.session=forged; darvaze.session.sig=forged' },
        },
        {
          label: 'host header trick',
          method: 'GET',
          path: '/.well-known/openid-configuration',
          headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
        },
        { label: 'path traversal', method: 'GET', path: '/assets/..%2f..%2fpackage.json', headers: {} },
        { label: 'encoded NUL path', method: 'GET', path: '/interaction/%00', headers: {} },
        { label: 'double slash path', method: 'GET', path: '//evil.example/%2e%2e', headers: {} },
        { label: 'overlong path', method: 'GET', path: `/interaction/${'a'.repeat(7000)}`, headers: {} },
      ];
      for (const item of cases) {
        const answer = await rawHttp(item.method, item.path, item.headers, item.body);
        // 501 is what HTTP prescribes for a method the server does not implement at all.
        expectSafe(`raw ${item.label}`, answer, 'any', item.method === 'TRACE' ? [501] : []);
        if (item.label === 'host header trick' && answer.status === 200) {
          // The issuer is configured, never taken from the request.
          expect(JSON.parse(answer.text).issuer).to.equal(harness.issuer);
        }
      }
    });
  });

  it('cookies replayed from another browser and expired interactions are refused without side effects', async () => {
    const client = harness.clients.sales!;
    const start = async (address: string): Promise<{ browser: TestBrowser; page: Page }> => {
      const browser = browserFor(harness, address);
      const page = await browser.get((await authorizationRequest(client)).url.toString());
      return { browser, page };
    };
    const a = await start('198.51.100.150');
    const b = await start('198.51.100.151');
    const aCode = await a.browser.submit(a.page, { mobile: ORDINARY[3]!.mobile, captcha: '' });
    expect(pageKind(aCode)).to.equal('code');
    await unchanged(async () => {
      // B's cookies on A's interaction (code step, with A's CSRF token and A's real code).
      const aAction = new URL(aCode.url);
      const csrf = /name="csrf" value="([^"]*)"/.exec(aCode.html)![1]!;
      for (const path of ['/code', '/resend', '/mobile', '/identity', '/consent', '/abort']) {
        const answer = await send(path === '/abort' ? 'GET' : 'POST', `${aAction.pathname}${path}`, {
          body:
            path === '/abort'
              ? undefined
              : new URLSearchParams({
                  csrf,
                  code: harness.sms.lastCodeFor(ORDINARY[3]!.mobile)!,
                  mobile: ORDINARY[3]!.mobile,
                  decision: 'grant',
                }).toString(),
          contentType: path === '/abort' ? undefined : 'application/x-www-form-urlencoded',
          headers: { cookie: b.browser.cookieHeader(aAction), accept: 'text/html' },
        });
        expectSafe(`B's cookie on A ${path}`, answer, 'html');
        expect(answer.status, path).to.equal(400);
      }
      // No cookie at all.
      const bare = await send('POST', `${aAction.pathname}/code`, {
        body: `csrf=${csrf}&code=000000`,
        contentType: 'application/x-www-form-urlencoded',
        headers: { accept: 'text/html' },
      });
      expectSafe('no cookie', bare, 'html');
      expect(bare.status).to.equal(400);
    });
    // A's own journey is untouched by all that.
    const aDone = await a.browser.submit(aCode, { code: harness.sms.lastCodeFor(ORDINARY[3]!.mobile)! });
    expect(pageKind(aDone)).to.equal('identity');

    // An interaction that expired (its record gone from the store) refuses every step.
    const uid = new URL(b.page.url).pathname.split('/')[2]!;
    await redis.del(`${prefix}oidc:Interaction:{${uid}}`);
    await unchanged(async () => {
      const gone = await b.browser.submit(b.page, { mobile: ORDINARY[3]!.mobile, captcha: '' });
      expectSafe(
        'expired interaction',
        { status: gone.status, headers: gone.headers, text: gone.html },
        'html',
      );
      expect(gone.status).to.equal(400);
      expect(pageKind(gone)).to.equal('other');
    });

    // A session cookie copied after logout is dead: prompt=none answers login_required.
    const person = ORDINARY[0]!;
    const victim = browserFor(harness, '198.51.100.152');
    const signedIn = await signIn(harness, victim, client, person);
    expect(signedIn.atCallback).to.equal(true);
    const issuer = new URL(harness.issuer);
    const stolen = victim.cookieHeader(issuer);
    const { id_token } = await redeem(client, signedIn.request, signedIn.last);
    const logout = await victim.get(
      `${harness.issuer}/session/end?${new URLSearchParams({ id_token_hint: id_token! })}`,
    );
    await victim.submit(logout, { logout: 'yes' });
    const replay = await send('GET', '/auth', {
      query: new URLSearchParams({ ...validAuth(), prompt: 'none' }).toString(),
      headers: { cookie: stolen },
    });
    expectSafe('stolen cookie after logout', replay, 'any');
    expect(new URL(replay.headers.get('location')!).searchParams.get('error')).to.equal('login_required');
  });

  it('/admin/api: hostile bodies and tokens', async () => {
    const probe = await send('GET', '/admin/api/clients', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    // The suite starts the provider with ADMIN_TOKEN: a 404 here is a broken mount, not a skip.
    expect(probe.status, 'the admin API answers with the right token').to.equal(200);
    const count = async () =>
      (
        (await send('GET', '/admin/api/clients', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        }).then((a) => JSON.parse(a.text))) as { clients: unknown[] }
      ).clients.length;
    const before = await count();
    await unchanged(async () => {
      for (const { label, value } of hostileAuthorizations()) {
        for (const [method, path] of [
          ['GET', '/admin/api/clients'],
          ['POST', '/admin/api/clients'],
          ['DELETE', '/admin/api/clients/sales'],
          ['GET', '/admin/api/audit'],
        ] as const) {
          const answer = await send(method, path, {
            headers: { authorization: value },
            body: method === 'POST' ? '{}' : undefined,
            contentType: method === 'POST' ? 'application/json' : undefined,
          });
          expectSafe(`${method} ${path} ${label}`, answer, 'json');
          expect(answer.status, `${method} ${path} ${label}`).to.equal(401);
        }
      }
      const bad = { redirect_uris: ['javascript:alert(1)'], client_name: 'x' };
      for (const body of hostileBodies(bad as unknown as Record<string, string>)) {
        const answer = await sendBody('/admin/api/clients', body, { authorization: `Bearer ${ADMIN_TOKEN}` });
        expectSafe(`POST /admin/api/clients ${body.label}`, answer, 'json');
        expect(answer.status, body.label).to.be.within(400, 499);
      }
      for (const { label, value } of queryVariants({ limit: '10' }, ['limit'])) {
        expectSafe(
          `GET /admin/api/audit ${label}`,
          await send('GET', '/admin/api/audit', {
            query: value,
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          }),
          'json',
        );
      }
    });
    expect(await count()).to.equal(before);
  });

  it('sent a few hundred hostile requests', () => {
    expect(sent).to.be.above(300);
  });

  /** A form-encoded POST, the way browsers and OAuth clients send them. */
  function postForm(path: string, body: string, headers: Record<string, string>): Promise<Answer> {
    return send('POST', path, { body, contentType: 'application/x-www-form-urlencoded', headers });
  }

  async function sendBody(path: string, body: HostileBody, headers: Record<string, string>): Promise<Answer> {
    return send('POST', path, { body: body.body, contentType: body.contentType, headers });
  }

  /** node:http, for what fetch refuses to send (TRACE, Latin-1 header bytes, a Host header). */
  function rawHttp(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Answer> {
    sent += 1;
    const target = new URL(harness.issuer);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          headers: { 'x-forwarded-for': '203.0.113.67', ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const out = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const item of Array.isArray(value) ? value : [value ?? '']) out.append(name, item);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: out,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
});
