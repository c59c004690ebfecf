/** ASCII digits to Persian ones, for display on Persian pages. */
export function toPersianDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)));
}

// The same digit and Jalali date rules as the provider's own forms.
export { parseJalaliDate, todayInIran } from '../../src/validation/jalali-date.js';

/** `+989121234567` (E.164, as the provider sends it) to the national form `09121234567`. */
export function nationalMobile(e164: unknown): string {
  if (typeof e164 !== 'string') return '';
  return e164.startsWith('+98') ? `0${e164.slice(3)}` : e164;
}
