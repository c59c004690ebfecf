import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { FirstPartyState } from '../../first-party/first-party-sign-in.js';
import { createGuardedRouter } from '../../http/guarded-router.js';
import { formBody } from '../../http/request-body.js';
import { ADMIN_ACR_VALUES } from '../admin-allow-list.js';
import { addAuditRoutes } from './audit-routes.js';
import { type AdminConsoleDeps, CONSOLE_PATH } from './console-deps.js';
import { addHealthRoutes } from './health-routes.js';
import { addRegistrationRoutes } from './registration-routes.js';
import { sectionToolsOf } from './section-tools.js';
import { addSiteRoutes } from './sites-routes.js';

export { type AdminConsoleDeps, CONSOLE_PATH } from './console-deps.js';

/**
 * The admin console, /admin (issue 16): Sites, Registration, Audit, Health, in Persian and
 * English, plain HTML forms (no script; the Health charts are server-drawn SVG, bar-chart.ts). Each section's
 * routes are in its own file (sites-routes.ts, registration-routes.ts, audit-routes.ts,
 * health-routes.ts), added to the one guarded router built here.
 *
 * Who gets in (the guards of every route, in each route's own list — createGuardedRouter):
 * 1. the allow list is not empty (else one clear page refuses everyone, without a sign-in);
 * 2. a first-party sign-in through Darvaze itself at the registry-verified level (`acr_values`:
 *    a mobile-only or passkey session is sent through the identity step);
 * 3. the account's national code is on the allow list (admin-allow-list.ts).
 * Every change (POST) also needs the session's CSRF token and a sign-in at most
 * `freshSeconds` old; an older one sends the admin through the journey (`max_age`) and back to
 * the page, where they press the button again. Changes go through the admin module's registry,
 * audited as `console:<sub>`.
 *
 * The console's routers: the console itself (every guard), sign-out (a session is enough: a
 * refused person can sign out too) and the signed-out page (no guard; it shows nothing private).
 */
export function createAdminConsoleRouters(deps: AdminConsoleDeps): Router[] {
  return [createConsoleRouter(deps), createSignOutRouter(deps)];
}

const DEFAULT_FRESH_SECONDS = 5 * 60;

function createConsoleRouter(deps: AdminConsoleDeps): Router {
  const { signIn, allowList, render } = deps;
  const freshSeconds = deps.freshSeconds ?? DEFAULT_FRESH_SECONDS;
  const acrValues = [...ADMIN_ACR_VALUES];
  const forms = formBody({ limit: '32kb' });
  const state = (ctx: Context) => ctx.state.firstParty as FirstPartyState;

  // --- guards -------------------------------------------------------------------------------
  const enabled: Middleware = async (ctx, next) => {
    if (allowList.enabled) return next();
    await render(ctx, 'admin-refused', { titleKey: 'admin.title', reason: 'disabled' }, 403);
  };
  const signedIn = signIn.requireSignIn({ acrValues });
  const authorized: Middleware = async (ctx, next) => {
    const decision = await allowList.decide(state(ctx));
    if (decision.allowed) return next();
    (ctx.state.logger ?? deps.logger).warn(
      { reason: decision.reason, path: ctx.path },
      'admin console: signed-in person refused',
    );
    // In the security trail too: someone signed in and tried the console (the sub, never the
    // national code that was compared).
    deps.securityAudit.record(ctx, 'admin.console_refused', {
      sub: state(ctx).sub,
      reason: decision.reason,
      path: ctx.path,
    });
    await render(
      ctx,
      'admin-refused',
      { titleKey: 'admin.title', reason: decision.reason, csrf: state(ctx).csrf },
      403,
    );
  };
  const router = createGuardedRouter({
    prefix: CONSOLE_PATH,
    guards: [noStore, enabled, signedIn, authorized],
  });

  /** Before a change: the form's CSRF token, then a fresh enough sign-in. */
  const change =
    (returnTo: (ctx: Context) => string): Middleware =>
    async (ctx: Context, next: Next) => {
      if (!signIn.csrfValid(ctx)) {
        return refuseCsrf(render, ctx);
      }
      if (signIn.isFresh(ctx, freshSeconds)) return next();
      await signIn.startSignIn(ctx, { maxAgeSeconds: freshSeconds, acrValues, returnTo: returnTo(ctx) });
    };

  // --- the sections, in this order (the order their routes are matched in) ------------------
  const tools = sectionToolsOf(deps, router, forms, change);
  addSiteRoutes(tools);
  addRegistrationRoutes(tools);
  addAuditRoutes(tools);
  addHealthRoutes(tools);

  return router;
}

const noStore: Middleware = async (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  await next();
};

/** A form posted without this session's CSRF token: refused, nothing done. */
function refuseCsrf(render: AdminConsoleDeps['render'], ctx: Context): Promise<void> {
  return render(
    ctx,
    'error',
    { titleKey: 'admin.title', message: { key: 'error.csrf' }, backUrl: CONSOLE_PATH },
    403,
  );
}

function createSignOutRouter({ signIn, render }: AdminConsoleDeps): Router {
  const router = createGuardedRouter({ prefix: CONSOLE_PATH, guards: [noStore] });
  router.post('/sign-out', formBody({ limit: '8kb' }), signIn.requireSignIn(), async (ctx) => {
    if (!signIn.csrfValid(ctx)) {
      return refuseCsrf(render, ctx);
    }
    await signIn.signOut(ctx);
    ctx.status = 303;
    ctx.redirect(`${CONSOLE_PATH}/signed-out`);
  });
  router.get('/signed-out', async (ctx) => {
    await render(ctx, 'admin-refused', { titleKey: 'admin.title', reason: 'signedOut' });
  });
  return router;
}
