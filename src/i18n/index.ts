/**
 * Localisation: Persian (default, right-to-left) and English. Catalog keys double as error codes
 * (routes put `{ key, params }` in their view models, templates translate them).
 */
import { en } from './en.js';
import { fa, type MessageKey } from './fa.js';

export type { MessageKey };
export type Locale = 'fa' | 'en';
export type MessageParams = Record<string, string | number>;

export const LOCALES: readonly Locale[] = ['fa', 'en'];
export const DEFAULT_LOCALE: Locale = 'fa';

const catalogs: Record<Locale, Readonly<Record<string, string>>> = { fa, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'fa' || value === 'en';
}

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** ASCII and Arabic-Indic digits to Persian digits (۰-۹); other characters are kept. */
export function toPersianDigits(text: string | number): string {
  return String(text).replace(/[0-9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return PERSIAN_DIGITS[code >= 0x0660 ? code - 0x0660 : code - 48]!;
  });
}

/** Persian and Arabic-Indic digits to ASCII digits; other characters are kept. */
export function toLatinDigits(text: string | number): string {
  return String(text).replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** The digits of `text` in the locale's script: Persian for fa, ASCII for en. */
export function localizeDigits(locale: Locale, text: string | number): string {
  return locale === 'fa' ? toPersianDigits(text) : toLatinDigits(text);
}

/** `rtl` for Persian, `ltr` for English. */
export function dirOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'fa' ? 'rtl' : 'ltr';
}

// First Strong Isolate … Pop Directional Isolate: what <bdi> does, in plain text. A Persian site
// name inside an English sentence, or a mobile number "0912***4567" inside a Persian one, keeps
// its own direction and does not scramble the words around it.
const FSI = '\u2068';
const PDI = '\u2069';

function lookup(catalog: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return catalog && Object.hasOwn(catalog, key) ? catalog[key] : undefined;
}

/**
 * The message `key` in `locale`; falls back to Persian, then to the key itself. `{name}` is
 * replaced by `params.name`. Numbers are written with the locale's digits; so are the digits of
 * string parameters without Latin letters (a masked mobile, not a brand name like "Shop24").
 * String parameters are wrapped in Unicode directional isolates (U+2068 … U+2069) so that
 * mixed-direction values display in the right order. Unknown placeholders stay as-is.
 */
export function translate(locale: Locale, key: string, params?: MessageParams): string {
  const template = lookup(catalogs[locale], key) ?? lookup(catalogs.fa, key) ?? key;
  if (!params) return template;
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (placeholder, name: string) => {
    if (!Object.hasOwn(params, name)) return placeholder;
    const value = params[name];
    if (typeof value === 'number') return localizeDigits(locale, value);
    const text = String(value);
    // "0912***4567" takes the page's digits; a Latin name such as "Shop24" keeps its own.
    return `${FSI}${/[A-Za-z]/.test(text) ? text : localizeDigits(locale, text)}${PDI}`;
  });
}

/** The first supported locale in a language tag ("fa-IR" → fa, "en_US" → en), or undefined. */
function localeOfTag(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : undefined;
}

/** OIDC `ui_locales`: space-separated language tags in order of preference. */
function localeOfList(list: string | undefined): Locale | undefined {
  if (!list) return undefined;
  for (const tag of list.split(/\s+/)) {
    const locale = localeOfTag(tag);
    if (locale) return locale;
  }
  return undefined;
}

/** HTTP Accept-Language: the supported locale with the highest q (earliest on a tie). */
function localeOfAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of header.slice(0, 1000).split(',')) {
    const [tag, ...parameters] = part.split(';');
    const locale = localeOfTag(tag);
    if (!locale) continue;
    let q = 1;
    for (const parameter of parameters) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(parameter);
      if (match) q = Number(match[1]);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale, q };
  }
  return best?.locale;
}

export interface LocaleSources {
  /** `?lang=` of the request. */
  query?: string;
  /** The `lang` cookie. */
  cookie?: string;
  /** OIDC `ui_locales` of the authorization request. */
  uiLocales?: string;
  /** The Accept-Language header. */
  acceptLanguage?: string;
}

/** The page locale: `?lang=`, then the cookie, then `ui_locales`, then Accept-Language, then fa. */
export function pickLocale(sources: LocaleSources): Locale {
  return (
    localeOfTag(sources.query) ??
    localeOfTag(sources.cookie) ??
    localeOfList(sources.uiLocales) ??
    localeOfAcceptLanguage(sources.acceptLanguage) ??
    DEFAULT_LOCALE
  );
}
