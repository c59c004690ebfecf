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
    adminApi: config.adminToken ? 'enabled' : 'disabled',
    developmentOnlyDefaults: config.developmentDefaults,
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
