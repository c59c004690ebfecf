/**
 * The sign-in as the load generator performs it: a JavaScript-off browser (cookie jar, redirects
 * by hand) that walks every page a person's browser loads, reads the SMS code from the fake
 * gateway, and then does what the relying party does (code exchange at /token, refresh).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeSmsGateway } from './fake-sms-gateway.js';
import { basicAuth, type HttpClient, type HttpResponse } from './http-client.js';

export interface BenchClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface BenchPerson {
  mobile: string;
  nationalCode: string;
  person: { birthDate: string };
}

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in: number;
}

export interface JourneyContext {
  http: HttpClient;
  sms: FakeSmsGateway;
  client: BenchClient;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export class BenchBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    /** The client address the provider sees (X-Forwarded-For; the provider runs TRUST_PROXY=true). */
    readonly address: string,
  ) {}

  get(path: string, label: string): Promise<HttpResponse> {
    return this.send('GET', path, label);
  }

  post(path: string, form: Record<string, string>, label: string): Promise<HttpResponse> {
    return this.send('POST', path, label, new URLSearchParams(form).toString());
  }

  /** A fetch() from the page's script (public/passkey.js): JSON in, JSON out. */
  postJson(path: string, body: object, label: string): Promise<HttpResponse> {
    return this.send('POST', path, label, JSON.stringify(body), JSON_TYPE);
  }

  private async send(
    method: string,
    path: string,
    label: string,
    body?: string,
    type = FORM,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: type === JSON_TYPE ? JSON_TYPE : 'text/html',
      'accept-language': 'fa',
      'x-forwarded-for': this.address,
    };
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (body !== undefined) headers['content-type'] = type;
    const response = await this.http.request(method, path, { headers, body, label });
    for (const line of response.headers['set-cookie'] ?? []) {
      const pair = line.slice(0, line.indexOf(';') >>> 0);
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizePath(
  client: BenchClient,
  params: { scope: string; challenge: string; state: string; prompt?: string },
): string {
  const query = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: params.scope,
    state: params.state,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
  });
  if (params.prompt) query.set('prompt', params.prompt);
  return `/auth?${query}`;
}

function expect(response: HttpResponse, status: number, what: string): HttpResponse {
  if (response.status !== status) {
    const text = response.body.replace(/\s+/g, ' ').slice(0, 300);
    throw new Error(`${what}: HTTP ${response.status} (expected ${status}) ${text}`);
  }
  return response;
}

/** The Location of a redirect as a path on the provider, or the full URL when it leaves it. */
function location(response: HttpResponse, what: string): string {
  const value = response.headers.location;
  if (!value || response.status < 300 || response.status >= 400) {
    throw new Error(
      `${what}: expected a redirect, got HTTP ${response.status} ${response.body.slice(0, 200)}`,
    );
  }
  return value;
}

function pathOf(url: string): string {
  if (url.startsWith('/')) return url;
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

const csrfOf = (html: string) => /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';

export interface SignInResult {
  code: string;
  verifier: string;
  browser: BenchBrowser;
  pages: string[];
}

/**
 * One sign-in in a fresh browser: /auth → mobile page → (SMS) → code page → [consent] → callback.
 * Returns the authorization code; `exchange` then redeems it.
 */
export async function signIn(
  context: JourneyContext,
  person: BenchPerson,
  options: { scope: string; prompt?: string; address: string; browser?: BenchBrowser },
): Promise<SignInResult> {
  const browser = options.browser ?? new BenchBrowser(context.http, options.address);
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('base64url');
  const pages: string[] = [];
  let codeSentAfter = 0;
  let next = location(
    await browser.get(
      authorizePath(context.client, { scope: options.scope, challenge, state, prompt: options.prompt }),
      'auth',
    ),
    'GET /auth',
  );
  for (let hop = 0; hop < 12; hop++) {
    if (next.startsWith(context.client.redirectUri)) {
      const callback = new URL(next);
      const code = callback.searchParams.get('code');
      if (!code) throw new Error(`callback without code: ${callback.search}`);
      if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
      return { code, verifier, browser, pages };
    }
    const path = pathOf(next);
    if (path.startsWith('/auth/')) {
      next = location(await browser.get(path, 'auth-resume'), 'GET /auth/:uid');
      continue;
    }
    const page = expect(await browser.get(path, 'interaction-page'), 200, `GET ${path.split('?')[0]}`);
    const csrf = csrfOf(page.body);
    const base = path.split('?')[0] as string;
    if (page.body.includes('name="mobile"')) {
      pages.push('mobile');
      codeSentAfter = Date.now() - 5;
      // The code is sent before this answer comes back: it is at the gateway by the next step.
      next = location(
        await browser.post(`${base}/mobile`, { csrf, mobile: person.mobile, captcha: '' }, 'post-mobile'),
        'POST mobile',
      );
    } else if (page.body.includes('name="code"')) {
      pages.push('code');
      const code = await context.sms.waitForCode(person.mobile, codeSentAfter);
      next = location(await browser.post(`${base}/code`, { csrf, code }, 'post-code'), 'POST code');
    } else if (page.body.includes('name="national_code"')) {
      pages.push('identity');
      next = location(
        await browser.post(
          `${base}/identity`,
          { csrf, national_code: person.nationalCode, birth_date: person.person.birthDate },
          'post-identity',
        ),
        'POST identity',
      );
    } else if (page.body.includes('name="decision"')) {
      pages.push('consent');
      next = location(
        await browser.post(`${base}/consent`, { csrf, decision: 'grant' }, 'post-consent'),
        'POST consent',
      );
    } else {
      throw new Error(`unexpected page at ${base}: ${page.body.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
  }
  throw new Error('too many redirects');
}

/**
 * One passkey sign-in in a fresh browser: /auth → mobile page → the passkey button's options call
 * (JSON) → the authenticator's assertion posted in the passkey form → /auth resume → callback.
 * No SMS and no captcha. `sign` is the authenticator: it answers the challenge.
 */
export async function passkeySignIn(
  context: JourneyContext,
  options: { scope: string; address: string; sign: (challenge: string) => object },
): Promise<SignInResult> {
  const browser = new BenchBrowser(context.http, options.address);
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('base64url');
  const path = pathOf(
    location(
      await browser.get(authorizePath(context.client, { scope: options.scope, challenge, state }), 'auth'),
      'GET /auth',
    ),
  );
  const page = expect(await browser.get(path, 'interaction-page'), 200, `GET ${path.split('?')[0]}`);
  if (!page.body.includes('/passkey/sign-in')) throw new Error('the mobile page offers no passkey');
  const csrf = csrfOf(page.body);
  const base = path.split('?')[0] as string;
  const offered = expect(
    await browser.postJson(`${base}/passkey/options`, { csrf }, 'passkey-options'),
    200,
    'POST passkey/options',
  );
  const { challenge: webauthnChallenge } = JSON.parse(offered.body) as { challenge: string };
  const signedIn = location(
    await browser.post(
      `${base}/passkey/sign-in`,
      { csrf, response: JSON.stringify(options.sign(webauthnChallenge)) },
      'passkey-sign-in',
    ),
    'POST passkey/sign-in',
  );
  const callback = location(await browser.get(pathOf(signedIn), 'auth-resume'), 'GET /auth/:uid');
  if (!callback.startsWith(context.client.redirectUri))
    throw new Error(`passkey sign-in did not reach the site: ${callback.slice(0, 80)}`);
  const params = new URL(callback).searchParams;
  const code = params.get('code');
  if (!code || params.get('state') !== state) throw new Error(`callback without code: ${params}`);
  return { code, verifier, browser, pages: ['mobile', 'passkey'] };
}

/** Another authorization in a browser that has a session: straight back with a code. */
export async function authorizeWithSession(
  context: JourneyContext,
  browser: BenchBrowser,
  scope: string,
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('base64url');
  const next = location(
    await browser.get(authorizePath(context.client, { scope, challenge, state }), 'auth'),
    'GET /auth',
  );
  if (!next.startsWith(context.client.redirectUri))
    throw new Error(`no SSO: redirected to ${next.slice(0, 80)}`);
  const code = new URL(next).searchParams.get('code');
  if (!code) throw new Error('callback without code');
  return { code, verifier };
}

async function token(
  context: JourneyContext,
  form: Record<string, string>,
  label: string,
): Promise<TokenSet> {
  const response = await context.http.request('POST', '/token', {
    headers: {
      'content-type': FORM,
      accept: 'application/json',
      authorization: basicAuth(context.client.clientId, context.client.clientSecret),
    },
    body: new URLSearchParams(form).toString(),
    label,
  });
  if (response.status !== 200)
    throw new Error(`${label}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
  return JSON.parse(response.body) as TokenSet;
}

export function exchangeCode(context: JourneyContext, code: string, verifier: string): Promise<TokenSet> {
  return token(
    context,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: context.client.redirectUri,
      code_verifier: verifier,
    },
    'token-code',
  );
}

export function refresh(context: JourneyContext, refreshToken: string): Promise<TokenSet> {
  return token(context, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'token-refresh');
}

/** The `alg` of a JWT's header (the ID token must be ES256 in the benchmark). */
export function jwtAlg(jwt: string | undefined): string | undefined {
  if (!jwt) return undefined;
  return (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: string })
    .alg;
}
