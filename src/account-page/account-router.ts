import type Router from '@koa/router';
import type { Context } from 'koa';
import type { FirstPartySignIn, FirstPartyState } from '../first-party/first-party-sign-in.js';
import { createGuardedRouter } from '../http/guarded-router.js';
import type { Render } from '../http/render.js';
import { formBody } from '../http/request-body.js';

export interface AccountPageDeps {
  signIn: FirstPartySignIn;
  render: Render;
}

/** The person's own page, /account, behind its first-party sign-in. */
export function createAccountRouter(deps: AccountPageDeps): Router {
  const { signIn } = deps;
  const forms = formBody({ limit: '8kb' });
  const router = createGuardedRouter({ guards: [] });
  const state = (ctx: Context) => ctx.state.firstParty as FirstPartyState;

  router.get('/account', signIn.requireSignIn(), async (ctx) => {
    await deps.render(ctx, 'account', { titleKey: 'page.account.title', csrf: state(ctx).csrf });
  });
  router.post('/account/sign-out', forms, signIn.requireSignIn(), async (ctx) => {
    if (!signIn.csrfValid(ctx)) ctx.throw(403);
    await signIn.signOut(ctx);
    ctx.status = 303;
    ctx.redirect('/');
  });
  return router;
}
