import { localizeDigits } from '../../src/i18n/index.js';
import type { FormErrors } from '../shared/layout.js';
import { type Locale, t } from '../shared/messages.js';
import { parseJalaliDate, todayInIran } from '../shared/persian.js';

/** The education levels a customer picks from (a fixed list, as the sales system has). */
export const EDUCATION_LEVELS = [
  'below-diploma',
  'diploma',
  'associate',
  'bachelor',
  'master',
  'doctorate',
] as const;

export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

/** The education list as select options in `locale`. */
export function educationOptions(locale: Locale): Array<{ value: EducationLevel; label: string }> {
  return EDUCATION_LEVELS.map((value) => ({ value, label: t(locale, `education.${value}`) }));
}

export const ADDRESS_MIN_LENGTH = 10;
export const ADDRESS_MAX_LENGTH = 250;
export const ISSUE_DATE_MAX_LENGTH = 20;

/** What the customer completes on the personal information page (seed step 5). */
export interface PersonalInfo {
  /** ID card (birth certificate) issue date, Jalali `YYYY/MM/DD`. */
  issueDate: string;
  address: string;
  education: EducationLevel;
}

/** The form as typed, shown again when it has errors. */
export interface PersonalInfoValues {
  issue_date: string;
  address: string;
  education: string;
}

export const PERSONAL_INFO_FIELDS = ['issue_date', 'address', 'education'] as const;

export type PersonalInfoResult =
  | { ok: true; value: PersonalInfo }
  | { ok: false; errors: FormErrors; values: PersonalInfoValues };

/**
 * Server-side validation of the personal information form. The issue date must be a real Jalali
 * date after the verified birth date and not in the future (Iran time); the address has length
 * limits; the education is one of the fixed list. Messages (Persian unless `locale` says
 * otherwise) name the field.
 */
export function validatePersonalInfo(
  body: Record<string, unknown>,
  context: { birthDateJalali: string; now: number; locale?: Locale },
): PersonalInfoResult {
  const values: PersonalInfoValues = {
    issue_date: text(body.issue_date).slice(0, 100),
    address: text(body.address).slice(0, ADDRESS_MAX_LENGTH * 4),
    education: text(body.education).slice(0, 50),
  };
  const errors: FormErrors = {};
  const locale = context.locale ?? 'fa';

  let issueDate: string | undefined;
  const typedDate = values.issue_date.trim();
  if (typedDate === '') errors.issue_date = t(locale, 'personal.issueDate.empty');
  else {
    const parsed = parseJalaliDate(typedDate);
    const birth = parseJalaliDate(context.birthDateJalali);
    if (!parsed) {
      errors.issue_date = t(locale, 'personal.issueDate.format');
    } else if (parsed.gregorian > todayInIran(context.now)) {
      errors.issue_date = t(locale, 'personal.issueDate.future');
    } else if (birth && parsed.gregorian <= birth.gregorian) {
      errors.issue_date = t(locale, 'personal.issueDate.beforeBirth');
    } else issueDate = parsed.jalali;
  }

  const address = values.address.replace(/\s+/g, ' ').trim();
  if (address === '') errors.address = t(locale, 'personal.address.empty');
  else if (/\p{Cc}/u.test(address)) errors.address = t(locale, 'personal.address.invalid');
  else if ([...address].length < ADDRESS_MIN_LENGTH) {
    errors.address = t(locale, 'personal.address.short', { min: localizeDigits(locale, ADDRESS_MIN_LENGTH) });
  } else if ([...address].length > ADDRESS_MAX_LENGTH) {
    errors.address = t(locale, 'personal.address.long', { max: localizeDigits(locale, ADDRESS_MAX_LENGTH) });
  }

  const education = EDUCATION_LEVELS.find((level) => level === values.education);
  if (!education) errors.education = t(locale, 'personal.education.missing');

  if (Object.keys(errors).length > 0 || !issueDate || !education) return { ok: false, errors, values };
  return { ok: true, value: { issueDate, address, education } };
}

export function educationLabel(value: string, locale: Locale): string {
  const level = EDUCATION_LEVELS.find((candidate) => candidate === value);
  return level ? t(locale, `education.${level}`) : value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
