import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { SecurityAudit } from '../audit/security-audit.js';
import type { Store } from '../store/store.js';
import { type AdminAudit, createAdminAudit } from './audit.js';
import { type BackchannelStatus, createBackchannelStatus } from './backchannel-status.js';
import { createClientGrants } from './client-grants.js';
import { type ClientRegistry, createClientRegistry } from './client-registry.js';
import { createAdminRouter } from './http/admin-router.js';
import { previousSecretGrace } from './http/secret-grace.js';
import type { OidcRecords } from './ports.js';
import { createPreviousSecrets } from './previous-secrets.js';
import { attachClientGrantIndex } from './provider/grant-events.js';
import { attachRegistrationEvents } from './provider/registration.js';
import { createInitialAccessTokens, createProviderClientRules } from './provider/registry-ports.js';

export { registrationFeature } from './provider/registration.js';

/**
 * Client administration, assembled: the registry service (client-registry.ts and its
 * framework-free helpers) with its adapters, the admin API (http/) and the oidc-provider hooks
 * (provider/). In two steps because of an ordering constraint:
 *
 * 1. `registrationFeature({ records, production })` is provider configuration (dynamic
 *    registration with Darvaze's policy), so it is passed to `createProvider` first.
 * 2. `createAdmin({ store, records, provider, config, logger })` then builds the registry on that
 *    provider, attaches the provider-event hooks (grant index, /reg adoption) and returns the
 *    admin router and the previous-secret middleware to mount.
 *
 * `records` (src/oidc/oidc-records.ts) comes from the composition root: the admin module never
 * builds a store adapter nor writes an oidc-provider key. The CLI (scripts/clients.ts) uses
 * `createClientRegistryFor` — the same registry, without HTTP.
 */

export interface AdminConfig {
  /** Unset: the admin API answers 404 everywhere (DESIGN §2.2). */
  adminToken?: string;
  production: boolean;
  secretRotationGraceSeconds: number;
  /** The clients of the provider's configuration, which no rotation grace applies to. */
  staticClientIds?: readonly string[];
}

export interface AdminDeps {
  /** The admin module's own keys (client index, locks, previous secrets, audit trail). */
  store: Store;
  /** oidc-provider's records: clients, grants. */
  records: OidcRecords;
  provider: Provider;
  config: AdminConfig;
  logger: Logger;
  now: () => number;
  /** The security audit trail, served at GET /admin/api/audit?stream=security. */
  securityAudit?: Pick<SecurityAudit, 'recent'>;
}

export interface Admin {
  /** @koa/router with prefix /admin/api: `provider.use(admin.router.routes())`. */
  router: Router;
  /** Mount before the provider's routes: `provider.use(admin.previousSecretGrace)`. */
  previousSecretGrace: Middleware;
  registry: ClientRegistry;
  audit: AdminAudit;
  /** Back-channel logout delivery state per client (written by the delivery hooks). */
  backchannelStatus: BackchannelStatus;
}

/** The registry on a provider and store, for the admin API and the CLI alike. */
export function createClientRegistryFor(deps: AdminDeps): { registry: ClientRegistry; audit: AdminAudit } {
  const audit = createAdminAudit(deps.store, deps.now);
  const registry = createClientRegistry({
    store: deps.store,
    records: deps.records,
    rules: { production: deps.config.production },
    provider: createProviderClientRules(deps.provider),
    grants: createClientGrants(deps.store, deps.records),
    initialAccessTokens: createInitialAccessTokens(deps.provider),
    audit,
    secretRotationGraceSeconds: deps.config.secretRotationGraceSeconds,
    logger: deps.logger,
    now: deps.now,
  });
  return { registry, audit };
}

export function createAdmin(deps: AdminDeps): Admin {
  const logger = deps.logger.child({ component: 'admin' });
  const { registry, audit } = createClientRegistryFor({ ...deps, logger });
  // Grants are indexed whether or not the admin API is on: the CLI deletes clients too.
  attachClientGrantIndex(deps.provider, createClientGrants(deps.store, deps.records), deps.now, logger);
  attachRegistrationEvents(deps.provider, registry, logger);
  const backchannelStatus = createBackchannelStatus(deps.store, deps.now);
  const router = createAdminRouter({
    backchannelLogout: {
      uriOf: async (clientId) => {
        const client = await deps.provider.Client.find(clientId).catch(() => undefined);
        return client ? (client.backchannelLogoutUri ?? null) : undefined;
      },
      read: (clientId) => backchannelStatus.read(clientId),
    },
    registry,
    audit,
    logger,
    ...(deps.securityAudit ? { securityAudit: deps.securityAudit } : {}),
    ...(deps.config.adminToken ? { adminToken: deps.config.adminToken } : {}),
  });
  const previousSecrets = createPreviousSecrets({
    store: deps.store,
    clients: deps.records,
    now: deps.now,
  });
  return {
    router,
    previousSecretGrace: previousSecretGrace({
      previousSecrets,
      logger,
      staticClientIds: new Set(deps.config.staticClientIds ?? []),
    }),
    registry,
    audit,
    backchannelStatus,
  };
}
