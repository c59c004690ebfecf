/**
 * Kavenegar's verify-lookup answers: `{return: {status, message}, entries: [...]}`, the HTTP
 * status mirroring `return.status`; the body is read whatever the HTTP status.
 */
import type { SmsFailureKind } from '../../sms-sender.js';

export const KAVENEGAR_DEFAULT_URL = 'https://api.kavenegar.com';

const KINDS: Record<number, SmsFailureKind> = {
  401: 'auth', // account disabled
  403: 'auth', // invalid API key
  407: 'auth', // access denied: IP configuration needed
  416: 'auth', // source IP mismatch
  429: 'auth', // IP restricted
  501: 'auth', // test account: only the owner's number
  409: 'gateway', // server unavailable
  411: 'invalid_number', // invalid receptor
  418: 'credit',
  451: 'rate_limited', // too many calls in the window
  424: 'template', // template not found
  426: 'template', // advanced service required
  431: 'template', // bad code structure
  432: 'template', // code parameter not in the template
};

export function kavenegarFailureKind(returnStatus: number | undefined): SmsFailureKind {
  if (returnStatus === undefined) return 'malformed';
  return KINDS[returnStatus] ?? 'gateway';
}
