/**
 * Melipayamak shared service line (`POST /api/send/shared/{consoleKey}`, JSON `{bodyId, to,
 * args}`): the approved pattern's first argument carries the code. The key is in the URL path,
 * so the URL never reaches a log line or an error.
 */
import { SmsSendError } from '../../sms-sender.js';
import { fieldOf, numberOf, smsRequest, smsUrl } from '../sms-http.js';
import type { SmsVendor } from '../vendor-sender.js';
import { MELIPAYAMAK_DEFAULT_URL, MIN_REC_ID, melipayamakFailureKind } from './wire.js';

export interface MelipayamakOptions {
  baseUrl?: string;
  /** The console API key. */
  apiKey: string;
  /** The approved pattern (body) id. */
  bodyId: number;
}

const VENDOR = 'melipayamak';

export function createMelipayamakVendor(options: MelipayamakOptions): SmsVendor {
  if (!options.apiKey) throw new TypeError('Melipayamak API key is required');
  if (!Number.isInteger(options.bodyId)) throw new TypeError('Melipayamak body id is required');
  const base = options.baseUrl ?? MELIPAYAMAK_DEFAULT_URL;
  const key = encodeURIComponent(options.apiKey);

  return {
    name: VENDOR,
    async send(mobile, code, signal) {
      const { status, body } = await smsRequest(
        'Melipayamak',
        {
          url: smsUrl(base, `/api/send/shared/${key}`),
          method: 'POST',
          json: { bodyId: options.bodyId, to: mobile, args: [code] },
        },
        signal,
      );
      const recId = numberOf(fieldOf(body, 'recId'));
      if (status === 200 && recId !== undefined && recId >= MIN_REC_ID) return { messageId: String(recId) };
      throw new SmsSendError(
        `Melipayamak refused the message (HTTP ${status}, recId ${recId ?? 'missing'})`,
        {
          kind: melipayamakFailureKind(status, body !== undefined),
          status,
        },
      );
    },
    /** `POST /api/receive/credit/{key}`: free, sends nothing (low confidence: see docs/operations.md). */
    async checkCredentials(signal) {
      const { status, body } = await smsRequest(
        'Melipayamak',
        { url: smsUrl(base, `/api/receive/credit/${key}`), method: 'POST', json: {} },
        signal,
      );
      const amount = numberOf(fieldOf(body, 'amount'));
      if (status === 200 && amount !== undefined) return `key accepted, credit ${amount}`;
      throw new SmsSendError(`Melipayamak refused the key check (HTTP ${status})`, {
        kind: melipayamakFailureKind(status, body !== undefined),
        status,
      });
    },
  };
}
