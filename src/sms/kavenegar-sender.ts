/**
 * Kavenegar "verify lookup" (DESIGN.md §2.4) as a ready SmsSender, for `SMS_PROVIDER=kavenegar`
 * and tests: the vendor (vendors/kavenegar/) under the per-vendor policy (vendors/vendor-sender.ts).
 */
import type { Logger } from 'pino';
import { createKavenegarVendor } from './vendors/kavenegar/sender.js';
import { KAVENEGAR_DEFAULT_URL } from './vendors/kavenegar/wire.js';
import { createVendorSmsSender, type SmsSendEvent, type VendorSmsSender } from './vendors/vendor-sender.js';

export { KAVENEGAR_DEFAULT_URL };

export interface KavenegarSenderOptions {
  /** `KAVENEGAR_URL`. Default `https://api.kavenegar.com`. */
  baseUrl?: string;
  /** `KAVENEGAR_API_KEY`. */
  apiKey: string;
  /** `KAVENEGAR_TEMPLATE`: the verify template registered in the Kavenegar panel. */
  template: string;
  /** Default 5000. */
  timeoutMs?: number;
  logger: Logger;
  onSend?: (event: SmsSendEvent) => void;
}

export function createKavenegarSender(options: KavenegarSenderOptions): VendorSmsSender {
  return createVendorSmsSender({
    vendor: createKavenegarVendor(options),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    logger: options.logger,
    ...(options.onSend ? { onSend: options.onSend } : {}),
  });
}
