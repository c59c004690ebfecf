import type { Person } from '../identity-service.js';
import { genderFromVendor, jalaliFromVendor } from './formats.js';
import { fieldOf } from './vendor-http.js';

/**
 * A vendor's person record → a Person, or undefined when a field we need is missing or unclear
 * (never a guess: an incomplete answer is "ambiguous" upstream, and the next vendor is asked).
 * The vendors agree on the name and gender fields; they differ on how they say alive or dead,
 * so each passes its own reading of that, and whether it echoes the birth date.
 */
export function vendorPerson(
  record: unknown,
  options: { alive: boolean | undefined; askedBirthDate: string; echoesBirthDate: boolean },
): Person | undefined {
  const text = (key: string) => {
    const value = fieldOf(record, key);
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const firstName = text('firstName');
  const lastName = text('lastName');
  const gender = genderFromVendor(fieldOf(record, 'gender'));
  if (!firstName || !lastName || !gender || options.alive === undefined) return undefined;
  const echoed = options.echoesBirthDate ? jalaliFromVendor(fieldOf(record, 'birthDate')) : undefined;
  return {
    firstName,
    lastName,
    fatherName: text('fatherName') ?? '',
    gender,
    birthDate: echoed ?? options.askedBirthDate,
    alive: options.alive,
  };
}
