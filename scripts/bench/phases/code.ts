/**
 * Phase 4: /token authorization_code exchanges (PKCE, ES256 ID token; codes minted by SSO /auth)
 * on the Redis provider and on a second provider with the in-memory store, in alternating halves
 * so that a burst of other work on the machine does not favour one store.
 */
import { join } from 'node:path';
import {
  authorizeWithSession,
  type BenchBrowser,
  exchangeCode,
  type JourneyContext,
} from '../../lib/bench-journey.js';
import { HttpClient } from '../../lib/http-client.js';
import { closedLoop } from '../../lib/load.js';
import { fmt, Latencies } from '../../lib/stats.js';
import { firstSignIn, RETURNING_SCOPE } from '../bench-client.js';
import { type Environment, startProvider } from '../environment.js';
import { profiles } from '../profiles.js';
import type { Results } from '../results.js';
import { combine, printRun, type RunReport, report } from '../run-report.js';
import type { Settings } from '../settings.js';

export async function codePhase(
  environment: Environment,
  settings: Settings,
  sessions: BenchBrowser[],
  results: Results,
): Promise<void> {
  console.log('\n4. /token authorization_code exchanges (PKCE, ES256 ID token; codes minted by SSO /auth)');
  const memoryEnv: Record<string, string> = {
    ...environment.env,
    DATA_DIR: join(environment.dir, 'data-memory'),
  };
  delete memoryEnv.REDIS_URL;
  const memoryProvider = await startProvider(environment.dir, memoryEnv, 'provider-memory', settings);
  const memoryHttp = new HttpClient(memoryProvider.url, { maxSockets: settings.concurrency * 8 });
  try {
    const memoryContext: JourneyContext = { ...environment.context, http: memoryHttp };
    const memorySessions = await newUsers(memoryContext, environment, settings.concurrency);
    const redisSide = { http: environment.http, context: environment.context, sessions };
    const memorySide = { http: memoryHttp, context: memoryContext, sessions: memorySessions };
    const redisRuns: RunReport[] = [];
    const memoryRuns: RunReport[] = [];
    for (let round = 0; round < 2; round++) {
      redisRuns.push(await codeRuns(redisSide, settings.concurrency, settings.durationMs / 2));
      memoryRuns.push(await codeRuns(memorySide, settings.concurrency, settings.durationMs / 2));
    }
    results.code = { redis: combine(redisRuns), memory: combine(memoryRuns) };
    printRun('Redis store', results.code.redis);
    printRun('in-memory store', results.code.memory);
    const ratio = results.code.redis.opsPerSecond / results.code.memory.opsPerSecond;
    console.log(`  Redis / in-memory throughput = ${fmt(ratio, 2)}`);
  } finally {
    memoryHttp.close();
    await memoryProvider.stop('SIGTERM');
    if (settings.cpuProf)
      results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'provider-memory')) };
  }
}

/** `count` first sign-ins on the in-memory provider (its store has no accounts: identity step too). */
async function newUsers(
  context: JourneyContext,
  environment: Environment,
  count: number,
): Promise<BenchBrowser[]> {
  const sessions: BenchBrowser[] = [];
  let index = 0;
  await closedLoop({
    concurrency: count,
    durationMs: 120_000,
    maxOps: count,
    operation: async () => {
      const { signed } = await firstSignIn(context, environment.citizens, index++);
      sessions.push(signed.browser);
    },
  });
  return sessions;
}

interface Side {
  http: HttpClient;
  context: JourneyContext;
  /** Browsers with a session, to mint codes through SSO. */
  sessions: BenchBrowser[];
}

/** Mints codes in batches through SSO (/auth with a session) and times only their exchange. */
async function codeRuns(side: Side, concurrency: number, durationMs: number): Promise<RunReport> {
  if (side.sessions.length === 0) throw new Error('no browser sessions to mint codes with');
  const latencies = new Latencies();
  const total = {
    ops: 0,
    errors: 0,
    seconds: 0,
    latencies: [] as number[],
    firstError: undefined as string | undefined,
  };
  const batch = Math.max(500, concurrency * 50);
  while (total.seconds * 1000 < durationMs) {
    const codes = await mintCodes(side, batch);
    side.http.recorder = latencies.record;
    let next = 0;
    const result = await closedLoop({
      concurrency,
      durationMs: 3_600_000,
      maxOps: codes.length,
      operation: async () => {
        const { code, verifier } = codes[next++] as { code: string; verifier: string };
        await exchangeCode(side.context, code, verifier);
      },
    });
    side.http.recorder = undefined;
    total.ops += result.ops;
    total.errors += result.errors;
    total.seconds += result.seconds;
    total.latencies.push(...result.latencies);
    total.firstError ??= result.firstError;
  }
  // Only the /token requests were recorded.
  return report({ ...total, opsPerSecond: total.ops / total.seconds }, latencies);
}

/** About `batch` codes, minted by the side's browsers in parallel. */
async function mintCodes(side: Side, batch: number): Promise<Array<{ code: string; verifier: string }>> {
  const codes: Array<{ code: string; verifier: string }> = [];
  let minted = 0;
  await Promise.all(
    side.sessions.map(async (browser) => {
      while (minted < batch) {
        minted += 1;
        codes.push(await authorizeWithSession(side.context, browser, RETURNING_SCOPE));
      }
    }),
  );
  return codes;
}
