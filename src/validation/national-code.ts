import { invalidNationalIdSequences, validateNationalIdChecksum } from '@persian-tools/persian-tools';
import { normalizeDigitString } from './digits.js';

const MAX_INPUT_LENGTH = 40;

/**
 * Parses an Iranian national code (کد ملی) as typed. Returns its 10 ASCII digits, or null.
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
export function normalizeNationalCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const code = normalizeDigitString(input);
  if (!/^\d{10}$/.test(code)) return null;
  // 0000000000 … 9999999999 satisfy the check digit but are never issued.
  if (invalidNationalIdSequences.has(code)) return null;
  // The last digit: the first nine weighted 10 … 2, summed, modulo 11; a remainder under 2 is
  // the check digit itself, otherwise 11 minus it.
  return validateNationalIdChecksum(code) ? code : null;
}
