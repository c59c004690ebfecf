import { barChartOf } from '../bar-chart.js';
import { HEALTH_EVENTS } from '../health-series.js';
import type { SectionTools } from './section-tools.js';

/** Health: each counted event's last hour and last day as SVG bar charts, the breaker, the store. */
export function addHealthRoutes({ deps, router, page }: SectionTools): void {
  router.get('/health', async (ctx) => {
    const { series } = deps.health;
    const charts = await Promise.all(
      HEALTH_EVENTS.map(async (event) => ({
        event,
        hour: barChartOf(await series.lastHour(event)),
        day: barChartOf(await series.lastDay(event)),
      })),
    );
    await page(ctx, 'admin-health', 'health', 'admin.health.title', {
      charts,
      breaker: await deps.health.breaker(),
      storeReady: await deps.health.storeReady(),
    });
  });
}
