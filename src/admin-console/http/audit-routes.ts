import { auditFilterOf, auditPageOf, SCAN_LIMIT } from '../audit-view.js';
import { CONSOLE_PATH } from './console-deps.js';
import type { SectionTools } from './section-tools.js';

/** Audit: the admin or the security trail, filtered and paged. */
export function addAuditRoutes({ deps, router, page, when }: SectionTools): void {
  router.get('/audit', async (ctx) => {
    const filter = auditFilterOf(ctx.query);
    const entries =
      filter.stream === 'admin'
        ? await deps.adminAudit.recent(SCAN_LIMIT)
        : await deps.securityAudit.recent(SCAN_LIMIT);
    const view = auditPageOf(entries as unknown as Record<string, string>[], filter, deps.now());
    const pageHref = (n: number) => {
      const params = new URLSearchParams({ stream: filter.stream, period: filter.period });
      if (filter.type) params.set('type', filter.type);
      if (filter.site) params.set('site', filter.site);
      params.set('page', String(n));
      return `${CONSOLE_PATH}/audit?${params}`;
    };
    await page(ctx, 'admin-audit', 'audit', 'admin.audit.title', {
      filter: view.filter,
      types: view.types,
      total: view.total,
      pages: view.pages,
      scanLimit: SCAN_LIMIT,
      pageHref,
      rows: view.rows.map((row) => ({ ...row, when: when(ctx, row.at) })),
    });
  });
}
