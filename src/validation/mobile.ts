import { normalizeDigitString } from './digits.js';

// Generous for `+98 912 123 4567` with spaces and marks, yet short enough that a pasted novel is
// rejected before any regular expression runs on it.
const MAX_INPUT_LENGTH = 40;

// Iranian mobile numbers are 9 followed by nine digits, written with one of the prefixes people
// use: `0` (national), `+98` / `0098` / `98` (international) or none at all. Not persian-tools'
// isPhoneNumberValid: it accepts only the 09xx prefixes in its operator list (it refuses e.g.
// 0934 and 0906–0909), so a number from a range it does not know would be turned away here; the
// operator's ownership check, not a prefix list, decides whose number it is.
const AS_TYPED = /^(?:\+98|0098|98|0)?(9\d{9})$/;
// The form Darvaze stores (journey state, account records) and puts in the `phone_number` claim.
const E164 = /^\+98(9\d{9})$/;

/**
 * An Iranian mobile number, parsed once where it comes in (the mobile form, a `login_hint`, a
 * stored record) and passed along as it is: each layer reads the form it needs instead of
 * parsing a string again. Immutable; printed or serialised it shows only its last four digits,
 * so one that slips into a log line or a JSON body gives nothing away. Stores get `.e164`,
 * explicitly.
 */
export class Mobile {
  /** `9xxxxxxxxx`: the number without any prefix. */
  readonly #subscriber: string;

  private constructor(subscriber: string) {
    this.#subscriber = subscriber;
    Object.freeze(this);
  }

  /**
   * A number as typed: `09…`, `9…`, `+989…`, `00989…` or `989…`, in ASCII, Persian or Arabic
   * digits, with spaces, dashes and invisible marks. Undefined for anything that is not an
   * Iranian mobile number (landlines, foreign numbers, letters, too long).
   */
  static parse(input: unknown): Mobile | undefined {
    if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return undefined;
    const subscriber = AS_TYPED.exec(normalizeDigitString(input))?.[1];
    return subscriber ? new Mobile(subscriber) : undefined;
  }

  /** A number Darvaze stored itself, exactly `+989…`; undefined for anything else. */
  static fromE164(stored: unknown): Mobile | undefined {
    const subscriber = typeof stored === 'string' ? E164.exec(stored)?.[1] : undefined;
    return subscriber ? new Mobile(subscriber) : undefined;
  }

  /** `+989xxxxxxxxx`: the stored form and the `phone_number` claim. */
  get e164(): string {
    return `+98${this.#subscriber}`;
  }

  /** `09xxxxxxxxx`: the form the identity service and the SMS gateway expect. */
  get national(): string {
    return `0${this.#subscriber}`;
  }

  /** `…4567`: enough to tell numbers apart in logs and on the code page, not to narrow one down. */
  get masked(): string {
    return `…${this.#subscriber.slice(-4)}`;
  }

  equals(other: Mobile): boolean {
    return other.#subscriber === this.#subscriber;
  }

  toString(): string {
    return this.masked;
  }

  toJSON(): string {
    return this.masked;
  }
}
