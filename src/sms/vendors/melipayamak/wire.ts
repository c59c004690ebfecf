/**
 * Melipayamak console API answers: `{recId, status}`; success is a numeric `recId`, failure an
 * error text in `status` (no published table). The classic REST API's short failure codes
 * (0–12) are below 1000, so a `recId` under it is never read as success.
 */
import type { SmsFailureKind } from '../../sms-sender.js';

export const MELIPAYAMAK_DEFAULT_URL = 'https://console.melipayamak.com';
export const MIN_REC_ID = 1000;

export function melipayamakFailureKind(httpStatus: number, parsed: boolean): SmsFailureKind {
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  if (httpStatus === 429) return 'rate_limited';
  if (!parsed) return httpStatus >= 500 ? 'gateway' : 'malformed';
  return 'gateway';
}
