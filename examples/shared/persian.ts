import { Mobile } from '../../src/validation/mobile.js';

// The same digit and Jalali date rules as the provider's own forms.
export { parseJalaliDate, todayInIran } from '../../src/validation/birth-date.js';

/** `+989121234567` (E.164, as the provider sends it) to the national form `09121234567`. */
export function nationalMobile(e164: unknown): string {
  if (typeof e164 !== 'string') return '';
  return Mobile.fromE164(e164)?.national ?? e164;
}
