import { isValidJalaaliDate, toGregorian } from 'jalaali-js';
import { stripInvisibleAndSpaces, toAsciiDigits } from './digits.js';

export interface BirthDate {
  /** `YYYY/MM/DD`, ASCII digits, zero-padded: what the civil registry expects. */
  jalali: string;
  /** `YYYY-MM-DD`: the OIDC `birthdate` claim. */
  gregorian: string;
}

const MAX_INPUT_LENGTH = 40;
const MAX_AGE_YEARS = 130;
// Year, month, day separated by `/` or `-` (the same one twice); month and day may drop their
// leading zero, as people often type `1370/5/4`.
const JALALI_DATE = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;

/**
 * Parses a Jalali date as typed (`1398/7/1`, `۱۳۹۸/۰۷/۰۱`, `1398-07-01`): Persian, Arabic or
 * ASCII digits. Null unless it is a real calendar date (e.g. 1400/12/30 is not: 1400 is no
 * leap year).
 */
export function parseJalaliDate(input: string): BirthDate | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const match = JALALI_DATE.exec(toAsciiDigits(stripInvisibleAndSpaces(input)));
  if (!match) return null;
  const [jy, jm, jd] = [Number(match[1]), Number(match[3]), Number(match[4])];
  if (!isValidJalaaliDate(jy, jm, jd)) return null;
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  return {
    jalali: `${pad(jy, 4)}/${pad(jm, 2)}/${pad(jd, 2)}`,
    gregorian: `${pad(gy, 4)}-${pad(gm, 2)}-${pad(gd, 2)}`,
  };
}

/**
 * Parses a Jalali birth date as typed (see parseJalaliDate). Null also when it lies in the
 * future or would make the person older than 130.
 * @param now clock in epoch milliseconds; "today" is taken in Iran's time zone.
 */
export function parseJalaliBirthDate(input: string, now: () => number = Date.now): BirthDate | null {
  const date = parseJalaliDate(input);
  if (!date) return null;
  const today = todayInIran(now());
  if (date.gregorian > today) return null;
  // Same month and day, 130 years back: born on or after it means at most 130 years old.
  const oldestAllowed = `${pad(Number(today.slice(0, 4)) - MAX_AGE_YEARS, 4)}${today.slice(4)}`;
  if (date.gregorian < oldestAllowed) return null;
  return date;
}

/**
 * Converts a stored Jalali `YYYY/MM/DD` (ASCII, as the registry gives it) to Gregorian
 * `YYYY-MM-DD`, with none of the birth-date rules: for claims made from data already verified.
 */
export function jalaliToGregorian(jalali: string): string | null {
  const match = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(jalali);
  if (!match) return null;
  const [jy, jm, jd] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isValidJalaaliDate(jy, jm, jd)) return null;
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  return `${pad(gy, 4)}-${pad(gm, 2)}-${pad(gd, 2)}`;
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

/** Today's Gregorian date `YYYY-MM-DD` in Iran, where the users are born and live. */
export function todayInIran(epochMs: number): string {
  const parts = Object.fromEntries(IRAN_DATE.formatToParts(epochMs).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
