import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { FirstPartyState } from '../first-party/first-party-sign-in.js';
import { createGuardedRouter } from '../http/guarded-router.js';
import { formBody } from '../http/request-body.js';
import type { Locale } from '../i18n/index.js';
import {
  deleteAccount,
  exportData,
  recheckIdentity,
  removePasskey,
  renamePasskey,
  signOutEverywhere,
  withdrawSite,
} from './account-actions.js';
import { type AccountPageDeps, FRESH_SIGN_IN_SECONDS } from './account-deps.js';
import { buildAccountPage, ERROR_NOTICES, NOTICES } from './account-overview.js';

/**
 * The person's own page, /account (docs/security.md "The person's page"), behind its first-party
 * sign-in (src/first-party/). Reading needs a sign-in; every change needs one at most
 * FRESH_SIGN_IN_SECONDS old (else the person signs in again and comes back), the session's CSRF
 * token, and lands in the audit trail. Deleting the account needs an SMS code in that sign-in.
 */
export function createAccountRouter(deps: AccountPageDeps): Router {
  const { signIn } = deps;
  const forms = formBody({ limit: '8kb' });
  const noStore = async (ctx: Context, next: Next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
  const router = createGuardedRouter({ prefix: '/account', guards: [noStore] });
  const state = (ctx: Context) => ctx.state.firstParty as FirstPartyState;
  const locale = (ctx: Context): Locale => (ctx.state.locale === 'en' ? 'en' : 'fa');
  const csrf = async (ctx: Context, next: Next) => {
    if (signIn.csrfValid(ctx)) return next();
    await deps.render(
      ctx,
      'error',
      { titleKey: 'page.account.title', message: { key: 'error.csrf' }, backUrl: '/account' },
      403,
    );
  };
  /** A changing action: a recent sign-in (else back through the provider), then the CSRF token. */
  const change = (returnTo = '/account', amr?: string) => [
    forms,
    signIn.requireSignIn({ maxAgeSeconds: FRESH_SIGN_IN_SECONDS, returnTo, ...(amr ? { amr } : {}) }),
    csrf,
  ];
  const run = (handler: (deps: AccountPageDeps, ctx: Context) => Promise<void>) => (ctx: Context) =>
    handler(deps, ctx);

  router.get('/', signIn.requireSignIn(), async (ctx) => {
    const account = await deps.accounts.findBySub(state(ctx).sub);
    if (!account) {
      await signIn.signOut(ctx);
      return deps.render(
        ctx,
        'error',
        { titleKey: 'page.account.title', message: { key: 'account.gone' } },
        404,
      );
    }
    const doneKey = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    const done = Object.hasOwn(NOTICES, doneKey)
      ? { key: NOTICES[doneKey] as string, error: ERROR_NOTICES.has(doneKey) }
      : undefined;
    const model = await buildAccountPage(deps, {
      account,
      locale: locale(ctx),
      csrf: state(ctx).csrf,
      reveal: ctx.query.reveal === 'national_code',
      ...(done ? { notice: done } : {}),
    });
    await deps.render(ctx, 'account', model);
  });
  router.post('/recheck', ...change(), run(recheckIdentity));
  router.post('/sites/withdraw', ...change(), run(withdrawSite));
  router.post('/passkeys/rename', ...change(), run(renamePasskey));
  router.post('/passkeys/remove', ...change(), run(removePasskey));
  router.post('/export', ...change(), run(exportData));
  router.post('/sign-out-everywhere', ...change(), run(signOutEverywhere));
  router.get('/delete', signIn.requireSignIn(), async (ctx) => {
    await deps.render(ctx, 'account-delete', { titleKey: 'page.accountDelete.title', csrf: state(ctx).csrf });
  });
  router.post('/delete', ...change('/account/delete', 'sms'), run(deleteAccount));
  router.post('/sign-out', forms, signIn.requireSignIn(), csrf, async (ctx) => {
    await signIn.signOut(ctx);
    await deps.render(ctx, 'account-farewell', {
      titleKey: 'page.accountSignedOut.title',
      messageKey: 'account.signedOutHere',
    });
  });
  return router;
}
