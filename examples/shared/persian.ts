import { isValidJalaaliDate, toGregorian } from 'jalaali-js';

/** Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII; everything else unchanged. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** ASCII digits to Persian ones, for display on Persian pages. */
export function toPersianDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)));
}

export interface JalaliDate {
  /** `YYYY/MM/DD`, ASCII digits, zero-padded. */
  jalali: string;
  /** `YYYY-MM-DD`: compares as a string. */
  gregorian: string;
}

const JALALI = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;

/**
 * A Jalali date as typed (`1398/7/1`, `۱۳۹۸/۰۷/۰۱`, `1398-07-01`); null unless it is a real
 * calendar date.
 */
export function parseJalaliDate(input: string): JalaliDate | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const match = JALALI.exec(toAsciiDigits(input.replace(/[\s\u200c-\u200f\u202a-\u202e]/g, '')));
  if (!match) return null;
  const [jy, jm, jd] = [Number(match[1]), Number(match[3]), Number(match[4])];
  if (!isValidJalaaliDate(jy, jm, jd)) return null;
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  return {
    jalali: `${pad(jy, 4)}/${pad(jm, 2)}/${pad(jd, 2)}`,
    gregorian: `${pad(gy, 4)}-${pad(gm, 2)}-${pad(gd, 2)}`,
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

const IRAN_DATE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tehran',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's Gregorian date `YYYY-MM-DD` in Iran. */
export function todayInIran(epochMs: number): string {
  const parts = Object.fromEntries(IRAN_DATE.formatToParts(epochMs).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `+989121234567` (E.164, as the provider sends it) to the national form `09121234567`. */
export function nationalMobile(e164: unknown): string {
  if (typeof e164 !== 'string') return '';
  return e164.startsWith('+98') ? `0${e164.slice(3)}` : e164;
}
