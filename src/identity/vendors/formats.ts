/**
 * The formats vendors want, converted from the ones the identity-service interface uses (national
 * code: 10 ASCII digits; mobile: `09…`; birth date: Jalali `YYYY/MM/DD`). One small function per
 * conversion, so that when the interface takes value types (Mobile, NationalCode, BirthDate) only
 * these change.
 */

/** `1370/05/14` → `13700514` (Jibit). */
export function jalaliCompact(birthDate: string): string {
  return birthDate.replaceAll('/', '');
}

/** `1370/05/14` stays `1370/05/14` (Finnotech, Zibal): checked, so a wrong caller fails loudly. */
export function jalaliSlashed(birthDate: string): string {
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(birthDate)) throw new TypeError('birth date must be Jalali YYYY/MM/DD');
  return birthDate;
}

/**
 * A date as a vendor echoes it back, in any of the forms seen (`13700514`, `1370/5/14`,
 * `1370-05-14`), → `1370/05/14`; undefined when it is none of them.
 */
export function jalaliFromVendor(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const digits = toAsciiDigits(value.trim());
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(digits);
  const separated = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(digits);
  const parts = compact ?? separated;
  if (!parts) return undefined;
  return `${parts[1]}/${parts[2]?.padStart(2, '0')}/${parts[3]?.padStart(2, '0')}`;
}

/** `09121234567` → `09121234567`: what every vendor's public clients send. */
export function mobile09(mobile: string): string {
  if (!/^09\d{9}$/.test(mobile)) throw new TypeError('mobile must be 09 and 9 more ASCII digits');
  return mobile;
}

/** `09121234567` → `989121234567`, for a vendor that turns out to want the international form. */
export function mobile98(mobile: string): string {
  return `98${mobile09(mobile).slice(1)}`;
}

/** `0012345678` stays as is: every vendor takes 10 ASCII digits, leading zeros kept. */
export function nationalCode10(nationalCode: string): string {
  if (!/^\d{10}$/.test(nationalCode)) throw new TypeError('national code must be 10 ASCII digits');
  return nationalCode;
}

/** Persian and Arabic-Indic digits → ASCII, for vendor echoes that come back localized. */
export function toAsciiDigits(value: string): string {
  return value.replace(/[۰-۹٠-٩]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/**
 * A gender as vendors write it (`MALE`, `male`, `مرد`, `1`; `FEMALE`, `زن`, `2`) → ours;
 * undefined for anything else (`UNKNOWN`, missing), which the caller treats as an incomplete answer.
 */
export function genderFromVendor(value: unknown): 'male' | 'female' | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const normalized = toAsciiDigits(text).toLowerCase();
  if (['male', 'm', 'مرد', '1'].includes(normalized)) return 'male';
  if (['female', 'f', 'زن', '2'].includes(normalized)) return 'female';
  return undefined;
}
