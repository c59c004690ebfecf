import { normalizeDigitString } from './digits.js';

const MAX_INPUT_LENGTH = 40;

/**
 * Parses an Iranian national code (کد ملی) as typed. Returns its 10 ASCII digits, or null.
 *
 * Short input is rejected, not left-padded with zeros: some libraries pad (a leading zero is
 * common in real codes), but then `499370899` would be accepted for `0499370899` and a user
 * who dropped a different digit would get a confusing "no match" from the registry instead of
 * a "check the number you typed".
 */
export function normalizeNationalCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const code = normalizeDigitString(input);
  if (!/^\d{10}$/.test(code)) return null;
  // 0000000000 … 9999999999 satisfy the check digit but are never issued.
  if (/^(\d)\1{9}$/.test(code)) return null;
  return hasValidCheckDigit(code) ? code : null;
}

/**
 * The national code's last digit: the first nine digits weighted 10 … 2, summed, modulo 11;
 * a remainder under 2 is the check digit itself, otherwise 11 minus it.
 */
function hasValidCheckDigit(code: string): boolean {
  let sum = 0;
  for (let position = 0; position < 9; position++) sum += Number(code[position]) * (10 - position);
  const remainder = sum % 11;
  const expected = remainder < 2 ? remainder : 11 - remainder;
  return Number(code[9]) === expected;
}
