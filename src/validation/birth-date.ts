import { isValidJalaaliDate, toGregorian } from 'jalaali-js';
import type { Clock } from '../time/clock.js';
import { stripInvisibleAndSpaces, toAsciiDigits } from './digits.js';

const MAX_INPUT_LENGTH = 40;
const MAX_AGE_YEARS = 130;
// Year, month, day separated by `/`, `-` or `.` (the same one twice); month and day may drop
// their leading zero, as people often type `1370/5/4`. Or eight digits in a row (`13700514`, or
// `1370 05 14` once spaces are gone): a phone's numeric keypad, which the field opens, often has
// no `/`.
const AS_TYPED = /^(\d{4})(?:([/.-])(\d{1,2})\2(\d{1,2})|()(\d{2})(\d{2}))$/;
// The civil registry's form, and the one Darvaze stores.
const STORED = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** A Jalali date with its Gregorian equivalent. */
export interface JalaliDate {
  /** `YYYY/MM/DD`, ASCII digits, zero-padded. */
  readonly jalali: string;
  /** `YYYY-MM-DD`. */
  readonly gregorian: string;
}

/**
 * A birth date in both calendars, parsed once (from the identity form, or from a stored record)
 * and passed along as it is: the registry is asked with `.jalali`, the `birthdate` claim is
 * `.gregorian`, and neither is worked out again from the other. Immutable; printed or
 * serialised it shows nothing of the date, so one that slips into a log line gives nothing away.
 */
export class BirthDate implements JalaliDate {
  readonly #jalali: string;
  readonly #gregorian: string;

  private constructor(date: JalaliDate) {
    this.#jalali = date.jalali;
    this.#gregorian = date.gregorian;
    Object.freeze(this);
  }

  /**
   * A Jalali birth date as typed (`1398/7/1`, `۱۳۹۸/۰۷/۰۱`, `1398-07-01`): Persian, Arabic or
   * ASCII digits. Undefined unless it is a real calendar date (1400/12/30 is not: 1400 is no
   * leap year), not in the future and no more than 130 years back.
   * @param now "today" is taken in Iran's time zone.
   */
  static parse(input: unknown, now: Clock): BirthDate | undefined {
    const date = parseJalaliDate(input);
    if (!date) return undefined;
    const today = todayInIran(now());
    if (date.gregorian > today) return undefined;
    // Same month and day, 130 years back: born on or after it means at most 130 years old.
    const oldestAllowed = `${pad(Number(today.slice(0, 4)) - MAX_AGE_YEARS, 4)}${today.slice(4)}`;
    return date.gregorian < oldestAllowed ? undefined : new BirthDate(date);
  }

  /**
   * A Jalali `YYYY/MM/DD` in ASCII digits, as the registry answers and Darvaze stores it, with
   * none of the birth-date rules: for data already verified.
   */
  static fromJalali(stored: unknown): BirthDate | undefined {
    const match = typeof stored === 'string' ? STORED.exec(stored) : null;
    const date = match && calendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
    return date ? new BirthDate(date) : undefined;
  }

  /** `YYYY/MM/DD`, ASCII digits, zero-padded: what the civil registry expects. */
  get jalali(): string {
    return this.#jalali;
  }

  /** `YYYY-MM-DD`: the OIDC `birthdate` claim. */
  get gregorian(): string {
    return this.#gregorian;
  }

  equals(other: BirthDate): boolean {
    return other.#jalali === this.#jalali;
  }

  toString(): string {
    return '[birth date]';
  }

  toJSON(): string {
    return '[birth date]';
  }
}

/**
 * Any Jalali date as typed, read like a birth date on the identity form but with none of its
 * rules: also for other dates on forms (the demo sales site's ID-card issue date). Null unless
 * it is a calendar date.
 */
export function parseJalaliDate(input: unknown): JalaliDate | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const match = AS_TYPED.exec(toAsciiDigits(stripInvisibleAndSpaces(input)));
  if (!match) return null;
  const [month, day] = match[2] ? [match[3], match[4]] : [match[6], match[7]];
  return calendarDate(Number(match[1]), Number(month), Number(day));
}

/** The date in both calendars, or null if the Jalali calendar has no such day. */
function calendarDate(jy: number, jm: number, jd: number): JalaliDate | null {
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

/** Today's Gregorian date `YYYY-MM-DD` in Iran, where the users are born and live. */
export function todayInIran(epochMs: number): string {
  const parts = Object.fromEntries(IRAN_DATE.formatToParts(epochMs).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
