import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../config/load.js';
import { createAccountRouter } from '../account-page/account-router.js';
import { createAccountRepository } from '../accounts/account-repository.js';
import { createConsentIndex } from '../accounts/consent-index.js';
import { createIdentityVerification } from '../accounts/identity-verification.js';
import { createPersonalDataCipher } from '../accounts/personal-data-cipher.js';
import { createAdmin, registrationFeature } from '../admin/admin.js';
import { createAdminAllowList } from '../admin-console/admin-allow-list.js';
import { ADMIN_CONSOLE_CLIENT } from '../admin-console/console-client.js';
import { createHealthSeries, healthEventsOf } from '../admin-console/health-series.js';
import { createAdminConsoleRouters } from '../admin-console/http/console-router.js';
import { attachProviderAuditEvents } from '../audit/provider/audit-events.js';
import { createSecurityAudit } from '../audit/security-audit.js';
import { type CaptchaChallenge, createCaptcha } from '../captcha/captcha.js';
import { ACCOUNT_CLIENT } from '../first-party/first-party-clients.js';
import { createDocsRouter } from '../http/docs-router.js';
import { errorBoundary } from '../http/error-boundary.js';
import { createHealthRouter } from '../http/health-router.js';
import { localeMiddleware } from '../http/locale-middleware.js';
import { logoutFormPost } from '../http/logout-form-post.js';
import { machineEndpointPaths, pagesOnly } from '../http/machine-endpoints.js';
import { createProviderPages } from '../http/provider-pages.js';
import { createRenderer } from '../http/render.js';
import { requestContext } from '../http/request-context.js';
import { securityHeaders } from '../http/security-headers.js';
import { staticAssets } from '../http/static-assets.js';
import type { IdentityService } from '../identity/identity-service.js';
import { createInteractionRouter } from '../interaction/interaction-router.js';
import type { AuditEvent } from '../interaction/journey-deps.js';
import { createJourneyStates } from '../interaction/journey-state.js';
import { developmentAdminToken } from '../keys/development-admin-token.js';
import { resolveSecrets, type Secrets } from '../keys/development-secrets.js';
import { createIdentityCheckPolicy } from '../limits/identity-check-policy.js';
import { createSmsSendPolicy } from '../limits/sms-send-policy.js';
import { createLogger } from '../logging/logger.js';
import { httpMetrics, metricsEndpoint } from '../metrics/http/http-metrics.js';
import { instrumentOneTimeCodes } from '../metrics/instrument-codes.js';
import { instrumentStore } from '../metrics/instrument-store.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { observeProvider } from '../metrics/provider/provider-events.js';
import { attachBackchannelDelivery } from '../oidc/backchannel-delivery.js';
import { clientNameFor } from '../oidc/client-names.js';
import { createKnownOrigins } from '../oidc/client-origins.js';
import { corsOriginGate } from '../oidc/cors.js';
import { createOidcRecords } from '../oidc/oidc-records.js';
import { createPersonSessions } from '../oidc/person-sessions.js';
import { createProvider, INTERACTION_TTL_SECONDS } from '../oidc/provider.js';
import { silentRenewalFraming } from '../oidc/silent-renewal-framing.js';
import { StoreAdapter } from '../oidc/store-adapter.js';
import { createTokenRequestPrefetch } from '../oidc/token-request-prefetch.js';
import { createCodeDelivery } from '../otp/code-delivery.js';
import { createOneTimeCodes } from '../otp/one-time-codes.js';
import { createPasskeyCredentials } from '../passkeys/passkey-credentials.js';
import { createPasskeyOffers } from '../passkeys/passkey-offer.js';
import type { SmsSender } from '../sms/sms-sender.js';
import type { Store } from '../store/store.js';
import {
  createIdentityService,
  createSmsSender,
  createStore,
  loadClientsFile,
  providerAddressOf,
  toVerifiedPerson,
  type UpstreamFailover,
} from './adapters.js';
import { wireFirstParty } from './first-party.js';
import { createJourneyPasskeys } from './passkeys.js';
import { findProjectRoot } from './project-root.js';
import { parseEncryptionKeys, parseIndexKey } from './secrets.js';

/** Parts a test (or an embedding program) may supply instead of the configured ones. */
export interface AppOverrides {
  store?: Store;
  identityService?: IdentityService;
  smsSender?: SmsSender;
  logger?: Logger;
  secrets?: Secrets;
  extraClients?: ClientMetadata[];
  /** A metrics registry to record into (tests read it); default: a new one per app. */
  metrics?: Metrics;
  /** Makes captcha images; tests wrap the real one to learn the answer. */
  captchaChallenge?: () => CaptchaChallenge;
  /** Waits before each back-channel logout retry; default 1 s, 4 s, 16 s. Tests shorten them. */
  backchannelRetryDelaysMs?: readonly number[];
  now?: () => number;
}

export interface App {
  /** The Koa application (oidc-provider's Provider is one) with every route mounted. */
  provider: Provider;
  store: Store;
  logger: Logger;
  secrets: Secrets;
  metrics: Metrics;
  /** Whether /admin/api exists, and where its token came from (never the token itself). */
  adminApi: AdminApiState;
  /** Flips /readyz to 503 so load balancers drain this node before it stops. */
  stopAccepting(): void;
  close(): Promise<void>;
}

export type AdminApiState =
  | { enabled: false }
  | { enabled: true; token: 'ADMIN_TOKEN' }
  /** Development only: generated once into the data folder (`file`). */
  | { enabled: true; token: 'generated'; file: string };

/** The checkout's root, whether this file runs from src/ (tsx) or from dist/src/ (built). */
const PROJECT_ROOT = findProjectRoot(import.meta.dirname);

/** The composition root: the one place that picks concrete adapters and wires them in. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const now = overrides.now ?? Date.now;
  const secrets = overrides.secrets ?? (await resolveSecrets(config));
  const { adminToken, adminApi } = await resolveAdminToken(config);
  const metrics = overrides.metrics ?? createMetrics();
  const store = instrumentStore(overrides.store ?? createStore(config, now), metrics);

  const cipher = createPersonalDataCipher({
    keys: parseEncryptionKeys(secrets.dataEncryptionKeys),
    indexKey: parseIndexKey(secrets.dataIndexKey),
  });
  const securityAudit = createSecurityAudit({
    store,
    logger,
    now,
    maxEntries: config.audit.maxEntries,
    retentionDays: config.audit.retentionDays,
    trim: (key, before) => store.trimLog(key, before),
  });
  // A vendor that could not answer, and who was asked next, goes to the audit trail too (no
  // request id: the failover happens inside one person's step, which records its own outcome).
  const auditFailover = (event: UpstreamFailover) =>
    securityAudit.record({ state: {} }, 'upstream.failover', { ...event, to: event.to ?? 'none' });
  const identityService =
    overrides.identityService ??
    createIdentityService(config, logger, metrics, { store, sealer: cipher, onFailover: auditFailover });
  const smsSender = overrides.smsSender ?? createSmsSender(config, logger, metrics, auditFailover);
  const accounts = createAccountRepository({ store, cipher, now });
  const consents = createConsentIndex(store, now);
  const codes = instrumentOneTimeCodes(
    createOneTimeCodes({
      store,
      pepper: secrets.otpPepper,
      now,
      ...config.limits.otp,
    }),
    metrics,
  );
  const smsPolicy = createSmsSendPolicy({
    store,
    now,
    subjectKey: secrets.otpPepper,
    limits: config.limits.sms,
  });
  const identityCheckPolicy = createIdentityCheckPolicy({
    store,
    now,
    subjectKey: secrets.otpPepper,
    limits: config.limits.identityChecks,
  });
  const verification = createIdentityVerification({
    identityService,
    accounts,
    identityCheckPolicy,
    // A service that does not say who answered: the generic API or the simulator.
    source: config.identity.providers[0] === 'simulator' ? 'simulator' : 'identity-service',
    now,
  });

  // Templates are cached everywhere but in development, where they are edited while it runs.
  const render = createRenderer({
    viewsDir: join(PROJECT_ROOT, 'views'),
    production: config.env !== 'development',
  });
  // Darvaze's own pages that sign people in through it (the person's page /account, the admin
  // console /admin): static
  // clients the composition root alone registers, marked first party (no consent page).
  const firstParty = wireFirstParty({
    issuer: config.issuer,
    secretKey: createHmac('sha256', parseIndexKey(secrets.dataIndexKey))
      .update('darvaze first-party')
      .digest(),
    specs: [ACCOUNT_CLIENT, ADMIN_CONSOLE_CLIENT],
    store,
    now,
    production: config.production,
    render,
  });
  const staticClients = [
    ...(await loadClientsFile(config.clientsFile)),
    ...(overrides.extraClients ?? []),
    ...firstParty.clients.list.map((client) => client.metadata),
  ];
  // oidc-provider's records as the admin module handles them (clients, grants, /reg tokens).
  const oidcRecords = createOidcRecords(store);
  // A refresh grant's account is read with its grant, not after it (token-request-prefetch.ts).
  const accountPrefetch = createTokenRequestPrefetch((sub: string) => accounts.findBySub(sub));
  const provider = createProvider({
    ...providerAddressOf(config),
    // The Interaction's login_hint may be a mobile number: payloads are sealed like personal data.
    adapter: StoreAdapter.factory(store, now, cipher, {
      onRefreshChainFound: (accountId) => accountPrefetch.start(accountId),
    }),
    now,
    signingKeys: secrets.signingKeys,
    cookieKeys: secrets.cookieKeys,
    staticClients,
    ttl: config.ttl,
    consents,
    isFirstParty: firstParty.clients.isFirstParty,
    pages: createProviderPages(render),
    registration: registrationFeature({ records: oidcRecords, production: config.production }),
    pairwiseSalt: createHmac('sha256', parseIndexKey(secrets.dataIndexKey))
      .update('darvaze pairwise subject')
      .digest(),
    findPerson: async (sub) => {
      const account = await (accountPrefetch.take(sub) ?? accounts.findBySub(sub));
      return account ? toVerifiedPerson(account) : undefined;
    },
  });

  // A bad static client (CLIENTS_FILE) stops the start here, not at its first request.
  for (const metadata of staticClients) {
    await provider.Client.validate(metadata).catch(async (error: Error & { error_description?: string }) => {
      if (!overrides.store) await store.close().catch(() => {});
      throw new Error(`client ${metadata.client_id}: ${error.error_description ?? error.message}`);
    });
  }
  const admin = createAdmin({
    store,
    records: oidcRecords,
    provider,
    config: {
      adminToken,
      production: config.production,
      secretRotationGraceSeconds: config.secretRotationGraceSeconds,
    },
    logger,
    now,
    securityAudit,
  });

  // Per-minute and per-hour counts in the store for the console's Health page (all nodes).
  const healthSeries = createHealthSeries({
    store,
    now,
    onError: (error) => logger.warn({ err: error.message }, 'health series write failed'),
  });
  const audit: AuditEvent = (ctx, type, fields) => {
    metrics.securityEvent(type, fields);
    healthSeries.record(...healthEventsOf(type, fields));
    securityAudit.record(ctx, type, fields);
  };
  attachProviderAuditEvents(provider, securityAudit);
  observeProvider(provider, metrics);
  const backchannel = attachBackchannelDelivery({
    provider,
    status: admin.backchannelStatus,
    logger: logger.child({ component: 'backchannel-logout' }),
    audit: (ctx, type, fields) => securityAudit.record(ctx, type, fields),
    count: (outcome) => metrics.oidc.backchannelLogouts.inc({ outcome }),
    ...(overrides.backchannelRetryDelaysMs ? { retryDelaysMs: overrides.backchannelRetryDelaysMs } : {}),
  });
  // oidc-provider answers its own endpoints' failures itself; this puts them in our log too.
  provider.on('server_error', (ctx, error) =>
    ((ctx.state as { logger?: Logger }).logger ?? logger).error({ err: error }, 'provider error'),
  );
  let accepting = true;

  provider.use(requestContext(logger));
  provider.use(httpMetrics(metrics));
  // While draining, keep-alive connections are told to close: server.close() would otherwise
  // wait for a busy client's connection until the drain timeout.
  provider.use(async (ctx, next) => {
    await next();
    if (!accepting) ctx.set('Connection', 'close');
  });
  provider.use(metricsEndpoint(metrics, { token: config.metricsToken }));
  provider.use(securityHeaders({ production: config.production, framableBy: silentRenewalFraming() }));
  provider.use(
    corsOriginGate(
      createKnownOrigins({
        load: async () => [...staticClients, ...(await admin.registry.list())],
        onError: (error) => logger.warn({ err: error.message }, 'CORS: could not load client origins'),
      }),
    ),
  );
  provider.use(errorBoundary(render, logger));
  // /token and the other machine endpoints skip what only pages and our own routes need.
  const machinePaths = machineEndpointPaths((route) => provider.pathFor(route));
  provider.use(pagesOnly(machinePaths, staticAssets({ publicDir: join(PROJECT_ROOT, 'public') })));
  provider.use(pagesOnly(machinePaths, localeMiddleware()));
  // A site may post its logout request: no ID token in a URL (see the module).
  provider.use(pagesOnly(machinePaths, logoutFormPost()));
  const health = createHealthRouter({
    store: () => store.ping(),
    keysLoaded: () => secrets.signingKeys.keys.length > 0,
    accepting: () => accepting,
  });
  provider.use(pagesOnly(machinePaths, health.routes()));
  provider.use(pagesOnly(machinePaths, createDocsRouter(PROJECT_ROOT).routes()));
  provider.use(pagesOnly(machinePaths, admin.router.routes()));
  const interactions = createInteractionRouter({
    provider,
    journeys: createJourneyStates(store, cipher),
    captcha: createCaptcha({ store, enabled: config.captcha, now, generate: overrides.captchaChallenge }),
    codes,
    delivery: createCodeDelivery({
      policy: smsPolicy,
      codes,
      sms: smsSender,
      onOutcome: (outcome) => {
        metrics.smsOutcome(outcome);
        if (outcome === 'sent') healthSeries.record('codes_sent');
        if (outcome === 'failed') healthSeries.record('sms_failed');
      },
    }),
    smsPolicy,
    accounts,
    verification,
    consents,
    render,
    audit,
    codeLength: config.limits.otp.length,
    interactionTtlSeconds: INTERACTION_TTL_SECONDS,
    identityMaxAgeSeconds: config.identity.maxAgeDays * 24 * 3600,
    now,
    passkeys: createJourneyPasskeys({ store, cipher, issuer: config.issuer, now }),
  });
  provider.use(pagesOnly(machinePaths, interactions.routes()));
  provider.use(pagesOnly(machinePaths, interactions.allowedMethods()));
  provider.use(pagesOnly(machinePaths, firstParty.callbacks.routes()));
  const accountPage = createAccountRouter({
    signIn: firstParty.signIn(ACCOUNT_CLIENT.clientId),
    render,
    accounts,
    consents,
    verification,
    passkeys: createPasskeyCredentials(store, cipher),
    passkeyOffers: createPasskeyOffers(store, cipher),
    sessions: createPersonSessions(provider, store),
    audit: securityAudit,
    record: audit,
    clientName: async (clientId, locale) => {
      const client = await provider.Client.find(clientId).catch(() => undefined);
      return client ? clientNameFor(client, locale, clientId) : undefined;
    },
    now,
  });
  provider.use(pagesOnly(machinePaths, accountPage.routes()));
  // The admin console (/admin): admins sign in through the provider itself and are let in by
  // the allow list of national codes; changes go through the admin module's registry.
  const adminConsole = createAdminConsoleRouters({
    signIn: firstParty.signIn(ADMIN_CONSOLE_CLIENT.clientId),
    allowList: createAdminAllowList({
      nationalCodes: config.adminNationalCodes,
      nationalCodeOf: async (sub) => (await accounts.findBySub(sub))?.nationalCode ?? null,
    }),
    registry: admin.registry,
    adminAudit: admin.audit,
    securityAudit,
    health: {
      series: healthSeries,
      breaker: async () => {
        const states = (await metrics.identity.breaker.get()).values
          .filter((value) => value.value === 1)
          .map((value) => value.labels.state);
        if (states.includes('open')) return 'open';
        if (states.includes('half-open')) return 'half-open';
        return states.includes('closed') ? 'closed' : 'none';
      },
      storeReady: () =>
        store.ping().then(
          () => true,
          () => false,
        ),
    },
    render,
    now,
    logger,
    secretRotationGraceSeconds: config.secretRotationGraceSeconds,
    freshSeconds: config.adminFreshSignInSeconds,
  });
  for (const router of adminConsole) provider.use(pagesOnly(machinePaths, router.routes()));

  return {
    provider,
    store,
    logger,
    secrets,
    metrics,
    adminApi,
    stopAccepting: () => {
      accepting = false;
    },
    close: async () => {
      backchannel.stop();
      await store.close();
    },
  };
}

/**
 * ADMIN_TOKEN when set; in development (`npm start` without NODE_ENV) a token generated into the
 * data folder, so a new user can register a site with the clients command line at once. Never
 * generated in production or tests: there the admin API exists only with an explicit token.
 */
async function resolveAdminToken(
  config: Config,
): Promise<{ adminToken: string | undefined; adminApi: AdminApiState }> {
  if (config.adminToken)
    return { adminToken: config.adminToken, adminApi: { enabled: true, token: 'ADMIN_TOKEN' } };
  if (config.env !== 'development') return { adminToken: undefined, adminApi: { enabled: false } };
  const { token, file } = await developmentAdminToken(config.dataDir);
  return { adminToken: token, adminApi: { enabled: true, token: 'generated', file } };
}
