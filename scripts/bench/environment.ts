/**
 * What every phase runs against: a redis-server, the identity simulator (generated citizens), a
 * fake Kavenegar, shared secrets and one provider process on Redis.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdentitySimulatorServer } from '../../src/identity/simulator.js';
import type { JourneyContext } from '../lib/bench-journey.js';
import { generateCitizens } from '../lib/citizens.js';
import { startFakeSmsGateway } from '../lib/fake-sms-gateway.js';
import { HttpClient } from '../lib/http-client.js';
import { freePort } from '../lib/ports.js';
import { type ProviderProcess, spawnProvider } from '../lib/provider-process.js';
import { type RedisProcess, startRedisProcess } from '../lib/redis-process.js';
import { createSharedSecrets, type SharedSecrets } from '../lib/shared-secrets.js';
import {
  BENCH_LIMITS,
  type Citizens,
  CLIENT,
  CLIENT_METADATA,
  IDENTITY_TOKEN,
  KEY_PREFIX,
} from './bench-client.js';
import type { Settings } from './settings.js';

export interface Environment {
  dir: string;
  redis: RedisProcess;
  secrets: SharedSecrets;
  provider: ProviderProcess;
  http: HttpClient;
  context: JourneyContext;
  env: Record<string, string>;
  citizens: Citizens;
  cleanups: Array<() => Promise<unknown>>;
  /**
   * The provider's Store calls so far (its /metrics, summed over operations): each one Redis
   * round trip, however many commands a script runs inside it (Redis counts those too).
   */
  storeCalls: () => Promise<number>;
}

/** A provider process (`node dist/src/main.js`) with this environment, logging to `<label>.log`. */
export async function startProvider(
  dir: string,
  env: Record<string, string>,
  label: string,
  settings: Settings,
): Promise<ProviderProcess> {
  const port = await freePort();
  const logFd = openSync(join(dir, `${label}.log`), 'a');
  const provider = spawnProvider({
    port,
    runtime: 'dist',
    env: { ...env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}` },
    outputFd: logFd,
    label,
    nodeArgs: settings.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(dir, `profile-${label}`)] : [],
  });
  closeSync(logFd);
  try {
    await provider.ready(60_000);
  } catch (error) {
    const log = await readFile(join(dir, `${label}.log`), 'utf8').catch(() => '');
    throw new Error(`${(error as Error).message}\n${log.slice(-3000)}`);
  }
  return provider;
}

export async function setUp(settings: Settings): Promise<Environment> {
  const dir = await mkdtemp(join(tmpdir(), 'darvaze-bench-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  if (!settings.keep) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const redis = await startRedisProcess({ args: ['--maxmemory-policy', 'noeviction'] });
  cleanups.push(() => redis.stop());
  const citizens = generateCitizens(Math.max(settings.users, settings.concurrency * 8));
  const identity = await startIdentitySimulatorServer({ token: IDENTITY_TOKEN, citizens });
  cleanups.push(() => identity.close());
  const sms = await startFakeSmsGateway();
  cleanups.push(() => sms.close());
  const secrets = await createSharedSecrets(dir, ['ES256', 'RS256']);
  const clientsFile = join(dir, 'clients.json');
  await writeFile(clientsFile, JSON.stringify([CLIENT_METADATA]));
  const metricsToken = randomBytes(16).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    METRICS_TOKEN: metricsToken,
    TRUST_PROXY: 'true',
    DATA_DIR: join(dir, 'data'),
    DEMO: 'off',
    CAPTCHA: 'off',
    LOG_LEVEL: 'info',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: KEY_PREFIX,
    CLIENTS_FILE: clientsFile,
    IDENTITY_SERVICE_URL: identity.url,
    IDENTITY_SERVICE_TOKEN: IDENTITY_TOKEN,
    ...sms.env(),
    ...secrets.env,
    ...BENCH_LIMITS,
    ...settings.providerEnv,
  };
  const provider = await startProvider(dir, env, 'provider-redis', settings);
  cleanups.push(() => provider.stop('SIGTERM'));
  const http = new HttpClient(provider.url, { maxSockets: settings.concurrency * 8 });
  const context = { http, sms, client: CLIENT };
  const storeCalls = () => countStoreCalls(provider.url, metricsToken);
  return { dir, redis, secrets, provider, http, context, env, citizens, cleanups, storeCalls };
}

/** Sums `darvaze_store_operation_duration_seconds_count` over every operation and outcome. */
async function countStoreCalls(providerUrl: string, token: string): Promise<number> {
  const response = await fetch(`${providerUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  let total = 0;
  for (const row of text.split('\n'))
    if (row.startsWith('darvaze_store_operation_duration_seconds_count'))
      total += Number(row.split(' ').pop());
  return total;
}
