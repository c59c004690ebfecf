import type { SmsSendPolicy, SmsSendRefusalReason } from '../limits/sms-send-policy.js';
import { SmsSendError, type SmsSender } from '../sms/sms-sender.js';
import type { Mobile } from '../validation/mobile.js';
import type { OneTimeCodes } from './one-time-codes.js';

export type DeliveryResult =
  | { sent: true }
  | { sent: false; reason: SmsSendRefusalReason | 'locked'; retryAfterSeconds: number }
  | { sent: false; reason: 'gateway'; retryAfterSeconds: 0 };

export interface CodeDelivery {
  /** Checks every send limit, makes a new code and sends it by SMS. */
  send(request: { bindingId: string; mobile: Mobile; address: string }): Promise<DeliveryResult>;
}

export interface CodeDeliveryDeps {
  policy: SmsSendPolicy;
  codes: OneTimeCodes;
  sms: SmsSender;
  /** Told of every outcome, for metrics and the audit trail; never given the code. */
  onOutcome?: (outcome: 'sent' | 'refused' | 'failed') => void;
}

/**
 * One place for "limits → code → SMS": a refused send counts nothing; a gateway failure gives
 * the reservation back, so the user is not charged a send (or a cooldown) for our failure.
 */
export function createCodeDelivery(deps: CodeDeliveryDeps): CodeDelivery {
  return {
    async send(request) {
      // A locked mobile cannot use a code anyway: sending one would only cost an SMS. The lock
      // is per mobile and applies alike to registered and unknown numbers.
      const locked = await deps.codes.lockStatus(request.mobile);
      if (locked > 0) {
        deps.onOutcome?.('refused');
        return { sent: false, reason: 'locked', retryAfterSeconds: locked };
      }
      const decision = await deps.policy.reserve(request);
      if (!decision.allowed) {
        deps.onOutcome?.('refused');
        return { sent: false, reason: decision.reason, retryAfterSeconds: decision.retryAfterSeconds };
      }
      const code = await deps.codes.issue(request.bindingId, request.mobile);
      try {
        await deps.sms.send(request.mobile, code);
      } catch (error) {
        await deps.policy.release(request);
        deps.onOutcome?.('failed');
        if (error instanceof SmsSendError) return { sent: false, reason: 'gateway', retryAfterSeconds: 0 };
        throw error;
      }
      deps.onOutcome?.('sent');
      return { sent: true };
    },
  };
}
