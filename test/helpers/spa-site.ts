import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { UserManagerSettings } from 'oidc-client-ts';
import { freePort } from './redis-server.js';

const HERE = import.meta.dirname;
// The package exports no path to its browser bundle: find it next to its package.json.
const BUNDLE = join(
  dirname(createRequire(import.meta.url).resolve('oidc-client-ts/package.json')),
  'dist/browser/oidc-client-ts.min.js',
);

/** The paths the site answers with its one page; the callbacks run oidc-client-ts's signinCallback. */
export const SPA_PAGES = ['/', '/callback', '/silent', '/popup', '/logged-out'] as const;

export interface SpaSite {
  origin: string;
  /** Client metadata for registering this site as a public client (PKCE, no secret). */
  client(clientId: string, scope: string): Record<string, unknown>;
  /** The UserManager settings the page gets (set before the browser loads it). */
  settings: Partial<UserManagerSettings>;
  close(): Promise<void>;
}

/**
 * A single-page relying party nobody here wrote: oidc-client-ts's own browser bundle, served as
 * static files from a Node server on its own port (another origin than the provider).
 */
export async function startSpaSite(): Promise<SpaSite> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const site: SpaSite = {
    origin,
    settings: {},
    client: (clientId, scope) => ({
      client_id: clientId,
      client_name: 'oidc-client-ts test site',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${origin}/callback`, `${origin}/silent`, `${origin}/popup`],
      post_logout_redirect_uris: [`${origin}/logged-out`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope,
    }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const files: Record<string, () => Promise<[string, string | Buffer]>> = {
    '/oidc-client-ts.js': async () => ['text/javascript', await readFile(BUNDLE)],
    '/app.js': async () => ['text/javascript', await readFile(join(HERE, 'spa', 'app.js'))],
    '/settings.js': async () => ['text/javascript', `window.rpSettings = ${JSON.stringify(site.settings)};`],
  };
  for (const path of SPA_PAGES)
    files[path] = async () => ['text/html; charset=utf-8', await readFile(join(HERE, 'spa', 'page.html'))];
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', origin).pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    file().then(
      ([type, body]) =>
        response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return site;
}
