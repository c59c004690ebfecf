import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { createConsentIndex } from '../../src/accounts/consent-index.js';
import { createClientRegistryFor, registrationFeature } from '../../src/admin/admin.js';
import type { Actor } from '../../src/admin/audit.js';
import { createBackchannelStatus } from '../../src/admin/backchannel-status.js';
import { ClientMetadataError } from '../../src/admin/client-metadata-validation.js';
import { AdminRequestError, ClientNotFoundError } from '../../src/admin/client-registry.js';
import { providerAddressOf } from '../../src/composition/adapters.js';
import { generateSigningKeySet } from '../../src/keys/signing-keys.js';
import { createOidcRecords } from '../../src/oidc/oidc-records.js';
import { createProvider } from '../../src/oidc/provider.js';
import { StoreAdapter } from '../../src/oidc/store-adapter.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { type Store, StoreUnavailableError } from '../../src/store/store.js';
import type { ClientsBackend } from './backend.js';
import { CliError, EXIT, notFound, UsageError } from './errors.js';

const ACTOR: Actor = { who: 'cli' };

/**
 * `--offline`: the registry on the shared store itself, without a running server (e.g. to
 * register the first site before the provider is deployed). Needs the server's store settings
 * (REDIS_URL or REDIS_CLUSTER_NODES / REDIS_SENTINELS, and its REDIS_KEY_PREFIX); changes are
 * audited as "cli".
 */
export async function offlineBackend(env: NodeJS.ProcessEnv): Promise<ClientsBackend> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(EXIT.configuration, 'configuration', error.message);
    throw error;
  }
  if (config.store.kind === 'memory') {
    throw new CliError(
      EXIT.configuration,
      'configuration',
      '--offline needs the shared store: set REDIS_URL (or REDIS_CLUSTER_NODES / REDIS_SENTINELS) and the ' +
        "server's REDIS_KEY_PREFIX. With the embedded store the clients live inside the running server: " +
        'leave out --offline to use its admin API.',
    );
  }
  const store = new RedisStore(
    {
      url: config.store.url,
      clusterNodes: config.store.clusterNodes,
      sentinels: config.store.sentinels,
      sentinelName: config.store.sentinelName,
      keyPrefix: config.store.keyPrefix,
    },
    Date.now,
  );
  const { registry, audit } = await openRegistry(config, store);
  const backchannel = createBackchannelStatus(store, Date.now);
  const get = async (clientId: string) => {
    const client = await registry.get(clientId);
    if (!client) throw notFound(clientId);
    return client;
  };
  return translated({
    list: () => registry.list(),
    get,
    create: (metadata) => registry.create(metadata, ACTOR),
    replace: (clientId, metadata) => registry.replace(clientId, metadata, ACTOR),
    async delete(clientId) {
      if (!(await registry.delete(clientId, ACTOR))) throw notFound(clientId);
    },
    rotateSecret: (clientId) => registry.rotateSecret(clientId, ACTOR),
    issueInitialAccessToken: (expiresIn) => registry.issueInitialAccessToken(expiresIn, ACTOR),
    async audit(limit, stream) {
      if (stream !== 'admin')
        throw new UsageError('--stream security needs the admin API (leave out --offline)');
      return audit.recent(limit);
    },
    async backchannelLogout(clientId) {
      const client = await get(clientId);
      return {
        client_id: clientId,
        backchannel_logout_uri: client.backchannel_logout_uri ?? null,
        ...(await backchannel.read(clientId)),
      };
    },
    close: () => store.close().catch(() => {}),
  });
}

/** The registry's errors as CliErrors, in the same RFC 7591 form the admin API answers with. */
function translated(backend: ClientsBackend): ClientsBackend {
  const wrap =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } catch (error) {
        if (error instanceof ClientMetadataError)
          throw new CliError(EXIT.refused, error.error, error.description);
        if (error instanceof ClientNotFoundError) throw notFound(error.clientId);
        if (error instanceof AdminRequestError)
          throw new CliError(EXIT.refused, error.error, error.description);
        if (error instanceof StoreUnavailableError)
          throw new CliError(
            EXIT.unavailable,
            'temporarily_unavailable',
            `the store is unavailable: ${error.message}`,
          );
        throw error;
      }
    };
  return {
    list: wrap(backend.list),
    get: wrap(backend.get),
    create: wrap(backend.create),
    replace: wrap(backend.replace),
    delete: wrap(backend.delete),
    rotateSecret: wrap(backend.rotateSecret),
    issueInitialAccessToken: wrap(backend.issueInitialAccessToken),
    audit: wrap(backend.audit),
    backchannelLogout: wrap(backend.backchannelLogout),
    close: backend.close,
  };
}

/**
 * The registry on a provider instance built like the server's (same issuer, scopes, client
 * defaults and registration policy), so offline changes are validated exactly as the admin API
 * validates them and its initial access tokens work at /reg. Its signing and cookie keys are
 * throwaway: it signs nothing.
 */
async function openRegistry(config: Config, store: Store) {
  const records = createOidcRecords(store);
  const provider = createProvider({
    ...providerAddressOf(config),
    adapter: StoreAdapter.factory(store, Date.now),
    now: Date.now,
    signingKeys: await generateSigningKeySet(),
    cookieKeys: [randomBytes(32).toString('base64url')],
    pairwiseSalt: randomBytes(32),
    staticClients: [],
    ttl: config.ttl,
    findPerson: async () => undefined,
    consents: createConsentIndex(store),
    pages: {
      renderError: async () => {},
      logoutSource: async () => {},
      postLogoutSuccessSource: async () => {},
    },
    registration: registrationFeature({ records, production: config.production }),
  });
  return createClientRegistryFor({
    store,
    records,
    provider,
    config: { production: config.production, secretRotationGraceSeconds: config.secretRotationGraceSeconds },
    logger: pino({ level: 'warn' }, pino.destination(2)),
    now: Date.now,
  });
}
