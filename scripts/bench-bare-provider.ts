/**
 * The benchmark's ceiling: oidc-provider alone, with its own in-memory adapter (or, with
 * BARE_REDIS_URL, its example Redis adapter: bench/bare-redis-adapter.ts), the same ES256
 * signing key, the same client, scopes, claims and refresh-token rotation as Darvaze, and
 * nothing else (no accounts to decrypt, no middleware). It mints refresh tokens
 * through the provider's own models, writes them to a file and serves /token until stopped.
 *
 *   BARE_PORT=… BARE_JWKS_FILE=jwks.json BARE_CLIENT='{"client_id":…}' BARE_TOKENS=64 \
 *   BARE_OUT=tokens.json node dist/scripts/bench-bare-provider.js
 *
 * Used by scripts/bench/phases/bare.ts; not a server for anything else.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';
import { SCOPE_CLAIMS } from '../src/oidc/claims.js';
import { bareRedisAdapter } from './bench/bare-redis-adapter.js';

const port = Number(process.env.BARE_PORT ?? 0);
const jwks = JSON.parse(
  await readFile(process.env.BARE_JWKS_FILE ?? 'jwks.json', 'utf8'),
) as Configuration['jwks'];
const client = JSON.parse(process.env.BARE_CLIENT ?? '{}') as ClientMetadata;
const tokens = Number(process.env.BARE_TOKENS ?? 64);
const scope = process.env.BARE_SCOPE ?? 'openid profile phone offline_access';
const issuer = `http://127.0.0.1:${port}`;

// oidc-provider's in-memory adapter keeps at most 1000 entries (an LRU): under a benchmark it
// evicts grants mid-run ("grant request is invalid"). The same adapter class over a larger LRU.
type LruClass = new (options: { maxSize: number }) => unknown;
type AdapterClass = new (model: string, store: unknown, clockTolerance: number) => object;
const { default: LRU } = (await import('oidc-provider/lib/helpers/lru.js' as string)) as {
  default: LruClass;
};
const { default: MemoryAdapter } = (await import(
  'oidc-provider/lib/adapters/memory_adapter.js' as string
)) as {
  default: AdapterClass;
};
const storage = new LRU({ maxSize: 50_000_000 });

// The claims of one made-up person, as Darvaze's findAccount would return them.
const claims = {
  name: 'علی احمدی',
  given_name: 'علی',
  family_name: 'احمدی',
  gender: 'male',
  birthdate: '1991-08-05',
  birthdate_jalali: '1370/05/14',
  phone_number: '+989900000001',
  phone_number_verified: true,
  national_code: '0499370899',
  father_name: 'رضا',
};

// BARE_REDIS_URL: oidc-provider's example Redis adapter instead (bench/bare-redis-adapter.ts).
const redisUrl = process.env.BARE_REDIS_URL;
const adapter = redisUrl
  ? bareRedisAdapter(redisUrl, process.env.BARE_REDIS_PREFIX ?? 'bare:')
  : (model: string) => new MemoryAdapter(model, storage, 0);

const provider = new Provider(issuer, {
  adapter: adapter as unknown as Configuration['adapter'],
  clients: [client],
  jwks,
  claims: {
    ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([name, list]) => [name, [...list]])),
    openid: ['sub', 'amr'],
  },
  scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((name) => name !== 'openid')],
  conformIdTokenClaims: false,
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, ...claims }),
  }),
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  clientDefaults: { id_token_signed_response_alg: 'ES256', require_auth_time: true },
  ttl: {
    AccessToken: 900,
    IdToken: 3600,
    Grant: 365 * 24 * 3600,
    RefreshToken: (ctx) => {
      const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
      return rotated ? Math.max(1, rotated.remainingTTL) : 30 * 24 * 3600;
    },
  },
});

const registered = await provider.Client.find(client.client_id);
if (!registered) throw new Error('bench client not registered');
const minted: string[] = [];
for (let i = 0; i < tokens; i++) {
  const accountId = `bench-account-${i}`;
  const grant = new provider.Grant({ accountId, clientId: client.client_id });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const refreshToken = new provider.RefreshToken({
    accountId,
    client: registered,
    grantId,
    scope,
    gty: 'authorization_code',
    authTime: Math.floor(Date.now() / 1000),
    amr: ['sms', 'otp'],
  });
  minted.push(await refreshToken.save());
}

const server = provider.listen(port, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
await writeFile(
  process.env.BARE_OUT ?? 'bare-tokens.json',
  JSON.stringify({ issuer, refreshTokens: minted }),
);
console.log(`bare oidc-provider on ${issuer} with ${minted.length} refresh tokens`);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
