/**
 * SMS.ir verify (`POST /v1/send/verify`, header `X-API-KEY`): the template's `Code` parameter
 * (configurable) carries the code.
 */
import { SmsSendError } from '../../sms-sender.js';
import { fieldOf, numberOf, smsRequest, smsUrl } from '../sms-http.js';
import type { SmsVendor } from '../vendor-sender.js';
import { SMSIR_DEFAULT_URL, smsirFailureKind } from './wire.js';

export interface SmsIrOptions {
  baseUrl?: string;
  apiKey: string;
  templateId: number;
  /** The template variable, without `#`. Default `Code`. */
  codeParameter?: string;
}

const VENDOR = 'smsir';

export function createSmsIrVendor(options: SmsIrOptions): SmsVendor {
  if (!options.apiKey) throw new TypeError('SMS.ir API key is required');
  if (!Number.isInteger(options.templateId)) throw new TypeError('SMS.ir template id is required');
  const base = options.baseUrl ?? SMSIR_DEFAULT_URL;
  const headers = { 'x-api-key': options.apiKey };

  function check(status: number, body: unknown, what: string): unknown {
    const code = numberOf(fieldOf(body, 'status'));
    if (status === 200 && code === 1) return fieldOf(body, 'data');
    throw new SmsSendError(`SMS.ir refused ${what} (HTTP ${status}, status ${code ?? 'missing'})`, {
      kind: smsirFailureKind(status, code),
      status,
    });
  }

  return {
    name: VENDOR,
    async send(mobile, code, signal) {
      const { status, body } = await smsRequest(
        'SMS.ir',
        {
          url: smsUrl(base, '/v1/send/verify'),
          method: 'POST',
          headers,
          json: {
            mobile,
            templateId: options.templateId,
            parameters: [{ name: options.codeParameter ?? 'Code', value: code }],
          },
        },
        signal,
      );
      const data = check(status, body, 'the message');
      const messageId = numberOf(fieldOf(data, 'messageId'));
      const cost = numberOf(fieldOf(data, 'cost'));
      return {
        ...(messageId === undefined ? {} : { messageId: String(messageId) }),
        ...(cost === undefined ? {} : { cost }),
      };
    },
    /** `GET /v1/credit`: free, sends nothing. */
    async checkCredentials(signal) {
      const { status, body } = await smsRequest(
        'SMS.ir',
        { url: smsUrl(base, '/v1/credit'), method: 'GET', headers },
        signal,
      );
      const credit = numberOf(check(status, body, 'the key check'));
      return `key accepted${credit === undefined ? '' : `, credit ${credit}`}`;
    },
  };
}
