import type { Middleware } from 'koa';
import { isLocale, pickLocale } from '../i18n/index.js';

export const LOCALE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Sets `ctx.state.locale` from `?lang=`, the `lang` cookie and Accept-Language (in that order).
 * A valid `?lang=` is also remembered in the cookie for a year. Routes that know the OIDC
 * `ui_locales` of the request may pick again with `pickLocale` and overwrite `ctx.state.locale`.
 */
export function localeMiddleware(): Middleware {
  return async function locale(ctx, next) {
    const rawQuery = ctx.query.lang;
    const query = typeof rawQuery === 'string' ? rawQuery.trim().toLowerCase() : undefined;
    const cookie = ctx.cookies.get(LOCALE_COOKIE, { signed: false });
    ctx.state.locale = pickLocale({ query, cookie, acceptLanguage: ctx.get('Accept-Language') || undefined });
    if (isLocale(query) && query !== cookie) {
      ctx.cookies.set(LOCALE_COOKIE, query, {
        maxAge: ONE_YEAR_MS,
        sameSite: 'lax',
        httpOnly: true,
        signed: false,
        overwrite: true,
        path: '/',
      });
    }
    await next();
  };
}
