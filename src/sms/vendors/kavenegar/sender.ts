/**
 * Kavenegar "verify lookup" (`POST /v1/{API-KEY}/verify/lookup.json`, form-encoded `receptor`,
 * `template`, `token`): a template message on the fast OTP line. The key is in the URL path, so
 * the URL never reaches a log line or an error.
 */
import { SmsSendError } from '../../sms-sender.js';
import { fieldOf, numberOf, smsRequest, smsUrl } from '../sms-http.js';
import type { SmsVendor } from '../vendor-sender.js';
import { KAVENEGAR_DEFAULT_URL, kavenegarFailureKind } from './wire.js';

export interface KavenegarOptions {
  baseUrl?: string;
  apiKey: string;
  template: string;
}

const VENDOR = 'kavenegar';

export function createKavenegarVendor(options: KavenegarOptions): SmsVendor {
  if (!options.apiKey) throw new TypeError('Kavenegar API key is required');
  if (!options.template) throw new TypeError('Kavenegar template is required');
  const base = options.baseUrl ?? KAVENEGAR_DEFAULT_URL;
  const path = (method: string) => `/v1/${encodeURIComponent(options.apiKey)}/${method}`;

  return {
    name: VENDOR,
    async send(mobile, code, signal) {
      const { status, body } = await smsRequest(
        'Kavenegar',
        {
          url: smsUrl(base, path('verify/lookup.json')),
          method: 'POST',
          form: { receptor: mobile, template: options.template, token: code },
        },
        signal,
      );
      const returnStatus = numberOf(fieldOf(fieldOf(body, 'return'), 'status'));
      if (status !== 200 || returnStatus !== 200) {
        throw new SmsSendError(
          `Kavenegar refused the message (HTTP ${status}, return.status ${returnStatus ?? 'missing'})`,
          {
            kind:
              returnStatus !== undefined
                ? kavenegarFailureKind(returnStatus)
                : status >= 500
                  ? 'gateway'
                  : 'malformed',
            status,
          },
        );
      }
      const entries = fieldOf(body, 'entries');
      const entry = Array.isArray(entries) ? entries[0] : undefined;
      const messageId = numberOf(fieldOf(entry, 'messageid'));
      const cost = numberOf(fieldOf(entry, 'cost'));
      return {
        ...(messageId === undefined ? {} : { messageId: String(messageId) }),
        ...(cost === undefined ? {} : { cost }),
      };
    },
    /** `account/info.json`: free, sends nothing; `return.status` 200 means the key is accepted. */
    async checkCredentials(signal) {
      const { status, body } = await smsRequest(
        'Kavenegar',
        { url: smsUrl(base, path('account/info.json')), method: 'GET' },
        signal,
      );
      const returnStatus = numberOf(fieldOf(fieldOf(body, 'return'), 'status'));
      if (returnStatus !== 200) {
        throw new SmsSendError(
          `Kavenegar refused the key check (HTTP ${status}, return.status ${returnStatus ?? 'missing'})`,
          {
            kind: kavenegarFailureKind(returnStatus),
            status,
          },
        );
      }
      const credit = numberOf(fieldOf(fieldOf(body, 'entries'), 'remaincredit'));
      return `key accepted${credit === undefined ? '' : `, credit ${credit}`}`;
    },
  };
}
