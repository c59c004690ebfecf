/**
 * An SMS vendor as an SmsSender: its template/verify API (the fast OTP lines) under the same
 * cockatiel upstream policy as the identity vendors, one breaker per vendor, but never retried:
 * a send is not idempotent, and a retried timeout could send the code twice. The failover sender
 * asks the next vendor instead. Logs carry the vendor, the masked number, the outcome and the
 * vendor's message id, never the code or the key.
 */
import { isBrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import { policyFor, type VendorHandle } from '../../identity/upstream-policy.js';
import { SmsSendError, type SmsSender } from '../sms-sender.js';

export interface SmsReceipt {
  messageId?: string;
  /** As the vendor reports it, in its unit. */
  cost?: number;
}

export interface SmsVendor {
  readonly name: string;
  /** @param mobile `09…` */
  send(mobile: string, code: string, signal: AbortSignal): Promise<SmsReceipt>;
  /** Deploy-time check: the vendor accepts our credentials, without sending anything. */
  checkCredentials(signal: AbortSignal): Promise<string>;
}

export interface SmsSendEvent {
  vendor: string;
  outcome: 'sent' | 'failed' | 'rejected';
  cause?: string;
  ms: number;
  cost?: number;
}

export interface VendorSmsSender extends SmsSender, VendorHandle {}

export interface VendorSmsSenderOptions {
  vendor: SmsVendor;
  /** Default 5000. */
  timeoutMs?: number;
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  logger: Logger;
  onSend?: (event: SmsSendEvent) => void;
}

const isGatewayFailure = (error: unknown) => error instanceof SmsSendError && error.kind !== 'invalid_number';

export function createVendorSmsSender(options: VendorSmsSenderOptions): VendorSmsSender {
  const { vendor } = options;
  const logger = options.logger.child({ component: 'sms-vendor', vendor: vendor.name });
  // A send is never retried: a code that went out late would reach the person twice.
  const policy = policyFor(
    { timeoutMs: options.timeoutMs ?? 5000, retries: 0, breaker: options.breaker },
    {
      isFailure: isGatewayFailure,
      isTransient: () => false,
      onStateChange: (from, to) => logger.warn({ from, to }, 'SMS vendor circuit breaker changed state'),
    },
  );

  return {
    name: vendor.name,
    breaker: policy,
    checkCredentials: (signal) => vendor.checkCredentials(signal),
    async send(mobile, code) {
      // Vendors take the national 09… form (each converts further if it must); logs get …NNNN.
      const receptor = mobile.national;
      const to = mobile.masked;
      const started = performance.now();
      const ms = () => performance.now() - started;
      try {
        const receipt = await policy.execute((signal) => vendor.send(receptor, code, signal));
        const cost = receipt.cost;
        options.onSend?.({
          vendor: vendor.name,
          outcome: 'sent',
          ms: ms(),
          ...(cost === undefined ? {} : { cost }),
        });
        logger.info({ to, messageId: receipt.messageId, cost, ms: Math.round(ms()) }, 'SMS code sent');
      } catch (caught) {
        const error = isBrokenCircuitError(caught)
          ? new SmsSendError(`${vendor.name}: circuit open`, { kind: 'circuit_open' })
          : caught;
        if (!(error instanceof SmsSendError)) throw error;
        const outcome = error.kind === 'invalid_number' ? 'rejected' : 'failed';
        options.onSend?.({ vendor: vendor.name, outcome, cause: error.kind, ms: ms() });
        logger.warn(
          { to, kind: error.kind, status: error.status, ms: Math.round(ms()) },
          `SMS not sent: ${error.message}`,
        );
        throw error;
      }
    },
  };
}
