/**
 * Phase 3: the same refresh grants on bare oidc-provider (same ES256 key and client,
 * scripts/bench-bare-provider.ts in a child process), with its in-memory adapter and with its
 * example Redis adapter: the ceiling Darvaze is held to, the Redis one like with like.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpClient } from '../../lib/http-client.js';
import { freePort, waitUntil } from '../../lib/ports.js';
import { PROJECT_ROOT, PROVIDER_NODE_FLAGS } from '../../lib/provider-process.js';
import { fmt } from '../../lib/stats.js';
import { CLIENT_METADATA, FULL_SCOPE } from '../bench-client.js';
import type { Environment } from '../environment.js';
import { profiles } from '../profiles.js';
import type { PeakAndHalf, Results } from '../results.js';
import type { Settings } from '../settings.js';
import { MAX_COST_RATIO } from '../targets.js';
import { refreshRuns } from './refresh.js';

export async function barePhase(
  environment: Environment,
  settings: Settings,
  results: Results,
): Promise<void> {
  console.log(
    '\n3. the same refresh grants on bare oidc-provider (same ES256 key and client), in memory then on Redis',
  );
  results.bare = await bareRuns(environment, settings, 'memory');
  if (settings.cpuProf)
    results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'bare')) };
  // On Redis with oidc-provider's own example adapter: like with like for Darvaze on Redis.
  results.bareRedis = await bareRuns(environment, settings, 'redis');
  if (settings.cpuProf)
    results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'bare-redis')) };
  if (results.refresh) {
    const ratio = results.bareRedis.peak.opsPerSecond / results.refresh.peak.opsPerSecond;
    console.log(
      `  cost ratio Darvaze / bare, both on Redis = ${fmt(ratio, 2)}×   [target ≤ ${MAX_COST_RATIO}×]`,
    );
    const inMemory = results.bare.peak.opsPerSecond / results.refresh.peak.opsPerSecond;
    console.log(`  cost ratio Darvaze on Redis / bare in memory = ${fmt(inMemory, 2)}×`);
    // CPU per grant is far less moved by the machine's other load than the rates are.
    const darvazeCpu = results.refresh.peak.providerCpuMsPerOp;
    const bareCpu = results.bareRedis.peak.providerCpuMsPerOp;
    if (darvazeCpu && bareCpu)
      console.log(
        `  CPU per grant Darvaze / bare, both on Redis = ${fmt(darvazeCpu, 2)} / ${fmt(bareCpu, 2)} ms = ${fmt(darvazeCpu / bareCpu, 2)}×`,
      );
  }
}

async function bareRuns(
  environment: Environment,
  settings: Settings,
  store: 'memory' | 'redis',
): Promise<PeakAndHalf> {
  const bare = await startBareProvider(environment, settings, store);
  try {
    console.log(
      `  bare oidc-provider, ${store === 'redis' ? 'on Redis (its example adapter)' : 'in memory'}:`,
    );
    // Its Redis commands are counted on the same server (only the bare provider uses it then).
    return await refreshRuns(
      bare.http,
      bare.context,
      bare.refreshTokens,
      settings.concurrency,
      settings.durationMs,
      {
        providerPid: bare.pid,
        ...(store === 'redis' ? { redis: environment.redis } : {}),
      },
    );
  } finally {
    await bare.stop();
  }
}

export interface BareProvider {
  http: HttpClient;
  /** The bench's journey context, pointed at the bare provider. */
  context: Environment['context'];
  /** One refresh-token chain per slot (4 × concurrency). */
  refreshTokens: string[];
  pid: number | undefined;
  stop(): Promise<void>;
}

/** A bare oidc-provider process, listening, with its refresh tokens; `stop` ends it. */
export async function startBareProvider(
  environment: Environment,
  settings: Settings,
  store: 'memory' | 'redis',
): Promise<BareProvider> {
  const port = await freePort();
  // Named by port: a bench run starts more than one bare provider of a kind.
  const out = join(environment.dir, `bare-${store}-${port}-tokens.json`);
  const child = spawnBareProvider(environment, settings, port, out, store);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stopChild = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntil('bare provider', async () => {
      if (child.exitCode !== null) throw new Error(await readFile(join(environment.dir, 'bare.log'), 'utf8'));
      return (await readFile(out, 'utf8').catch(() => '')).length > 0;
    });
  } catch (error) {
    await stopChild();
    throw error;
  }
  const { refreshTokens } = JSON.parse(await readFile(out, 'utf8')) as { refreshTokens: string[] };
  const http = new HttpClient(`http://127.0.0.1:${port}`, { maxSockets: settings.concurrency * 8 });
  return {
    http,
    context: { ...environment.context, http },
    refreshTokens,
    pid: child.pid,
    stop: async () => {
      http.close();
      await stopChild();
    },
  };
}

/** The bare provider on `port`; it writes its refresh tokens to `out` once it listens. */
function spawnBareProvider(
  environment: Environment,
  settings: Settings,
  port: number,
  out: string,
  store: 'memory' | 'redis',
) {
  const logFd = openSync(join(environment.dir, 'bare.log'), 'a');
  const script = join(PROJECT_ROOT, 'dist/scripts/bench-bare-provider.js');
  // Each store's profile in its own folder: the Redis one is what Darvaze's profile compares with.
  const profiling = settings.cpuProf
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        join(environment.dir, store === 'memory' ? 'profile-bare' : 'profile-bare-redis'),
      ]
    : [];
  // The same Node flags as Darvaze's process: like with like.
  const child = spawn(process.execPath, [...PROVIDER_NODE_FLAGS, ...profiling, script], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      BARE_PORT: String(port),
      BARE_JWKS_FILE: environment.secrets.jwksFile,
      BARE_CLIENT: JSON.stringify(CLIENT_METADATA),
      BARE_TOKENS: String(settings.concurrency * 4),
      BARE_SCOPE: FULL_SCOPE,
      BARE_OUT: out,
      ...(store === 'redis' ? { BARE_REDIS_URL: environment.redis.url, BARE_REDIS_PREFIX: 'bare:' } : {}),
    },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  return child;
}
