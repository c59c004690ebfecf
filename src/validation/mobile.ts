import { normalizeDigitString } from './digits.js';

/** An Iranian mobile number in the two forms the system needs. */
export interface NormalizedMobile {
  /** `+989xxxxxxxxx`: the stored form and the `phone_number` claim. */
  e164: string;
  /** `09xxxxxxxxx`: the form the identity service and the SMS gateway expect. */
  national: string;
}

// Generous for `+98 912 123 4567` with spaces and marks, yet short enough that a pasted novel is
// rejected before any regular expression runs on it.
const MAX_INPUT_LENGTH = 40;

// Iranian mobile numbers are 9 followed by nine digits, written with one of the prefixes people
// use: `0` (national), `+98` / `0098` / `98` (international) or none at all. Not persian-tools'
// isPhoneNumberValid: it accepts only the 09xx prefixes in its operator list (it refuses e.g.
// 0934 and 0906–0909), so a number from a range it does not know would be turned away here; the
// operator's ownership check, not a prefix list, decides whose number it is.
const IRANIAN_MOBILE = /^(?:\+98|0098|98|0)?(9\d{9})$/;

/**
 * Parses a mobile number as typed into the form. Returns null for anything that is not an
 * Iranian mobile number (landlines, foreign numbers, letters, too long).
 */
export function normalizeMobile(input: string): NormalizedMobile | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const match = IRANIAN_MOBILE.exec(normalizeDigitString(input));
  const subscriber = match?.[1];
  if (!subscriber) return null;
  return { e164: `+98${subscriber}`, national: `0${subscriber}` };
}

/** Shows only the last digits of a mobile number, for logs and "we sent a code to …" pages. */
export function maskMobile(e164OrNational: string): string {
  return `…${e164OrNational.slice(-4)}`;
}
