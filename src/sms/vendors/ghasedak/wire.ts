/**
 * Ghasedak's REST gateway answers: `{isSuccess, statusCode, message, data}`, read on every HTTP
 * status. Ghasedak publishes no statusCode table, so only HTTP-level meanings are mapped; any
 * other refusal is a gateway failure (the number itself passed our validation), which lets the
 * next sender try.
 */
import type { SmsFailureKind } from '../../sms-sender.js';

export const GHASEDAK_DEFAULT_URL = 'https://gateway.ghasedak.me';
export const GHASEDAK_PATHS = {
  sendOtp: '/rest/api/v1/WebService/SendOtpSMS',
  templateParameters: '/rest/api/v1/WebService/GetOtpTemplateParameters',
} as const;

export function ghasedakFailureKind(
  httpStatus: number,
  statusCode: number | undefined,
  parsed: boolean,
): SmsFailureKind {
  const status = statusCode ?? httpStatus;
  if (status === 401 || status === 403 || httpStatus === 401 || httpStatus === 403) return 'auth';
  if (status === 429 || httpStatus === 429) return 'rate_limited';
  if (!parsed) return httpStatus >= 500 ? 'gateway' : 'malformed';
  return 'gateway';
}
