import type { Mobile } from '../validation/mobile.js';

/** Sends the one-time sign-in code by SMS. Implementations: console (development), Kavenegar. */
export interface SmsSender {
  /**
   * @param code the one-time code, digits only
   * @throws SmsSendError when the gateway refuses or cannot be reached
   */
  send(mobile: Mobile, code: string): Promise<void>;
}

export type SmsFailureReason = 'rejected' | 'unreachable' | 'timeout';

/**
 * The code did not go out. Messages never contain the gateway URL (it can hold the API key), the
 * number or the code, so the error is safe to log.
 */
export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  readonly reason: SmsFailureReason;
  /** HTTP status, when the gateway answered. */
  readonly status: number | undefined;

  constructor(message: string, options: { reason: SmsFailureReason; status?: number }) {
    super(message);
    this.reason = options.reason;
    this.status = options.status;
  }
}
