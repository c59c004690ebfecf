import type { ClientView } from '../admin/client-registry.js';
import { type Locale, localizeDigits } from '../i18n/index.js';
import { shortId } from './audit-view.js';

/** How the console names, finds and dates sites and their changes (pure: no HTTP, no store). */

export function siteName(site: ClientView, locale: Locale): string {
  const localized = site[`client_name#${locale}`];
  if (typeof localized === 'string' && localized) return localized;
  return typeof site.client_name === 'string' && site.client_name ? site.client_name : site.client_id;
}

export function hostsOf(site: ClientView): string[] {
  const uris = Array.isArray(site.redirect_uris) ? site.redirect_uris : [];
  const hosts = uris.flatMap((uri) => {
    try {
      return [new URL(String(uri)).host];
    } catch {
      return [];
    }
  });
  return [...new Set(hosts)];
}

/** Search: the client id, any of its names, or a redirect URI's host, case-insensitively. */
export function matches(site: ClientView, query: string): boolean {
  if (!query) return true;
  const needle = query.toLowerCase();
  const haystack = [
    site.client_id,
    site.client_name,
    site['client_name#fa'],
    site['client_name#en'],
    ...hostsOf(site),
  ].filter((value): value is string => typeof value === 'string');
  return haystack.some((value) => value.toLowerCase().includes(needle));
}

/** `console:<sub>` shows the sub short; `admin:<8 hex>`, `cli`, `reg` as they are. */
export function whoLabel(who: string): string {
  return who.startsWith('console:') ? `console:${shortId(who.slice('console:'.length))}` : who;
}

/** A time in the page's language: the Persian calendar for fa, with the locale's digits. */
export function formatTime(locale: Locale, at: number | string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '—';
  const text = new Intl.DateTimeFormat(locale === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tehran',
  }).format(date);
  return localizeDigits(locale, text);
}
