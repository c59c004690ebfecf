/**
 * Text clean-up shared by the form-field parsers. Iranian users type with Persian keyboards
 * (digits ۰-۹), some phones produce Arabic-Indic digits (٠-٩), and copy-pasted numbers often
 * carry spaces, dashes or invisible direction marks. We normalise those and nothing else: a
 * letter or any other symbol stays in the text so that the parser rejects it.
 */
import { digitsArToEn, digitsFaToEn } from '@persian-tools/persian-tools';

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; every other character is left as it is. */
export function toAsciiDigits(input: string): string {
  return digitsArToEn(digitsFaToEn(input));
}

// Zero-width and bidirectional control characters (ZWSP, ZWNJ, ZWJ, LRM, RLM, embeddings,
// isolates, Arabic letter mark, BOM) that RTL text fields and copy-paste slip into numbers.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g;
// Any Unicode space (\s covers NBSP and the U+2000 family).
const SPACES = /\s/g;
// Hyphen-minus, the Unicode hyphens and dashes, minus sign, small and full-width hyphen-minus.
const DASHES = /[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;

/** Removes invisible characters and spaces. */
export function stripInvisibleAndSpaces(input: string): string {
  return input.replace(INVISIBLE, '').replace(SPACES, '');
}

/** Removes invisible characters, spaces and dashes: for numbers written in groups. */
export function stripSeparators(input: string): string {
  return stripInvisibleAndSpaces(input).replace(DASHES, '');
}

/** ASCII digits of a code typed by a person, with its separators removed. */
export function normalizeDigitString(input: string): string {
  return toAsciiDigits(stripSeparators(input));
}
