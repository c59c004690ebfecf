/**
 * Kavenegar "verify lookup" (DESIGN.md §2.4): a template message with the code as its token.
 * The API key is part of the URL path, so the URL never goes into a log line or an error.
 */
import type { Logger } from 'pino';
import { SmsSendError, type SmsSender } from './sms-sender.js';

export const KAVENEGAR_DEFAULT_BASE_URL = 'https://api.kavenegar.com';

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
}

/** The gateway's own verdict, `return.status`, when the body has one. */
function gatewayStatus(body: string): number | undefined {
  try {
    const status = (JSON.parse(body) as { return?: { status?: unknown } } | null)?.return?.status;
    return typeof status === 'number' ? status : undefined;
  } catch {
    return undefined;
  }
}

export function createKavenegarSender(options: KavenegarSenderOptions): SmsSender {
  if (!options.apiKey) throw new TypeError('Kavenegar API key is required');
  if (!options.template) throw new TypeError('Kavenegar template is required');
  const timeoutMs = options.timeoutMs ?? 5000;
  const logger = options.logger.child({ component: 'sms-kavenegar' });
  const base = (options.baseUrl ?? KAVENEGAR_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const endpoint = `${base}/v1/${encodeURIComponent(options.apiKey)}/verify/lookup.json`;

  /** Logs without the URL, number or code, then gives the caller an error that is safe to log. */
  function fail(message: string, details: { reason: SmsSendError['reason']; status?: number }, to: string) {
    logger.warn({ to, ...details }, `SMS not sent: ${message}`);
    return new SmsSendError(message, details);
  }

  return {
    async send(mobile, code) {
      // Kavenegar's `receptor` takes the national 09… form; logs get only the last four digits.
      const receptor = mobile.national;
      const to = mobile.masked;
      const started = performance.now();
      let status: number;
      let body: string;
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            accept: 'application/json',
          },
          body: new URLSearchParams({ receptor, template: options.template, token: code }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        body = await response.text();
      } catch (error) {
        // The raw error is dropped on purpose: some fetch errors quote the URL, and with it the key.
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw fail('Kavenegar did not answer in time', { reason: 'timeout' }, to);
        }
        const errno = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
        const suffix = typeof errno === 'string' && /^[A-Z_]+$/.test(errno) ? ` (${errno})` : '';
        throw fail(`Kavenegar unreachable${suffix}`, { reason: 'unreachable' }, to);
      }
      const returnStatus = gatewayStatus(body);
      if (status !== 200 || returnStatus !== 200) {
        throw fail(
          `Kavenegar refused the message (HTTP ${status}, return.status ${returnStatus ?? 'missing'})`,
          { reason: 'rejected', status },
          to,
        );
      }
      logger.info({ to, ms: Math.round(performance.now() - started) }, 'SMS code sent');
    },
  };
}
