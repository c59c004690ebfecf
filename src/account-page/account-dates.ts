import type { Locale } from '../i18n/index.js';

/**
 * Dates on the person's page as people in Iran read them: the Solar Hijri calendar in Persian,
 * the Gregorian one in English, both in Tehran's time.
 */
export function formatInstant(epochSeconds: number | undefined, locale: Locale): string | undefined {
  if (epochSeconds === undefined || !Number.isFinite(epochSeconds)) return undefined;
  const format = new Intl.DateTimeFormat(locale === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB', {
    timeZone: 'Asia/Tehran',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return format.format(new Date(epochSeconds * 1000));
}

/** An ISO instant (an audit entry's `at`) in the same form. */
export function formatIso(iso: string | undefined, locale: Locale): string | undefined {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? formatInstant(Math.floor(ms / 1000), locale) : undefined;
}
