/** Iranian mobile numbers in the forms the SMS senders need. Input: E.164 `+989…` or `09…`. */

const IRANIAN_MOBILE = /^(?:\+98|0)(9\d{9})$/;

/** `+989121234567` or `09121234567` → `09121234567` (the form Kavenegar's `receptor` takes). */
export function toNationalMobile(mobile: string): string {
  const match = IRANIAN_MOBILE.exec(mobile);
  if (!match) throw new TypeError('not an Iranian mobile number in +989… or 09… form');
  return `0${match[1]}`;
}

/** `+989121234567` → `…4567`: enough to tell numbers apart in logs, not to narrow one down. */
export function maskMobile(mobile: string): string {
  const match = IRANIAN_MOBILE.exec(mobile);
  if (!match) return '***';
  const national = `0${match[1]}`;
  // Only the last four digits: with the prefix too, a log line narrows a number to 1,000.
  return `…${national.slice(-4)}`;
}
