import type { Context } from 'koa';
import type { ClientRegistry, ClientView } from '../../admin/client-registry.js';
import { auditFilterOf, auditPageOf, SCAN_LIMIT } from '../audit-view.js';
import { newSiteForm, readSiteForm, SITE_FORM_CHOICES, siteFormOf, siteMetadataOf } from '../site-form.js';
import { hostsOf, matches, siteName } from '../site-view.js';
import { CONSOLE_PATH } from './console-deps.js';
import type { SectionTools } from './section-tools.js';
import { type Refusal, refusalModel, refusalOf } from './site-refusal.js';

/** Sites: the console's front page, list and search, create, edit, rotate the secret, delete. */
export function addSiteRoutes({
  deps,
  router,
  forms,
  change,
  page,
  actorOf,
  localeOf,
  when,
  notice,
}: SectionTools): void {
  const { registry, render } = deps;
  const sitePath = (ctx: Context) => `${CONSOLE_PATH}/sites/${encodeURIComponent(ctx.params.id ?? '')}`;

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
}
