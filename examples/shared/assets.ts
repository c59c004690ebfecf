import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Middleware } from 'koa';

/**
 * The demo sites' stylesheet (kept in code so the built sites need no files copied next to
 * them). Mobile first, logical properties, two accent themes.
 */
export const SITE_CSS = `
@font-face {
  font-family: "Vazirmatn";
  src: url("/assets/fonts/Vazirmatn-NL-Regular.woff2") format("woff2");
  font-weight: 400;
  font-display: swap;
}
@font-face {
  font-family: "Vazirmatn";
  src: url("/assets/fonts/Vazirmatn-NL-Bold.woff2") format("woff2");
  font-weight: 700;
  font-display: swap;
}
:root {
  --bg: #f4f1ec;
  --surface: #fff;
  --text: #1f1b16;
  --muted: #5b554d;
  --border: #d8d0c4;
  --input-border: #7d756a;
  --accent: #9b1c1c;
  --accent-dark: #741414;
  --accent-soft: #fbeeee;
  --danger: #b3261e;
  --danger-soft: #fdeceb;
  --success: #17663a;
  --success-soft: #e7f5ec;
  --warning: #8a5a00;
  --warning-soft: #fff6e0;
  --focus: #ffbf47;
  --radius: 0.625rem;
  color-scheme: light;
}
.theme-service {
  --bg: #eef5f3;
  --border: #c6d8d3;
  --input-border: #6f8680;
  --accent: #0f6b5c;
  --accent-dark: #0a4d42;
  --accent-soft: #e4f3ef;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-block-size: 100vh;
  display: flex;
  flex-direction: column;
  background: var(--bg);
  color: var(--text);
  font-family: "Vazirmatn", system-ui, Tahoma, Arial, sans-serif;
  font-size: 1rem;
  line-height: 1.75;
}
h1, h2, p, ul, dl, dd { margin-block: 0; }
a { color: var(--accent); text-underline-offset: 0.2em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
a:focus-visible { background: var(--focus); color: #0b0c0c; text-decoration: none; }
.skip-link {
  position: absolute; inset-inline-start: 0.5rem; inset-block-start: -4rem; z-index: 10;
  padding: 0.5rem 1rem; background: var(--focus); color: #0b0c0c; font-weight: 700;
}
.skip-link:focus { inset-block-start: 0.5rem; }
.top { background: var(--accent); color: #fff; }
.top__inner {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem;
  max-inline-size: 46rem; margin-inline: auto; padding: 0.5rem 1rem; min-block-size: 3.5rem;
}
.brand { display: flex; align-items: center; gap: 0.5rem; color: #fff; text-decoration: none; flex-wrap: wrap; }
.brand__mark { color: var(--accent-dark); flex: none; }
.brand__name { font-weight: 700; font-size: 1.1rem; }
.brand__demo {
  padding: 0 0.5rem; border-radius: 999px; background: var(--accent-dark); font-size: 0.8125rem;
}
.lang-switch a {
  display: inline-block; padding: 0.5rem 0.25rem; color: #fff; font-weight: 700; text-underline-offset: 0.2em;
}
.account { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
.account__name { font-weight: 700; }
.account__logout { margin: 0; }
.page {
  flex: 1 0 auto; inline-size: 100%; max-inline-size: 46rem; margin-inline: auto;
  padding: 1.5rem 1rem 2rem; background: var(--surface);
}
.page:focus { outline: none; }
.page__title { margin-block-end: 1rem; font-size: 1.375rem; line-height: 1.4; }
.page > p + p { margin-block-start: 0.75rem; }
.lead { margin-block-end: 1.25rem; }
.section-title { margin-block: 1.5rem 0.75rem; font-size: 1.0625rem; }
.muted { color: var(--muted); font-size: 0.9375rem; }
.form { display: flex; flex-direction: column; gap: 1.25rem; }
.fieldset { margin: 0; padding: 0; border: 0; display: flex; flex-direction: column; gap: 1rem; }
.fieldset legend { padding: 0; margin-block-end: 0.5rem; font-weight: 700; font-size: 1.0625rem; }
.field { display: flex; flex-direction: column; gap: 0.25rem; }
.field--error { padding-inline-start: 0.75rem; border-inline-start: 4px solid var(--danger); }
.field__label { font-weight: 700; }
.field__hint { color: var(--muted); font-size: 0.9375rem; }
.field__error { color: var(--danger); font-weight: 700; font-size: 0.9375rem; }
.input {
  inline-size: 100%; min-block-size: 3rem; padding: 0.5rem 0.75rem;
  border: 2px solid var(--input-border); border-radius: var(--radius);
  background: var(--surface); color: inherit; font: inherit; font-size: 1.0625rem;
}
.input:focus-visible { border-color: var(--accent); outline: 3px solid var(--focus); outline-offset: 0; }
.input[aria-invalid="true"] { border-color: var(--danger); }
.input--area { min-block-size: 6rem; resize: vertical; }
.input--readonly { border-style: dashed; border-color: var(--border); background: var(--bg); }
[dir="rtl"] .input--ltr, [dir="rtl"] dd[dir="ltr"] { text-align: right; }
.btn {
  display: inline-flex; align-items: center; justify-content: center; gap: 0.5rem;
  inline-size: 100%; min-block-size: 3rem; padding: 0.5rem 1.25rem;
  border: 2px solid transparent; border-radius: var(--radius);
  background: var(--accent); color: #fff; font: inherit; font-weight: 700;
  text-align: center; text-decoration: none; cursor: pointer;
}
.btn:hover { background: var(--accent-dark); color: #fff; }
.btn--secondary { background: var(--surface); border-color: var(--accent); color: var(--accent); }
.btn--secondary:hover { background: var(--accent-soft); color: var(--accent-dark); }
.btn--small {
  inline-size: auto; min-block-size: 44px; padding: 0.25rem 1rem;
  background: #fff; color: var(--accent-dark);
}
.btn--small:hover { background: var(--accent-soft); color: var(--accent-dark); }
.actions { display: flex; flex-direction: column; gap: 0.75rem; margin-block-start: 1.25rem; }
.notice {
  margin-block-end: 1.25rem; padding: 0.75rem 1rem; border-inline-start: 4px solid var(--accent);
  border-radius: var(--radius); background: var(--accent-soft);
}
.notice--success { border-color: var(--success); background: var(--success-soft); }
.notice--error { border-color: var(--danger); background: var(--danger-soft); }
.notice--warning { border-color: var(--warning); background: var(--warning-soft); }
.error-summary {
  margin-block-end: 1.25rem; padding: 0.75rem 1rem; border: 3px solid var(--danger); border-radius: var(--radius);
}
.error-summary__title { font-size: 1.0625rem; }
.error-summary__list { margin-block-start: 0.25rem; padding-inline-start: 1.25rem; color: var(--danger); }
.error-summary__list a { color: var(--danger); font-weight: 700; }
.data { margin-block-end: 1rem; border: 1px solid var(--border); border-radius: var(--radius); }
.data__row { display: flex; flex-wrap: wrap; gap: 0 1rem; padding: 0.5rem 0.75rem; }
.data__row + .data__row { border-block-start: 1px solid var(--border); }
.data__row dt { flex: 0 0 10rem; color: var(--muted); }
.data__row dd { flex: 1 1 12rem; font-weight: 700; overflow-wrap: anywhere; }
.steps { margin: 0 0 1.25rem; padding-inline-start: 1.5rem; list-style-type: persian; }
html[lang="en"] .steps { list-style-type: decimal; }
.foot {
  max-inline-size: 46rem; margin-inline: auto; padding: 1.25rem 1rem 2rem;
  color: var(--muted); font-size: 0.8125rem; text-align: center;
}
@media (min-width: 40rem) {
  .page {
    margin-block-start: 2rem; padding: 2rem 2.5rem 2.5rem; border: 1px solid var(--border);
    border-radius: 1rem; box-shadow: 0 8px 24px rgb(40 30 20 / 0.08); flex-grow: 0;
  }
  .page__title { font-size: 1.625rem; }
  .actions { flex-direction: row; }
  .actions .btn { inline-size: auto; }
  .form > .btn { inline-size: auto; align-self: flex-start; }
  .fieldset--two { display: grid; grid-template-columns: 1fr 1fr; }
  .foot { margin-block-start: auto; }
}
@media (forced-colors: active) {
  .btn, .input, .notice, .error-summary { border: 2px solid CanvasText; }
}
`;

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#5b554d"/>' +
  '<path d="M7 19h18l-2.5-6.5h-13zM10 19v3M22 19v3" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

const FONT_FILES = new Set(['Vazirmatn-NL-Regular.woff2', 'Vazirmatn-NL-Bold.woff2']);

function fontDir(): string | undefined {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('vazirmatn/package.json'));
    return path.join(root, 'misc', 'Non-Latin', 'fonts', 'webfonts');
  } catch {
    return undefined;
  }
}

/** `/assets/site.css`, the icon, and the two Vazirmatn weights the stylesheet uses. */
export function siteAssets(): Middleware {
  const fonts = fontDir();
  return async function assets(ctx, next) {
    if (!ctx.path.startsWith('/assets/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    if (ctx.path === '/assets/site.css') {
      ctx.type = 'text/css; charset=utf-8';
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = SITE_CSS;
      return;
    }
    if (ctx.path === '/assets/icon.svg') {
      ctx.type = 'image/svg+xml';
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.body = ICON_SVG;
      return;
    }
    const file = ctx.path.slice('/assets/fonts/'.length);
    if (fonts && ctx.path.startsWith('/assets/fonts/') && FONT_FILES.has(file)) {
      const full = path.join(fonts, file);
      const info = await stat(full).catch(() => undefined);
      if (info?.isFile()) {
        ctx.type = 'font/woff2';
        ctx.set('Cache-Control', 'public, max-age=86400');
        ctx.length = info.size;
        ctx.body = createReadStream(full);
        return;
      }
    }
    ctx.status = 404;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'Not found';
  };
}
