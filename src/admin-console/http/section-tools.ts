import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Actor } from '../../admin/audit.js';
import type { FirstPartyState } from '../../first-party/first-party-sign-in.js';
import type { Message } from '../../http/view-models.js';
import { isLocale, type Locale } from '../../i18n/index.js';
import { formatTime } from '../site-view.js';
import type { AdminConsoleDeps } from './console-deps.js';

type Section = 'sites' | 'registration' | 'audit' | 'health';

/**
 * What every console section's route file works with: the one guarded router they all add their
 * routes to (console-router.ts has put the guards on it), the guard before a change, and the
 * helpers their pages share (the page frame, who is acting, the locale and its dates, the notice
 * after a change).
 */
export interface SectionTools {
  deps: AdminConsoleDeps;
  router: Router;
  /** The form body parser of every change. */
  forms: Middleware;
  /** Before a change: the form's CSRF token, then a fresh enough sign-in (console-router.ts). */
  change(returnTo: (ctx: Context) => string): Middleware;
  page(
    ctx: Context,
    view: string,
    section: Section,
    titleKey: string,
    model: object,
    status?: number,
  ): Promise<void>;
  actorOf(ctx: Context): Actor;
  localeOf(ctx: Context): Locale;
  when(ctx: Context, at: number | string): string;
  notice(ctx: Context): Message | undefined;
}

export function sectionToolsOf(
  deps: AdminConsoleDeps,
  router: Router,
  forms: Middleware,
  change: SectionTools['change'],
): SectionTools {
  const { render } = deps;
  const state = (ctx: Context) => ctx.state.firstParty as FirstPartyState;
  const actorOf = (ctx: Context): Actor => ({
    who: `console:${state(ctx).sub}`,
    ...(typeof ctx.state.requestId === 'string' ? { requestId: ctx.state.requestId } : {}),
  });
  const localeOf = (ctx: Context): Locale => (isLocale(ctx.state.locale) ? ctx.state.locale : 'fa');
  const when = (ctx: Context, at: number | string) => formatTime(localeOf(ctx), at);

  const page = (
    ctx: Context,
    view: string,
    section: Section,
    titleKey: string,
    model: object,
    status = 200,
  ) => render(ctx, view, { titleKey, section, csrf: state(ctx).csrf, ...model }, status);

  const notice = (ctx: Context): Message | undefined => {
    const key = typeof ctx.query.done === 'string' ? NOTICES[ctx.query.done] : undefined;
    return key ? { key } : undefined;
  };

  return { deps, router, forms, change, page, actorOf, localeOf, when, notice };
}

const NOTICES: Record<string, string> = {
  created: 'admin.done.created',
  saved: 'admin.done.saved',
  deleted: 'admin.done.deleted',
  revoked: 'admin.done.revoked',
  gone: 'admin.done.gone',
};
