import { readFile } from 'node:fs/promises';
import type { ClientMetadata } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../config/load.js';
import type { Account } from '../accounts/account.js';
import { createHttpIdentityClient } from '../identity/http-identity-client.js';
import type { IdentityService } from '../identity/identity-service.js';
import { createIdentitySimulator } from '../identity/simulator.js';
import type { Metrics } from '../metrics/metrics.js';
import type { VerifiedPerson } from '../oidc/claims.js';
import { createConsoleSender } from '../sms/console-sender.js';
import { createKavenegarSender } from '../sms/kavenegar-sender.js';
import type { SmsSender } from '../sms/sms-sender.js';
import { MemoryStore } from '../store/memory-store.js';
import { RedisStore } from '../store/redis-store.js';
import type { Store } from '../store/store.js';
import { jalaliToGregorian } from '../validation/jalali-date.js';

/**
 * The concrete adapters app.ts picks from configuration: store, identity service, SMS sender,
 * static clients. Part of the composition root; nothing else imports this file.
 */

export function createStore(config: Config): Store {
  if (config.store.kind === 'memory') return new MemoryStore();
  return new RedisStore({
    url: config.store.url,
    clusterNodes: config.store.clusterNodes,
    sentinels: config.store.sentinels,
    sentinelName: config.store.sentinelName,
    keyPrefix: config.store.keyPrefix,
  });
}

export function createIdentityService(config: Config, logger: Logger, metrics: Metrics): IdentityService {
  if (!config.identity.url) return createIdentitySimulator();
  const client = createHttpIdentityClient({
    baseUrl: config.identity.url,
    token: config.identity.token ?? '',
    timeoutMs: config.identity.timeoutMs,
    logger: logger.child({ component: 'identity-service' }),
    onCall: (event) => metrics.identityCall(event),
  });
  metrics.watchBreaker(() => client.breaker.state);
  return client;
}

export function createSmsSender(config: Config, logger: Logger): SmsSender {
  if (config.sms.provider === 'console') return createConsoleSender();
  return createKavenegarSender({
    baseUrl: config.sms.kavenegar.url,
    apiKey: config.sms.kavenegar.apiKey ?? '',
    template: config.sms.kavenegar.template ?? '',
    logger: logger.child({ component: 'sms' }),
  });
}

export async function loadClientsFile(file: string | undefined): Promise<ClientMetadata[]> {
  if (!file) return [];
  const parsed = JSON.parse(await readFile(file, 'utf8')) as ClientMetadata[] | { clients: ClientMetadata[] };
  return Array.isArray(parsed) ? parsed : parsed.clients;
}

export function toVerifiedPerson(account: Account): VerifiedPerson {
  return {
    sub: account.sub,
    mobile: account.mobile,
    nationalCode: account.nationalCode,
    firstName: account.person.firstName,
    lastName: account.person.lastName,
    fatherName: account.person.fatherName,
    gender: account.person.gender,
    birthDateJalali: account.person.birthDateJalali,
    birthDateGregorian: jalaliToGregorian(account.person.birthDateJalali) ?? '',
    verification: {
      verifiedAt: account.verifiedAt,
      source: account.verification.source,
      ...(account.verification.id ? { id: account.verification.id } : {}),
      ...(account.verification.checkedAt ? { checkedAt: account.verification.checkedAt } : {}),
    },
  };
}
