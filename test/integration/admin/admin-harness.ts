import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type Provider from 'oidc-provider';
import pino from 'pino';
import { createConsentIndex } from '../../../src/accounts/consent-index.js';
import { type Admin, createAdmin, registrationFeature } from '../../../src/admin/admin.js';
import { generateSigningKeySet, type SigningKeySet } from '../../../src/keys/signing-keys.js';
import { createOidcRecords } from '../../../src/oidc/oidc-records.js';
import { createProvider } from '../../../src/oidc/provider.js';
import { StoreAdapter } from '../../../src/oidc/store-adapter.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import type { Store } from '../../../src/store/store.js';
import { uniquePrefix } from '../../helpers/redis-server.js';
import { sharedTestRedis } from '../../helpers/stores.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

let keys: Promise<SigningKeySet> | undefined;
/** One key set for the whole run: RSA generation is the slow part of a provider. */
const signingKeys = () => {
  keys ??= generateSigningKeySet();
  return keys;
};

/** A parsed JSON answer, read field by field by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: the tests check arbitrary JSON fields with chai
export type JsonBody = any;

export interface HarnessOptions {
  adminToken?: string | null;
  production?: boolean;
  graceSeconds?: number;
  store?: 'redis' | 'memory';
  /** The admin module's clock (grace periods); default Date.now. */
  now?: () => number;
  /** false: the provider is built without registrationFeature (/reg off). */
  registration?: boolean;
  /** Redis key prefix to share with another process (the CLI); default a fresh one. */
  keyPrefix?: string;
}

export interface Harness {
  url: string;
  provider: Provider;
  store: Store;
  admin: Admin;
  keyPrefix?: string;
  redisUrl?: string;
  /** fetch against the harness with the admin token (or `token`, or none with null). */
  api(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string; token?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; json: JsonBody; headers: Headers; text: string }>;
  close(): Promise<void>;
}

/** A minimal provider with the admin router and the previous-secret middleware, on port 0. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  let store: Store;
  let keyPrefix: string | undefined;
  let redisUrl: string | undefined;
  if (options.store === 'memory') store = new MemoryStore();
  else {
    redisUrl = (await sharedTestRedis()).url;
    keyPrefix = options.keyPrefix ?? uniquePrefix('admin');
    store = new RedisStore({ url: redisUrl, keyPrefix }, Date.now);
  }
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const production = options.production ?? false;
  const records = createOidcRecords(store);
  const provider = createProvider({
    issuer: url,
    production,
    trustProxy: false,
    adapter: StoreAdapter.factory(store, Date.now),
    now: Date.now,
    signingKeys: await signingKeys(),
    cookieKeys: ['cookie-key-0123456789abcdef0123456789'],
    pairwiseSalt: Buffer.alloc(32, 7),
    staticClients: [],
    ttl: { sessionSeconds: 3600, accessTokenSeconds: 600, refreshTokenSeconds: 3600 },
    findPerson: async () => undefined,
    consents: createConsentIndex(store),
    pages: {
      renderError: async (ctx, out) => {
        ctx.type = 'text/plain';
        ctx.body = `${out.error}: ${out.error_description ?? ''}`;
      },
      logoutSource: async (ctx, form) => {
        ctx.body = form;
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = 'signed out';
      },
    },
    ...(options.registration === false ? {} : { registration: registrationFeature({ records, production }) }),
  });
  const admin = createAdmin({
    store,
    records,
    provider,
    config: {
      ...(options.adminToken === null ? {} : { adminToken: options.adminToken ?? ADMIN_TOKEN }),
      production,
      secretRotationGraceSeconds: options.graceSeconds ?? 3600,
    },
    logger: pino({ level: 'silent' }),
    now: options.now ?? Date.now,
  });
  provider.use(admin.router.routes());
  server.on('request', provider.callback());

  return {
    url,
    provider,
    store,
    admin,
    ...(keyPrefix ? { keyPrefix } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    async api(method, path, { body, raw, token, headers = {} } = {}) {
      const h: Record<string, string> = { accept: 'application/json', ...headers };
      const bearer = token === undefined ? ADMIN_TOKEN : token;
      if (bearer !== null) h.authorization = `Bearer ${bearer}`;
      let payload: string | undefined;
      if (raw !== undefined) payload = raw;
      else if (body !== undefined) {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${path}`, { method, headers: h, body: payload });
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, json, headers: response.headers, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** A valid confidential client, as the sales site would register. */
export function salesSite(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_name: 'Sales site',
    redirect_uris: ['https://sales.example.com/callback'],
    post_logout_redirect_uris: ['https://sales.example.com/'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile phone national_id offline_access',
    subject_type: 'public',
    ...overrides,
  };
}

/** Retries an assertion until it passes (provider events are handled asynchronously). */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POST /token/introspection with client authentication; 200 when the client authenticated. */
export async function introspect(
  harness: Harness,
  auth: { basic: [string, string] } | { post: [string, string] },
  token = 'not-a-token',
): Promise<{ status: number; json: JsonBody }> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const params = new URLSearchParams({ token });
  if ('basic' in auth) headers.authorization = basic(...auth.basic);
  else {
    params.set('client_id', auth.post[0]);
    params.set('client_secret', auth.post[1]);
  }
  const response = await fetch(`${harness.url}/token/introspection`, {
    method: 'POST',
    headers,
    body: params.toString(),
  });
  return { status: response.status, json: await response.json().catch(() => undefined) };
}
