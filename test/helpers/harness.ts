import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientMetadata } from 'oidc-provider';
import * as oidc from 'openid-client';
import pino from 'pino';
import { loadConfig } from '../../config/load.js';
import { type App, type AppOverrides, buildApp } from '../../src/composition/app.js';
import { type IdentitySimulatorServer, startIdentitySimulatorServer } from '../../src/identity/simulator.js';
import { type Page, TestBrowser } from './browser.js';
import { type FakeKavenegar, startFakeKavenegar } from './fake-kavenegar.js';
import { freePort, uniquePrefix } from './redis-server.js';
import { sharedTestRedis } from './stores.js';

export interface Harness {
  issuer: string;
  app: App;
  identity: IdentitySimulatorServer;
  sms: FakeKavenegar;
  /** The RP callback base: redirect URIs point here; the browser stops following there. */
  callbackBase: string;
  clients: Record<string, TestClient>;
  /** Starts the provider again on the same port and store (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestClient {
  metadata: ClientMetadata;
  config: oidc.Configuration;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** The registered sites; a function gets the callback base its redirect URIs must use. */
  clients?: ClientMetadata[] | ((callbackBase: string) => ClientMetadata[]);
  overrides?: AppOverrides;
  store?: 'redis' | 'memory';
  /** The issuer's host: `localhost` for WebAuthn (an IP address is no valid relying-party id). */
  issuerHost?: 'localhost' | '127.0.0.1';
}

const IDENTITY_TOKEN = 'identity-test-token';
const SMS_KEY = 'kavenegar-test-key';

/** The standard test clients: the sales site (everything) and a narrower after-sales site. */
export function defaultClients(callbackBase: string): ClientMetadata[] {
  return [
    {
      client_id: 'sales',
      client_secret: 'sales-secret-0123456789abcdef0123456789',
      client_name: 'فروش اینترنتی',
      'client_name#en': 'Internet sales',
      redirect_uris: [`${callbackBase}/sales/cb`],
      post_logout_redirect_uris: [`${callbackBase}/sales/bye`],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile phone national_id offline_access',
    },
    {
      client_id: 'service',
      client_secret: 'service-secret-0123456789abcdef012345678',
      client_name: 'خدمات پس از فروش',
      redirect_uris: [`${callbackBase}/service/cb`],
      grant_types: ['authorization_code'],
      scope: 'openid profile phone',
    },
  ];
}

/**
 * The whole provider as production runs it, on loopback: a private Redis (or the memory store),
 * the identity simulator and a fake Kavenegar as real HTTP servers, and the real app.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const port = await freePort();
  const issuer = `http://${options.issuerHost ?? '127.0.0.1'}:${port}`;
  const callbackBase = `http://127.0.0.1:${await freePort()}`;
  const identity = await startIdentitySimulatorServer({ token: IDENTITY_TOKEN });
  const sms = await startFakeKavenegar({ apiKey: SMS_KEY });
  const dataDir = await mkdtemp(join(tmpdir(), 'darvaze-test-'));
  const redisUrl = options.store === 'memory' ? undefined : (await sharedTestRedis()).url;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: issuer,
    TRUST_PROXY: 'true',
    DATA_DIR: dataDir,
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: uniquePrefix('app') } : {}),
    // TEST_REDIS_CLUSTER_NODES runs the end-to-end suites on a Redis Cluster (npm run redis-cluster).
    ...(redisUrl && process.env.TEST_REDIS_CLUSTER_NODES
      ? { REDIS_CLUSTER_NODES: process.env.TEST_REDIS_CLUSTER_NODES }
      : {}),
    IDENTITY_SERVICE_URL: identity.url,
    IDENTITY_SERVICE_TOKEN: IDENTITY_TOKEN,
    SMS_PROVIDER: 'kavenegar',
    KAVENEGAR_URL: sms.url,
    KAVENEGAR_API_KEY: SMS_KEY,
    KAVENEGAR_TEMPLATE: 'darvaze-otp',
    CAPTCHA: 'off',
    DEMO: 'off',
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const config = loadConfig(env);
  const clients =
    typeof options.clients === 'function'
      ? options.clients(callbackBase)
      : (options.clients ?? defaultClients(callbackBase));
  let app: App;
  let server: Server;
  const start = async (store?: App['store']) => {
    app = await buildApp(config, {
      logger: pino({ level: 'silent' }),
      extraClients: clients,
      ...options.overrides,
      ...(store ? { store } : {}),
    });
    server = app.provider.listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  };
  await start(options.overrides?.store);
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };

  const testClients: Record<string, TestClient> = {};
  for (const metadata of clients) {
    const config = await oidc.discovery(
      new URL(issuer),
      metadata.client_id,
      metadata.client_secret,
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    testClients[metadata.client_id] = { metadata, config };
  }

  return {
    issuer,
    get app() {
      return app;
    },
    identity,
    sms,
    callbackBase,
    clients: testClients,
    async restart() {
      // The memory store dies with the process; a Redis store is reconnected from config.
      const keep = config.store.kind === 'memory' ? app.store : undefined;
      await stop();
      if (!keep) await app.close();
      await start(keep);
    },
    async close() {
      await stop();
      await app.close();
      await identity.close();
      await sms.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

export async function authorizationRequest(
  client: TestClient,
  params: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(client.config, {
    redirect_uri: client.metadata.redirect_uris?.[0] as string,
    scope: client.metadata.scope as string,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, state, nonce, verifier };
}

/** Redeems the code the browser came back with, checking state, nonce, PKCE and the ID token. */
export async function redeem(client: TestClient, request: AuthorizationRequest, callback: Page) {
  return oidc.authorizationCodeGrant(client.config, new URL(callback.url), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
}

export function browserFor(harness: Harness, address = '198.51.100.7'): TestBrowser {
  return new TestBrowser((url) => url.origin === harness.callbackBase, { 'x-forwarded-for': address });
}

/** A raw token request, as a relying party's HTTP client would send it. */
export async function tokenRequest(harness: Harness, client: TestClient, params: Record<string, string>) {
  const basic = Buffer.from(`${client.metadata.client_id}:${client.metadata.client_secret}`).toString(
    'base64',
  );
  const response = await fetch(`${harness.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}
