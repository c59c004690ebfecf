import type { Config } from '../../config/load.js';
import type { App } from './app.js';

/** One readable record of what this process runs on, logged once at start. */
export function startupSummary(config: Config, app: App): Record<string, unknown> {
  return {
    issuer: config.issuer,
    listen: `${config.host}:${config.port}`,
    discovery: `${config.issuer}/.well-known/openid-configuration`,
    mode: config.env,
    store: config.store.kind === 'memory' ? 'in-memory' : describeRedis(config),
    keys: app.secrets.signingKeys.keys.map((key) => `${key.alg}:${key.kid}`),
    identityService: config.identity.url ? new URL(config.identity.url).origin : 'built-in simulator',
    sms: config.sms.provider,
    captcha: config.captcha ? 'image' : 'off',
    adminApi: app.adminApi.enabled ? 'enabled' : 'disabled',
    ...adminTokenLines(app),
    // How many may use the console, never who (the codes are personal data).
    adminConsole: config.adminNationalCodes.length
      ? `${config.issuer}/admin (${config.adminNationalCodes.length} administrator(s))`
      : 'off (ADMIN_NATIONAL_CODES unset)',
    developmentOnlyDefaults: config.developmentDefaults,
    asyncContext: asyncContextMode(),
  };
}

const FRAMES_FLAG = '--experimental-async-context-frame';

/**
 * How AsyncLocalStorage (oidc-provider's and the request context's) runs: on async context
 * frames, or on promise hooks, which cost about a quarter of a sign-in's CPU (docs/operations.md
 * §6.4). Frames are the default from Node 24; Node 22 needs the flag `npm start` passes.
 */
export function asyncContextMode(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  nodeMajor = Number(process.versions.node.split('.')[0]),
): string {
  if (nodeMajor >= 24 || execArgv.includes(FRAMES_FLAG) || nodeOptions.split(/\s+/).includes(FRAMES_FLAG))
    return 'frames';
  return `promise hooks (slower: start node with ${FRAMES_FLAG}, as npm start does)`;
}

/**
 * Where a generated development token is kept (never the token) and the one command that uses
 * it, so a new user registers a site without reading further.
 */
function adminTokenLines(app: App): Record<string, unknown> {
  if (!app.adminApi.enabled || app.adminApi.token !== 'generated') return {};
  return {
    adminToken: `generated for development in ${app.adminApi.file} (never used in production)`,
    registerASite: 'npm run clients -- create --name "My site" --redirect-uri http://localhost:4000/callback',
  };
}

function describeRedis(config: Config): string {
  if (config.store.kind !== 'redis') return 'in-memory';
  if (config.store.clusterNodes.length)
    return `redis cluster (${config.store.clusterNodes.length} seed nodes)`;
  if (config.store.sentinels.length) return `redis sentinel (${config.store.sentinelName})`;
  const url = new URL(config.store.url ?? 'redis://127.0.0.1:6379');
  return `redis ${url.protocol}//${url.host}`;
}

/**
 * A summary as plain aligned lines, for a person reading the console in development (a JSON
 * log line is for log collectors). Arrays become one item a line.
 */
export function plainSummary(title: string, summary: Record<string, unknown>): string {
  const entries = Object.entries(summary).filter(([, value]) => value !== undefined);
  const width = Math.max(...entries.map(([key]) => key.length));
  const lines = [`── ${title} ──`];
  for (const [key, value] of entries) {
    const items = Array.isArray(value) ? value.map(String) : [String(value)];
    const label = key.padEnd(width);
    if (items.length === 0) lines.push(`  ${label}  (none)`);
    items.forEach((item, index) => {
      lines.push(`  ${index === 0 ? label : ' '.repeat(width)}  ${item}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
