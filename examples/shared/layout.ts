import { dirOf } from '../../src/i18n/index.js';
import { html, type SafeHtml } from './html.js';
import { type Locale, t } from './messages.js';

/** How a demo site looks and names itself. */
export interface SiteLook {
  /** The site name in each language, in the header and the page title. */
  name: Record<Locale, string>;
  /** CSS theme (accent colour). */
  theme: 'sales' | 'service';
}

export interface PageOptions {
  site: SiteLook;
  locale: Locale;
  /** This page's address in another language (the header's language switch). */
  langHref: (locale: Locale) => string;
  title: string;
  main: SafeHtml;
  /** Signed in: the header shows the name and a sign-out button. */
  account?: { name: string; csrf: string };
  /** The provider's page where a person sees and withdraws what it shares (`<issuer>/account`). */
  providerAccountUrl?: string;
}

const LOCALES: readonly Locale[] = ['fa', 'en'];

/**
 * The page shell of both demo sites: Persian right to left (default) or English left to right,
 * with a language switch in the header; one stylesheet, no scripts (the
 * Content-Security-Policy forbids inline ones), a skip link and one <h1> per page.
 */
export function page({
  site,
  locale,
  langHref,
  title,
  main,
  account,
  providerAccountUrl,
}: PageOptions): string {
  const name = site.name[locale];
  return html`<!DOCTYPE html>
<html lang="${locale}" dir="${dirOf(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title} | ${name}</title>
<link rel="preload" href="/assets/fonts/Vazirmatn-NL-Regular.woff2" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="/assets/site.css">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
</head>
<body class="theme-${site.theme}">
<a class="skip-link" href="#main">${t(locale, 'layout.skip')}</a>
<header class="top">
  <div class="top__inner">
    <a class="brand" href="/">
      <svg class="brand__mark" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="8" fill="currentColor"/><path d="M7 19h18l-2.5-6.5h-13zM10 19v3M22 19v3" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>
      <span class="brand__name">${name}</span>
      <span class="brand__demo">${t(locale, 'layout.demo')}</span>
    </a>
    <nav class="lang-switch" aria-label="${t(locale, 'lang.label')}">
${LOCALES.filter((other) => other !== locale).map(
  (other) =>
    html`      <a href="${langHref(other)}" lang="${other}" hreflang="${other}">${t(locale, other === 'fa' ? 'lang.fa' : 'lang.en')}</a>\n`,
)}    </nav>
    ${
      account
        ? html`<div class="account">
      <span class="account__name">${account.name}</span>
      <form class="account__logout" method="post" action="/logout">
        <input type="hidden" name="csrf" value="${account.csrf}">
        <button class="btn btn--small" type="submit">${t(locale, 'layout.logout')}</button>
      </form>
    </div>`
        : ''
    }
  </div>
</header>
<main id="main" class="page" tabindex="-1">
<h1 class="page__title">${title}</h1>
${main}
</main>
<footer class="foot">
  <p>${t(locale, 'layout.footer')}</p>
  ${providerAccountUrl ? html`<p><a href="${providerAccountUrl}?lang=${locale}">${t(locale, 'layout.manageShared')}</a></p>` : ''}
</footer>
</body>
</html>
`.value;
}

export type FormErrors = Record<string, string | undefined>;

/** The list of errors at the top of a form; each links to its field. */
export function errorSummary(errors: FormErrors, fields: readonly string[], locale: Locale): SafeHtml {
  const entries = fields.filter((field) => errors[field]).map((field) => [field, errors[field]] as const);
  const others = Object.entries(errors).filter(([field, message]) => message && !fields.includes(field));
  if (entries.length === 0 && others.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
  <h2 class="error-summary__title" id="error-summary-title">${t(locale, 'form.errorSummary')}</h2>
  <ul class="error-summary__list">
${entries.map(([field, message]) => html`    <li><a href="#${field}">${message}</a></li>\n`)}${others.map(([, message]) => html`    <li>${message}</li>\n`)}  </ul>
</div>`;
}

interface FieldBase {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  autofocus?: boolean;
}

function describedBy(field: FieldBase): string {
  return [field.hint ? `${field.name}-hint` : '', field.error ? `${field.name}-error` : '']
    .filter(Boolean)
    .join(' ');
}

function fieldTop(field: FieldBase): SafeHtml {
  return html`<label class="field__label" for="${field.name}">${field.label}</label>
    ${field.hint ? html`<p class="field__hint" id="${field.name}-hint">${field.hint}</p>` : ''}
    ${field.error ? html`<p class="field__error" id="${field.name}-error">${field.error}</p>` : ''}`;
}

function invalidAttrs(field: FieldBase): SafeHtml {
  const ids = describedBy(field);
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${field.error ? html` aria-invalid="true"` : ''}${
    field.autofocus ? html` autofocus` : ''
  }`;
}

export function textField(
  field: FieldBase & {
    value: string;
    maxlength: number;
    ltr?: boolean;
    inputmode?: string;
    placeholder?: string;
    autocomplete?: string;
  },
): SafeHtml {
  return html`<div class="field${field.error ? ' field--error' : ''}">
    ${fieldTop(field)}
    <input class="input${field.ltr ? ' input--ltr' : ''}" id="${field.name}" name="${field.name}" type="text"${
      field.ltr ? html` dir="ltr"` : ''
    }${field.inputmode ? html` inputmode="${field.inputmode}"` : ''} autocomplete="${field.autocomplete ?? 'off'}" maxlength="${field.maxlength}"${
      field.placeholder ? html` placeholder="${field.placeholder}"` : ''
    } value="${field.value}" required${invalidAttrs(field)}>
  </div>`;
}

export function textareaField(
  field: FieldBase & { value: string; maxlength: number; rows?: number },
): SafeHtml {
  return html`<div class="field${field.error ? ' field--error' : ''}">
    ${fieldTop(field)}
    <textarea class="input input--area" id="${field.name}" name="${field.name}" rows="${field.rows ?? 3}" maxlength="${field.maxlength}" autocomplete="street-address" required${invalidAttrs(field)}>${field.value}</textarea>
  </div>`;
}

export function selectField(
  field: FieldBase & {
    value: string;
    options: ReadonlyArray<{ value: string; label: string }>;
    locale: Locale;
  },
): SafeHtml {
  return html`<div class="field${field.error ? ' field--error' : ''}">
    ${fieldTop(field)}
    <select class="input input--select" id="${field.name}" name="${field.name}" required${invalidAttrs(field)}>
      <option value=""${field.value === '' ? html` selected` : ''}>${t(field.locale, 'form.choose')}</option>
${field.options.map(
  (option) =>
    html`      <option value="${option.value}"${option.value === field.value ? html` selected` : ''}>${option.label}</option>\n`,
)}    </select>
  </div>`;
}

/** A pre-filled field the person can read but not change (data verified by the provider). */
export function readonlyField(field: { id: string; label: string; value: string; ltr?: boolean }): SafeHtml {
  return html`<div class="field field--readonly">
    <label class="field__label" for="${field.id}">${field.label}</label>
    <input class="input input--readonly${field.ltr ? ' input--ltr' : ''}" id="${field.id}" type="text"${
      field.ltr ? html` dir="ltr"` : ''
    } value="${field.value}" readonly aria-describedby="verified-note">
  </div>`;
}

/** A definition list of label → value rows. */
export function dataList(rows: ReadonlyArray<{ label: string; value: string; ltr?: boolean }>): SafeHtml {
  return html`<dl class="data">
${rows.map(
  (row) =>
    html`  <div class="data__row"><dt>${row.label}</dt><dd${row.ltr ? html` dir="ltr"` : ''}>${row.value || '—'}</dd></div>\n`,
)}</dl>`;
}

export function notice(kind: 'info' | 'success' | 'error' | 'warning', body: SafeHtml | string): SafeHtml {
  const role = kind === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice--${kind}" role="${role}">${typeof body === 'string' ? html`<p>${body}</p>` : body}</div>`;
}
