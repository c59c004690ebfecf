/**
 * SMS.ir v1 answers: `{status, message, data}`, `status == 1` the only success (business errors
 * can come with HTTP 200). The status table is from three independent client maps.
 */
import type { SmsFailureKind } from '../../sms-sender.js';

export const SMSIR_DEFAULT_URL = 'https://api.sms.ir';

const KINDS: Record<number, SmsFailureKind> = {
  0: 'gateway',
  10: 'auth', // invalid API key
  11: 'auth', // key disabled
  12: 'auth', // key IP-restricted
  13: 'auth', // account disabled
  14: 'auth', // account suspended
  15: 'auth', // plan upgrade needed
  20: 'rate_limited',
  101: 'auth', // invalid line
  102: 'credit',
  104: 'invalid_number',
  113: 'template', // template not found
  114: 'template', // parameter value longer than 25 characters
  115: 'invalid_number', // number blacklisted
  116: 'template', // parameter name not set
  119: 'template',
  123: 'auth', // sender line needs activation
};

export function smsirFailureKind(httpStatus: number, status: number | undefined): SmsFailureKind {
  if (status !== undefined && KINDS[status]) return KINDS[status];
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  if (httpStatus === 429) return 'rate_limited';
  if (status === undefined) return httpStatus >= 500 ? 'gateway' : 'malformed';
  return 'gateway';
}
