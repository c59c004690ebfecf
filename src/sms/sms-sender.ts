import type { Mobile } from '../validation/mobile.js';

/**
 * Sends the one-time sign-in code by SMS. Implementations: console (development), the vendors in
 * vendors/ (Kavenegar, SMS.ir, Ghasedak, Melipayamak) and the failover over several of them.
 */
export interface SmsSender {
  /**
   * @param code the one-time code, digits only
   * @throws SmsSendError when the gateway refuses or cannot be reached
   */
  send(mobile: Mobile, code: string): Promise<void>;
}

export type SmsFailureReason = 'rejected' | 'unreachable' | 'timeout';

/**
 * Why, in more detail, for failover and metrics. Only `invalid_number` is about the person's
 * number (another vendor would refuse it too); every other kind is the gateway's or ours.
 */
export type SmsFailureKind =
  | 'invalid_number'
  | 'auth'
  | 'credit'
  | 'rate_limited'
  | 'template'
  | 'gateway'
  | 'malformed'
  | 'timeout'
  | 'unreachable'
  | 'circuit_open';

const REASON_OF_KIND: Record<SmsFailureKind, SmsFailureReason> = {
  invalid_number: 'rejected',
  auth: 'rejected',
  credit: 'rejected',
  rate_limited: 'rejected',
  template: 'rejected',
  gateway: 'rejected',
  malformed: 'rejected',
  timeout: 'timeout',
  unreachable: 'unreachable',
  circuit_open: 'unreachable',
};

/**
 * The code did not go out. Messages never contain the gateway URL (it can hold the API key), the
 * number or the code, so the error is safe to log.
 */
export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  readonly reason: SmsFailureReason;
  /** HTTP status, when the gateway answered. */
  readonly status: number | undefined;
  readonly kind: SmsFailureKind;

  constructor(
    message: string,
    options: { reason?: SmsFailureReason; kind?: SmsFailureKind; status?: number },
  ) {
    super(message);
    this.kind =
      options.kind ??
      (options.reason === 'timeout'
        ? 'timeout'
        : options.reason === 'unreachable'
          ? 'unreachable'
          : 'gateway');
    this.reason = options.reason ?? REASON_OF_KIND[this.kind];
    this.status = options.status;
  }
}
