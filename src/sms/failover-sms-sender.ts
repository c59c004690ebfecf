/**
 * `SMS_PROVIDERS=kavenegar,smsir`: senders in order. A gateway failure (down, slow, out of
 * credit, rate limited, a refused key, its breaker open) hands the code to the next sender; a
 * refused number does not, because every gateway would refuse it and each refusal may cost.
 */
import type { Logger } from 'pino';
import { SmsSendError, type SmsSender } from './sms-sender.js';

export interface NamedSmsSender extends SmsSender {
  readonly name: string;
}

export interface SmsFailoverEvent {
  from: string;
  to: string | undefined;
  kind: string;
}

export function createFailoverSmsSender(options: {
  senders: readonly NamedSmsSender[];
  logger: Logger;
  onFailover?: (event: SmsFailoverEvent) => void;
}): SmsSender {
  const { senders } = options;
  if (senders.length === 0) throw new TypeError('at least one SMS sender is required');
  const logger = options.logger.child({ component: 'sms-failover' });
  return {
    async send(mobile, code) {
      let lastFailure: unknown;
      for (const [index, sender] of senders.entries()) {
        try {
          return await sender.send(mobile, code);
        } catch (error) {
          if (!(error instanceof SmsSendError) || error.kind === 'invalid_number') throw error;
          lastFailure = error;
          const event = { from: sender.name, to: senders[index + 1]?.name, kind: error.kind };
          options.onFailover?.(event);
          logger.warn(event, event.to ? 'SMS sender failed; trying the next' : 'no SMS sender could send');
        }
      }
      throw lastFailure;
    },
  };
}
