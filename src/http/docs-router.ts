import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Router from '@koa/router';

/** Serves the integration guide where discovery's `service_documentation` points. */
export function createDocsRouter(projectRoot: string): Router {
  const router = new Router();
  router.get('/docs/integration', async (ctx) => {
    ctx.type = 'text/markdown; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = await readFile(join(projectRoot, 'docs', 'integration.md'), 'utf8');
  });
  return router;
}
