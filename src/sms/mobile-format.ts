/** Iranian mobile numbers in the forms the SMS senders need. Input: E.164 `+989…` or `09…`. */

const IRANIAN_MOBILE = /^(?:\+98|0)(9\d{9})$/;

/** `+989121234567` or `09121234567` → `09121234567` (the form Kavenegar's `receptor` takes). */
export function toNationalMobile(mobile: string): string {
  const match = IRANIAN_MOBILE.exec(mobile);
  if (!match) throw new TypeError('not an Iranian mobile number in +989… or 09… form');
  return `0${match[1]}`;
}

/** `+989121234567` → `0912***4567`: enough to tell numbers apart in logs, not enough to call. */
export function maskMobile(mobile: string): string {
  const match = IRANIAN_MOBILE.exec(mobile);
  if (!match) return '***';
  const national = `0${match[1]}`;
  return `${national.slice(0, 4)}***${national.slice(-4)}`;
}
