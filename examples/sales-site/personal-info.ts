import type { FormErrors } from '../shared/layout.js';
import { parseJalaliDate, todayInIran } from '../shared/persian.js';

/** The education levels a customer picks from (a fixed list, as the sales system has). */
export const EDUCATION_LEVELS = [
  { value: 'below-diploma', label: 'زیر دیپلم' },
  { value: 'diploma', label: 'دیپلم' },
  { value: 'associate', label: 'کاردانی' },
  { value: 'bachelor', label: 'کارشناسی' },
  { value: 'master', label: 'کارشناسی ارشد' },
  { value: 'doctorate', label: 'دکتری' },
] as const;

export type EducationLevel = (typeof EDUCATION_LEVELS)[number]['value'];

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
 * limits; the education is one of the fixed list. Messages are Persian and name the field.
 */
export function validatePersonalInfo(
  body: Record<string, unknown>,
  context: { birthDateJalali: string; now: number },
): PersonalInfoResult {
  const values: PersonalInfoValues = {
    issue_date: text(body.issue_date).slice(0, 100),
    address: text(body.address).slice(0, ADDRESS_MAX_LENGTH * 4),
    education: text(body.education).slice(0, 50),
  };
  const errors: FormErrors = {};

  let issueDate: string | undefined;
  const typedDate = values.issue_date.trim();
  if (typedDate === '') errors.issue_date = 'تاریخ صدور شناسنامه را وارد کنید.';
  else {
    const parsed = parseJalaliDate(typedDate);
    const birth = parseJalaliDate(context.birthDateJalali);
    if (!parsed) {
      errors.issue_date = 'تاریخ صدور را به شکل سال/ماه/روز و به تقویم شمسی وارد کنید؛ مثلاً ۱۳۹۰/۰۶/۱۵.';
    } else if (parsed.gregorian > todayInIran(context.now)) {
      errors.issue_date = 'تاریخ صدور نمی‌تواند در آینده باشد.';
    } else if (birth && parsed.gregorian <= birth.gregorian) {
      errors.issue_date = 'تاریخ صدور باید بعد از تاریخ تولد شما باشد.';
    } else issueDate = parsed.jalali;
  }

  const address = values.address.replace(/\s+/g, ' ').trim();
  if (address === '') errors.address = 'نشانی محل سکونت را وارد کنید.';
  else if (/\p{Cc}/u.test(address)) errors.address = 'نشانی نویسه‌های نامعتبر دارد.';
  else if ([...address].length < ADDRESS_MIN_LENGTH) {
    errors.address = `نشانی کوتاه است؛ دست‌کم ${toFa(ADDRESS_MIN_LENGTH)} نویسه بنویسید (شهر، خیابان، پلاک).`;
  } else if ([...address].length > ADDRESS_MAX_LENGTH) {
    errors.address = `نشانی بلند است؛ حداکثر ${toFa(ADDRESS_MAX_LENGTH)} نویسه بنویسید.`;
  }

  const education = EDUCATION_LEVELS.find((level) => level.value === values.education)?.value;
  if (!education) errors.education = 'میزان تحصیلات را از فهرست انتخاب کنید.';

  if (Object.keys(errors).length > 0 || !issueDate || !education) return { ok: false, errors, values };
  return { ok: true, value: { issueDate, address, education } };
}

export function educationLabel(value: string): string {
  return EDUCATION_LEVELS.find((level) => level.value === value)?.label ?? value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toFa(value: number): string {
  return String(value).replace(/[0-9]/g, (digit) => String.fromCharCode(0x06f0 + Number(digit)));
}
