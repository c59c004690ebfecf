import path from 'node:path';
import ejs from 'ejs';
import type { Context } from 'koa';
import {
  DEFAULT_LOCALE,
  dirOf,
  isLocale,
  LOCALES,
  type Locale,
  localizeDigits,
  type MessageParams,
  translate,
} from '../i18n/index.js';

export interface RendererOptions {
  /** Folder of the EJS templates (`views/`). */
  viewsDir: string;
  /** Caches compiled templates. */
  production: boolean;
}

export type Render = (ctx: Context, view: string, model: object, status?: number) => Promise<void>;

/** What every template can use besides `model`. */
export interface TemplateLocals {
  model: object;
  t: (key: string, params?: MessageParams) => string;
  locale: Locale;
  dir: 'rtl' | 'ltr';
  digits: (text: string | number) => string;
  /**
   * Path (and, for GET, the harmless part of the query, without `lang`) of the page: where the
   * language switch leads.
   */
  currentPath: string;
  /** `currentPath` with `?lang=<locale>`. */
  langHref: (locale: Locale) => string;
  /** The other locales, for the language switch. */
  otherLocales: Locale[];
}

const VIEW_NAME = /^[a-z][a-z0-9-]*$/;

// Names the templates read; strict mode (no `with`) makes a typo an error instead of a blank.
const LOCAL_NAMES = ['model', 't', 'locale', 'dir', 'digits', 'currentPath', 'langHref', 'otherLocales'];

/**
 * Renders `views/<view>.ejs` as the response: HTML, `no-store`, the given status. Templates get
 * the model plus the helpers of `TemplateLocals`, translated for `ctx.state.locale` (fa when
 * unset). `<%= %>` escapes; only the logout form is printed raw.
 */
export function createRenderer({ viewsDir, production }: RendererOptions): Render {
  const root = path.resolve(viewsDir);
  const options: ejs.Options & { async: false } = {
    cache: production,
    strict: true,
    localsName: 'locals',
    destructuredLocals: LOCAL_NAMES,
    // Templates include partials by absolute name (`/partials/head`): EJS resolves those against
    // `root` by path alone, where a relative name costs a file-system check on every include of
    // every render (issue 17).
    root,
    async: false,
  };

  return async function render(ctx, view, model, status = 200) {
    if (!VIEW_NAME.test(view)) throw new Error(`invalid view name: ${view}`);
    const stateLocale: unknown = ctx.state?.locale;
    const locale: Locale = isLocale(stateLocale) ? stateLocale : DEFAULT_LOCALE;
    const currentPath = currentPathOf(ctx, model);
    const locals: TemplateLocals = {
      model,
      t: (key, params) => translate(locale, key, params),
      locale,
      dir: dirOf(locale),
      digits: (text) => localizeDigits(locale, text),
      currentPath,
      langHref: (target) => withLang(currentPath, target),
      otherLocales: LOCALES.filter((other) => other !== locale),
    };
    const html = await ejs.renderFile(path.join(root, `${view}.ejs`), locals, options);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = html;
  };
}

/**
 * Query parameters the language switch may carry over: what reproduces the page (an
 * authorization or logout request's error, the interaction's notice) and holds nothing secret or
 * personal. Everything else is dropped — `id_token_hint` (an ID token with the national code),
 * `login_hint` and `logout_hint` (a mobile number), `request` (a JWT that can hold both),
 * `request_uri`, `claims` (can name values), codes and secrets — so no page ever prints a token
 * or hint its address carried.
 */
const LINKABLE_PARAMS = new Set([
  'notice',
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'ui_locales',
  'acr_values',
  'display',
  'post_logout_redirect_uri',
]);

/**
 * The page's own address, for the language switch: `model.currentPath` or `ctx.state.currentPath`
 * when the route gives one; else the request's path and linkable query for a GET; else (a form
 * POST shown again with errors) the interaction's address `model.action`, which answers GET.
 */
function currentPathOf(ctx: Context, model: object): string {
  const given = (model as { currentPath?: unknown }).currentPath ?? ctx.state?.currentPath;
  const action = (model as { action?: unknown }).action;
  const chosen = isLocalPath(given)
    ? given
    : ctx.method === 'GET' || ctx.method === 'HEAD'
      ? ctx.url
      : isLocalPath(action)
        ? action
        : ctx.path;
  const url = new URL(chosen, 'http://localhost');
  for (const name of [...url.searchParams.keys()]) {
    if (!LINKABLE_PARAMS.has(name)) url.searchParams.delete(name);
  }
  // "/.//host" normalises to "//host": a link there would leave the site.
  return `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
}

function isLocalPath(value: unknown): value is string {
  return (
    typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
  );
}

function withLang(currentPath: string, locale: Locale): string {
  const url = new URL(currentPath, 'http://localhost');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}
