/**
 * `IDENTITY_PROVIDERS=jibit,zibal`: the vendors in order. A vendor that cannot answer (down,
 * rate limited, its breaker open, an answer that is neither yes nor no) hands the question to
 * the next; a definite answer, matched or not, is final and never asked elsewhere (a "no" shopped
 * around until some vendor says "yes" would make the weakest vendor the judge). When every vendor
 * failed, the last failure is thrown: the person is told to try later, never refused.
 */
import type { Logger } from 'pino';
import type { IdentityOperation } from './http-identity-client.js';
import {
  type IdentityService,
  IdentityServiceUnavailableError,
  type RegistryResult,
} from './identity-service.js';

export interface NamedIdentityService extends IdentityService {
  readonly name: string;
}

export interface FailoverEvent {
  operation: IdentityOperation;
  from: string;
  /** Undefined when `from` was the last. */
  to: string | undefined;
  reason: string;
}

export interface FailoverIdentityServiceOptions {
  services: readonly NamedIdentityService[];
  logger: Logger;
  onFailover?: (event: FailoverEvent) => void;
}

export function createFailoverIdentityService(options: FailoverIdentityServiceOptions): IdentityService {
  const { services } = options;
  if (services.length === 0) throw new TypeError('at least one identity service is required');
  const logger = options.logger.child({ component: 'identity-failover' });

  async function ask<T>(
    operation: IdentityOperation,
    question: (service: NamedIdentityService) => Promise<T>,
  ) {
    let lastFailure: unknown;
    for (const [index, service] of services.entries()) {
      try {
        return { answer: await question(service), source: service.name };
      } catch (error) {
        // Only "could not answer" moves on; a bug in a connector is not a reason to ask another.
        if (!(error instanceof IdentityServiceUnavailableError)) throw error;
        lastFailure = error;
        const event = { operation, from: service.name, to: services[index + 1]?.name, reason: error.reason };
        options.onFailover?.(event);
        logger.warn(
          event,
          event.to ? 'identity vendor could not answer; asking the next' : 'no identity vendor could answer',
        );
      }
    }
    throw lastFailure;
  }

  return {
    async checkMobileOwnership(nationalCode, mobile) {
      return (await ask('mobile-ownership', (service) => service.checkMobileOwnership(nationalCode, mobile)))
        .answer;
    },
    async inquireCivilRegistry(nationalCode, birthDate): Promise<RegistryResult> {
      const { answer, source } = await ask('civil-registry-inquiry', (service) =>
        service.inquireCivilRegistry(nationalCode, birthDate),
      );
      return { ...answer, source: answer.source ?? source };
    },
  };
}
