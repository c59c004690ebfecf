import { readFile } from 'node:fs/promises';
import type { ClientMetadata } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../config/load.js';
import type { IdentityProviderName, SmsProviderName } from '../../config/schema.js';
import type { Account } from '../accounts/account.js';
import {
  createFailoverIdentityService,
  type NamedIdentityService,
} from '../identity/failover-identity-service.js';
import { createHttpIdentityClient } from '../identity/http-identity-client.js';
import type { IdentityService } from '../identity/identity-service.js';
import { createIdentitySimulator } from '../identity/simulator.js';
import { createFinnotechVendor } from '../identity/vendors/finnotech/client.js';
import { finnotechTokenSource } from '../identity/vendors/finnotech/token.js';
import { finnotechDefaultScopes } from '../identity/vendors/finnotech/wire.js';
import { createJibitVendor } from '../identity/vendors/jibit/client.js';
import { jibitTokenSource } from '../identity/vendors/jibit/token.js';
import { createTokenCache, type TokenSealer, type TokenSource } from '../identity/vendors/token-cache.js';
import { createVendorIdentityClient, type IdentityVendor } from '../identity/vendors/vendor-client.js';
import { createZibalVendor } from '../identity/vendors/zibal/client.js';
import type { Metrics } from '../metrics/metrics.js';
import type { VerifiedPerson } from '../oidc/claims.js';
import { createConsoleSender } from '../sms/console-sender.js';
import { createFailoverSmsSender, type NamedSmsSender } from '../sms/failover-sms-sender.js';
import type { SmsSender } from '../sms/sms-sender.js';
import { createGhasedakVendor } from '../sms/vendors/ghasedak/sender.js';
import { createKavenegarVendor } from '../sms/vendors/kavenegar/sender.js';
import { createMelipayamakVendor } from '../sms/vendors/melipayamak/sender.js';
import { createSmsIrVendor } from '../sms/vendors/smsir/sender.js';
import { createVendorSmsSender, type SmsVendor } from '../sms/vendors/vendor-sender.js';
import { MemoryStore } from '../store/memory-store.js';
import { RedisStore } from '../store/redis-store.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { BirthDate } from '../validation/birth-date.js';

/**
 * The concrete adapters app.ts picks from configuration: store, identity service, SMS sender,
 * static clients. Part of the composition root; nothing else imports this file.
 */

/** Where the provider is and what stands in front of it: the same for the server and the offline CLI. */
export function providerAddressOf(config: Config) {
  return {
    issuer: config.issuer,
    production: config.production,
    trustProxy: config.trustProxy,
    proxyHops: config.proxyHops,
  };
}

export function createStore(config: Config, now: Clock): Store {
  if (config.store.kind === 'memory') return new MemoryStore(now);
  return new RedisStore(
    {
      url: config.store.url,
      clusterNodes: config.store.clusterNodes,
      sentinels: config.store.sentinels,
      sentinelName: config.store.sentinelName,
      keyPrefix: config.store.keyPrefix,
    },
    now,
  );
}

/** What the vendor connectors need from the rest of the app: tokens are shared, sealed, in the store. */
export interface UpstreamDeps {
  store: Store;
  sealer: TokenSealer;
  /** Told of every failover from one vendor to the next (for the audit trail). */
  onFailover?: (event: UpstreamFailover) => void;
}

/** A vendor could not answer; `to` is the next one asked (undefined: it was the last). */
export interface UpstreamFailover {
  kind: 'identity' | 'sms';
  operation: string;
  from: string;
  to: string | undefined;
  reason: string;
}

export function createIdentityService(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  deps: UpstreamDeps,
): IdentityService {
  const providers = config.identity.providers;
  const named = providers.map((name) => createNamedIdentityService(name, config, logger, metrics, deps));
  // One provider: no failover layer, so the contract settings behave exactly as before.
  if (named.length === 1) return named[0] as NamedIdentityService;
  return createFailoverIdentityService({
    services: named,
    logger,
    onFailover: (event) => {
      metrics.vendors.failover({ kind: 'identity', ...event });
      deps.onFailover?.({ kind: 'identity', ...event });
    },
  });
}

/** One entry of IDENTITY_PROVIDERS, with its own breaker and metrics. */
export function createNamedIdentityService(
  name: IdentityProviderName,
  config: Config,
  logger: Logger,
  metrics: Metrics,
  deps: UpstreamDeps,
): NamedIdentityService & { checkCredentials?: (signal: AbortSignal) => Promise<string> } {
  if (name === 'simulator') return Object.assign(createIdentitySimulator(), { name: 'simulator' });
  if (name === 'http') {
    const client = createHttpIdentityClient({
      baseUrl: config.identity.url ?? '',
      token: config.identity.token ?? '',
      timeoutMs: config.identity.timeoutMs,
      logger: logger.child({ component: 'identity-service' }),
      onCall: (event) => {
        metrics.identityCall(event);
        metrics.vendors.identityVendorCall({ vendor: 'http', ...event });
      },
    });
    metrics.watchBreaker(() => client.breaker.state);
    metrics.vendors.watchVendorBreaker('identity', 'http', () => client.breaker.state);
    return Object.assign(client, { name: 'identity-service' });
  }
  const client = createVendorIdentityClient({
    vendor: createIdentityVendor(name, config, deps),
    timeoutMs: config.identity.timeoutMs,
    logger,
    onCall: (event) => {
      metrics.identityCall(event);
      metrics.vendors.identityVendorCall(event);
    },
  });
  metrics.watchBreaker(() => client.breaker.state);
  metrics.vendors.watchVendorBreaker('identity', name, () => client.breaker.state);
  return client;
}

function createIdentityVendor(
  name: 'jibit' | 'finnotech' | 'zibal',
  config: Config,
  deps: UpstreamDeps,
): IdentityVendor {
  const tokenCache = (source: TokenSource) =>
    createTokenCache({ store: deps.store, sealer: deps.sealer, name, source });
  if (name === 'jibit') {
    const { url, apiKey, secretKey } = config.identity.jibit;
    const tokenSource = jibitTokenSource({ baseUrl: url, apiKey: apiKey ?? '', secretKey: secretKey ?? '' });
    return createJibitVendor({ baseUrl: url, tokenSource, tokens: tokenCache(tokenSource) });
  }
  if (name === 'finnotech') {
    const settings = config.identity.finnotech;
    const tokenSource = finnotechTokenSource({
      baseUrl: settings.url,
      clientId: settings.clientId ?? '',
      clientSecret: settings.clientSecret ?? '',
      nid: settings.nid ?? '',
      scopes: settings.scopes ?? finnotechDefaultScopes(settings.shahkarRoute),
    });
    return createFinnotechVendor({
      baseUrl: settings.url,
      clientId: settings.clientId ?? '',
      shahkarRoute: settings.shahkarRoute,
      tokenSource,
      tokens: tokenCache(tokenSource),
    });
  }
  return createZibalVendor({ baseUrl: config.identity.zibal.url, token: config.identity.zibal.token ?? '' });
}

export function createSmsSender(
  config: Config,
  logger: Logger,
  metrics?: Metrics,
  onFailover?: (event: UpstreamFailover) => void,
): SmsSender {
  const senders = config.sms.providers.map((name) => createNamedSmsSender(name, config, logger, metrics));
  if (senders.length === 1) return senders[0] as NamedSmsSender;
  return createFailoverSmsSender({
    senders,
    logger,
    onFailover: (event) => {
      const failover = {
        kind: 'sms' as const,
        operation: 'send',
        from: event.from,
        to: event.to,
        reason: event.kind,
      };
      metrics?.vendors.failover(failover);
      onFailover?.(failover);
    },
  });
}

/** One entry of SMS_PROVIDERS, with its own breaker and metrics. */
export function createNamedSmsSender(
  name: SmsProviderName,
  config: Config,
  logger: Logger,
  metrics?: Metrics,
): NamedSmsSender & { checkCredentials?: (signal: AbortSignal) => Promise<string> } {
  if (name === 'console') return Object.assign(createConsoleSender(), { name: 'console' });
  const sender = createVendorSmsSender({
    vendor: createSmsVendor(name, config),
    logger: logger.child({ component: 'sms' }),
    onSend: (event) => metrics?.vendors.smsVendorSend(event),
  });
  metrics?.vendors.watchVendorBreaker('sms', name, () => sender.breaker.state);
  return sender;
}

function createSmsVendor(name: Exclude<SmsProviderName, 'console'>, config: Config): SmsVendor {
  const { sms } = config;
  if (name === 'kavenegar') {
    return createKavenegarVendor({
      baseUrl: sms.kavenegar.url,
      apiKey: sms.kavenegar.apiKey ?? '',
      template: sms.kavenegar.template ?? '',
    });
  }
  if (name === 'smsir') {
    return createSmsIrVendor({
      baseUrl: sms.smsir.url,
      apiKey: sms.smsir.apiKey ?? '',
      templateId: sms.smsir.templateId ?? Number.NaN,
      codeParameter: sms.smsir.codeParameter,
    });
  }
  if (name === 'ghasedak') {
    return createGhasedakVendor({
      baseUrl: sms.ghasedak.url,
      apiKey: sms.ghasedak.apiKey ?? '',
      template: sms.ghasedak.template ?? '',
      codeParameter: sms.ghasedak.codeParameter,
    });
  }
  return createMelipayamakVendor({
    baseUrl: sms.melipayamak.url,
    apiKey: sms.melipayamak.apiKey ?? '',
    bodyId: sms.melipayamak.bodyId ?? Number.NaN,
  });
}

export async function loadClientsFile(file: string | undefined): Promise<ClientMetadata[]> {
  if (!file) return [];
  const parsed = JSON.parse(await readFile(file, 'utf8')) as ClientMetadata[] | { clients: ClientMetadata[] };
  return Array.isArray(parsed) ? parsed : parsed.clients;
}

export function toVerifiedPerson(account: Account): VerifiedPerson {
  // The account holds the registry's Jalali date; it becomes a BirthDate here, where it leaves
  // the store, and the claim takes its Gregorian form.
  const birthDate = BirthDate.fromJalali(account.person.birthDateJalali);
  return {
    sub: account.sub,
    mobile: account.mobile,
    nationalCode: account.nationalCode,
    firstName: account.person.firstName,
    lastName: account.person.lastName,
    fatherName: account.person.fatherName,
    gender: account.person.gender,
    birthDateJalali: account.person.birthDateJalali,
    birthDateGregorian: birthDate?.gregorian ?? '',
    verification: {
      verifiedAt: account.verifiedAt,
      source: account.verification.source,
      ...(account.verification.id ? { id: account.verification.id } : {}),
      ...(account.verification.checkedAt ? { checkedAt: account.verification.checkedAt } : {}),
    },
  };
}
