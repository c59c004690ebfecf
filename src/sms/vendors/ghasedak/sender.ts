/**
 * Ghasedak OTP template (`POST /rest/api/v1/WebService/SendOtpSMS`, header `ApiKey`): the
 * template's `Code` input (configurable) carries the code; our random `clientReferenceId` lets
 * Ghasedak's panel find the message.
 */
import { randomBytes } from 'node:crypto';
import { SmsSendError } from '../../sms-sender.js';
import { fieldOf, numberOf, smsRequest, smsUrl } from '../sms-http.js';
import type { SmsVendor } from '../vendor-sender.js';
import { GHASEDAK_DEFAULT_URL, GHASEDAK_PATHS, ghasedakFailureKind } from './wire.js';

export interface GhasedakOptions {
  /** `https://gateway.ghasedak.me` (panel docs) or `https://gw.ghasedak.me` (official SDKs). */
  baseUrl?: string;
  apiKey: string;
  template: string;
  /** The template's input name. Default `Code`. */
  codeParameter?: string;
}

const VENDOR = 'ghasedak';

export function createGhasedakVendor(options: GhasedakOptions): SmsVendor {
  if (!options.apiKey) throw new TypeError('Ghasedak API key is required');
  if (!options.template) throw new TypeError('Ghasedak template is required');
  const base = options.baseUrl ?? GHASEDAK_DEFAULT_URL;
  const headers = { apikey: options.apiKey };

  function check(status: number, body: unknown, what: string): unknown {
    const statusCode = numberOf(fieldOf(body, 'statusCode'));
    if (status === 200 && fieldOf(body, 'isSuccess') === true) return fieldOf(body, 'data');
    throw new SmsSendError(
      `Ghasedak refused ${what} (HTTP ${status}, statusCode ${statusCode ?? 'missing'})`,
      {
        kind: ghasedakFailureKind(status, statusCode, body !== undefined),
        status,
      },
    );
  }

  return {
    name: VENDOR,
    async send(mobile, code, signal) {
      const { status, body } = await smsRequest(
        'Ghasedak',
        {
          url: smsUrl(base, GHASEDAK_PATHS.sendOtp),
          method: 'POST',
          headers,
          json: {
            sendDate: null,
            receptors: [{ mobile, clientReferenceId: randomBytes(8).toString('hex') }],
            templateName: options.template,
            inputs: [{ param: options.codeParameter ?? 'Code', value: code }],
            udh: false,
            isVoice: false,
          },
        },
        signal,
      );
      const data = check(status, body, 'the message');
      const items = fieldOf(data, 'items');
      const messageId = numberOf(fieldOf(Array.isArray(items) ? items[0] : undefined, 'messageId'));
      // The panel docs call the total `totalCost`, the SDK `cost`.
      const cost = numberOf(fieldOf(data, 'totalCost')) ?? numberOf(fieldOf(data, 'cost'));
      return {
        ...(messageId === undefined ? {} : { messageId: String(messageId) }),
        ...(cost === undefined ? {} : { cost }),
      };
    },
    /** The template's parameters: free, sends nothing, and proves the template exists too. */
    async checkCredentials(signal) {
      const { status, body } = await smsRequest(
        'Ghasedak',
        {
          url: smsUrl(base, GHASEDAK_PATHS.templateParameters, { TemplateName: options.template }),
          method: 'GET',
          headers,
        },
        signal,
      );
      check(status, body, 'the key and template check');
      return 'key and template accepted';
    },
  };
}
