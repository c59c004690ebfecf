import { invalidNationalIdSequences, validateNationalIdChecksum } from '@persian-tools/persian-tools';
import { normalizeDigitString } from './digits.js';

const MAX_INPUT_LENGTH = 40;

/**
 * An Iranian national code (کد ملی), parsed once where it comes in and passed along as it is.
 * Immutable; printed or serialised it shows nothing of the code, so one that slips into a log
 * line gives nothing away. Stores and the identity service get `.value`, explicitly.
 *
 * The check digit and the list of never-issued codes come from persian-tools, but not its
 * `verifyIranianNationalId`, whose defaults differ from ours on purpose:
 * - it left-pads 8 and 9 digits with zeros (a leading zero is common in real codes), so
 *   `499370899` would pass for `0499370899`, and a user who dropped a different digit would get
 *   a confusing "no match" from the registry instead of "check the number you typed";
 * - it refuses codes whose first three digits are not in its list of registry offices, and
 *   codes whose digits 4 to 9 are all zero: the civil registry, not a library's copy of its
 *   office list, is the judge of which well-formed codes exist.
 */
export class NationalCode {
  readonly #value: string;

  private constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  /**
   * A code as typed: ten digits (ASCII, Persian or Arabic) with a valid check digit, separators
   * and invisible marks ignored. Short input is rejected, not padded (see above).
   */
  static parse(input: unknown): NationalCode | undefined {
    if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return undefined;
    return NationalCode.fromDigits(normalizeDigitString(input));
  }

  /** A code Darvaze stored itself: exactly ten ASCII digits with a valid check digit. */
  static fromDigits(digits: unknown): NationalCode | undefined {
    if (typeof digits !== 'string' || !/^\d{10}$/.test(digits)) return undefined;
    // 0000000000 … 9999999999 satisfy the check digit but are never issued.
    if (invalidNationalIdSequences.has(digits)) return undefined;
    // The last digit: the first nine weighted 10 … 2, summed, modulo 11; a remainder under 2 is
    // the check digit itself, otherwise 11 minus it.
    return validateNationalIdChecksum(digits) ? new NationalCode(digits) : undefined;
  }

  /** The 10 ASCII digits. */
  get value(): string {
    return this.#value;
  }

  equals(other: NationalCode): boolean {
    return other.#value === this.#value;
  }

  toString(): string {
    return '[national code]';
  }

  toJSON(): string {
    return '[national code]';
  }
}
