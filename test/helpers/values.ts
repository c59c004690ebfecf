/** Value types from literals, for tests: a literal that does not parse is a mistake in the test. */
import { BirthDate } from '../../src/validation/birth-date.js';
import { Mobile } from '../../src/validation/mobile.js';
import { NationalCode } from '../../src/validation/national-code.js';

export function mobile(text: string): Mobile {
  const parsed = Mobile.parse(text);
  if (!parsed) throw new TypeError(`not a mobile number: ${text}`);
  return parsed;
}

export function nationalCode(text: string): NationalCode {
  const parsed = NationalCode.parse(text);
  if (!parsed) throw new TypeError(`not a national code: ${text}`);
  return parsed;
}

/** A stored-form Jalali date `YYYY/MM/DD`. */
export function birthDate(jalali: string): BirthDate {
  const parsed = BirthDate.fromJalali(jalali);
  if (!parsed) throw new TypeError(`not a Jalali date: ${jalali}`);
  return parsed;
}
