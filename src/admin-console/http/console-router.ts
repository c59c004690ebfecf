import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { ClientRegistry, ClientView } from '../../admin/client-registry.js';
import type { FirstPartyState } from '../../first-party/first-party-sign-in.js';
import { createGuardedRouter } from '../../http/guarded-router.js';
import { formBody } from '../../http/request-body.js';
import { ADMIN_ACR_VALUES } from '../admin-allow-list.js';
import { auditFilterOf, auditPageOf, SCAN_LIMIT } from '../audit-view.js';
import { newSiteForm, readSiteForm, SITE_FORM_CHOICES, siteFormOf, siteMetadataOf } from '../site-form.js';
import { hostsOf, matches, siteName } from '../site-view.js';
import { addAuditRoutes } from './audit-routes.js';
import { type AdminConsoleDeps, CONSOLE_PATH } from './console-deps.js';
import { addHealthRoutes } from './health-routes.js';
import { addRegistrationRoutes } from './registration-routes.js';
import { sectionToolsOf } from './section-tools.js';
import { type Refusal, refusalModel, refusalOf } from './site-refusal.js';

export { type AdminConsoleDeps, CONSOLE_PATH } from './console-deps.js';

/**
 * The admin console, /admin (issue 16): Sites, Registration, Audit, Health, in Persian and
 * English, plain HTML forms (no script; the Health charts are SVG drawn here).
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
 */
const DEFAULT_FRESH_SECONDS = 5 * 60;

/**
 * The console's routers: the console itself (every guard), sign-out (a session is enough: a
 * refused person can sign out too) and the signed-out page (no guard; it shows nothing private).
 */
export function createAdminConsoleRouters(deps: AdminConsoleDeps): Router[] {
  return [createConsoleRouter(deps), createSignOutRouter(deps)];
}

function createConsoleRouter(deps: AdminConsoleDeps): Router {
  const { signIn, allowList, registry, render } = deps;
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
  const sitePath = (ctx: Context) => `${CONSOLE_PATH}/sites/${encodeURIComponent(ctx.params.id ?? '')}`;
  const tools = sectionToolsOf(deps, router, forms, change);
  const { page, actorOf, localeOf, when, notice } = tools;

  // --- Sites --------------------------------------------------------------------------------
  router.get('/', async (ctx) => {
    ctx.status = 303;
    ctx.redirect(`${CONSOLE_PATH}/sites`);
  });

  router.get('/sites', async (ctx) => {
    const query = typeof ctx.query.q === 'string' ? ctx.query.q.trim().slice(0, 100) : '';
    const sites = (await registry.list()).filter((site) => matches(site, query));
    await page(ctx, 'admin-sites', 'sites', 'admin.sites.title', {
      query,
      notice: notice(ctx),
      sites: sites.map((site) => ({
        id: site.client_id,
        name: siteName(site, localeOf(ctx)),
        hosts: hostsOf(site).join(' '),
        created: site.client_id_issued_at ? when(ctx, site.client_id_issued_at * 1000) : '—',
      })),
    });
  });

  const newSitePage = (ctx: Context, form = newSiteForm(), refusal?: Refusal) =>
    page(
      ctx,
      'admin-site-new',
      'sites',
      'admin.sites.newTitle',
      { form, choices: SITE_FORM_CHOICES, ...refusalModel(refusal) },
      refusal ? 400 : 200,
    );

  router.get('/sites/new', (ctx) => newSitePage(ctx));

  router.post(
    '/sites',
    forms,
    change(() => `${CONSOLE_PATH}/sites/new`),
    async (ctx) => {
      const form = readSiteForm(ctx.request.body);
      let created: Record<string, unknown> & { client_id: string; client_secret?: string };
      try {
        created = await registry.create(siteMetadataOf(form), actorOf(ctx));
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        return newSitePage(ctx, form, refusal);
      }
      if (!created.client_secret) {
        ctx.status = 303;
        return ctx.redirect(`${CONSOLE_PATH}/sites/${encodeURIComponent(created.client_id)}?done=created`);
      }
      await page(ctx, 'admin-secret', 'sites', 'admin.secret.createdTitle', {
        explainKey: 'admin.secret.createdExplain',
        secretLabelKey: 'admin.site.secret',
        clientId: created.client_id,
        secret: created.client_secret,
        nextUrl: `${CONSOLE_PATH}/sites/${encodeURIComponent(created.client_id)}`,
      });
    },
  );

  const sitePage = async (ctx: Context, site: ClientView, form = siteFormOf(site), refusal?: Refusal) => {
    const history = (await deps.adminAudit.recent(SCAN_LIMIT))
      .filter((entry) => entry.client_id === site.client_id)
      .slice(0, 20);
    const view = auditPageOf(
      history as unknown as Record<string, string>[],
      { ...auditFilterOf({}), period: 'all' },
      deps.now(),
    );
    await page(
      ctx,
      'admin-site',
      'sites',
      'admin.site.title',
      {
        titleParams: { site: siteName(site, localeOf(ctx)) },
        clientId: site.client_id,
        siteName: siteName(site, localeOf(ctx)),
        created: site.client_id_issued_at ? when(ctx, site.client_id_issued_at * 1000) : '—',
        hasSecret:
          site.token_endpoint_auth_method !== 'none' && site.token_endpoint_auth_method !== 'private_key_jwt',
        graceHours: Math.round(deps.secretRotationGraceSeconds / 3600),
        form,
        choices: SITE_FORM_CHOICES,
        notice: notice(ctx),
        history: view.rows.map((row) => ({ ...row, when: when(ctx, row.at) })),
        ...refusalModel(refusal),
      },
      refusal ? 400 : 200,
    );
  };

  const findSite = async (ctx: Context): Promise<ClientView | undefined> => {
    const site = await registry.get(ctx.params.id ?? '');
    if (site) return site;
    await render(
      ctx,
      'error',
      { titleKey: 'admin.title', message: { key: 'admin.site.notFound' }, backUrl: `${CONSOLE_PATH}/sites` },
      404,
    );
    return undefined;
  };

  router.get('/sites/:id', async (ctx) => {
    const site = await findSite(ctx);
    if (site) await sitePage(ctx, site);
  });

  router.post('/sites/:id', forms, change(sitePath), async (ctx) => {
    const site = await findSite(ctx);
    if (!site) return;
    const form = readSiteForm(ctx.request.body);
    let saved: ClientView & { client_secret?: string };
    try {
      saved = await registry.replace(site.client_id, siteMetadataOf(form, site), actorOf(ctx));
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      return sitePage(ctx, site, form, refusal);
    }
    if (typeof saved.client_secret === 'string') {
      // The site moved to a secret-based method: its new secret, shown this once.
      return page(ctx, 'admin-secret', 'sites', 'admin.secret.createdTitle', {
        explainKey: 'admin.secret.createdExplain',
        secretLabelKey: 'admin.site.secret',
        clientId: site.client_id,
        secret: saved.client_secret,
        nextUrl: sitePath(ctx),
      });
    }
    ctx.status = 303;
    ctx.redirect(`${sitePath(ctx)}?done=saved`);
  });

  router.post('/sites/:id/secret', forms, change(sitePath), async (ctx) => {
    const site = await findSite(ctx);
    if (!site) return;
    let rotated: Awaited<ReturnType<ClientRegistry['rotateSecret']>>;
    try {
      rotated = await registry.rotateSecret(site.client_id, actorOf(ctx));
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      return sitePage(ctx, site, undefined, refusal);
    }
    await page(ctx, 'admin-secret', 'sites', 'admin.secret.rotatedTitle', {
      explainKey: 'admin.secret.rotatedExplain',
      secretLabelKey: 'admin.site.secret',
      clientId: site.client_id,
      secret: rotated.client_secret,
      untilLabelKey: 'admin.secret.previousUntil',
      until: when(ctx, rotated.previous_secret_expires_at * 1000),
      nextUrl: sitePath(ctx),
    });
  });

  router.get('/sites/:id/delete', async (ctx) => {
    const site = await findSite(ctx);
    if (!site) return;
    await page(ctx, 'admin-site-delete', 'sites', 'admin.delete.title', {
      titleParams: { site: siteName(site, localeOf(ctx)) },
      clientId: site.client_id,
      siteName: siteName(site, localeOf(ctx)),
    });
  });

  router.post('/sites/:id/delete', forms, change(sitePath), async (ctx) => {
    await registry.delete(ctx.params.id ?? '', actorOf(ctx));
    ctx.status = 303;
    ctx.redirect(`${CONSOLE_PATH}/sites?done=deleted`);
  });

  // --- Registration (registration-routes.ts) -------------------------------------------------
  addRegistrationRoutes(tools);

  // --- Audit, Health (audit-routes.ts, health-routes.ts) -----------------------------------
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
