/**
 * Darvaze benchmark: one provider process (`node dist/src/main.js`) on its own redis-server, with
 * the identity simulator (generated citizens) and a fake Kavenegar, loaded by a keep-alive load
 * generator in this process. Measures
 *   1. returning-user sign-ins per second (every page, SMS code from the fake gateway, code
 *      exchange at /token) — closed loop for the peak, then an open loop at half of it for latency;
 *   2. /token refresh grants per second (ES256 ID tokens, rotation) — same two runs;
 *   3. the same refresh grants on bare oidc-provider (in-memory adapter, same key and client): the ceiling;
 *   4. /token authorization_code exchanges per second on Redis and on the in-memory store;
 *   5. Redis memory per signed-in user (INFO used_memory delta over --users users, with a
 *      per-key-family breakdown).
 *
 *   npm run build && node dist/scripts/bench.js [--users 10000] [--concurrency 32] [--duration 15]
 *     [--phases memory,signin,refresh,bare,code] [--cpu-prof] [--json out.json] [--quick] [--keep]
 *     [--env KEY=VALUE …]   (extra provider environment, e.g. --env LOG_LEVEL=warn)
 *
 * `--cpu-prof` runs the provider with V8's CPU profiler and prints where its time went (run one
 * phase at a time for a clean profile, e.g. `--phases signin --cpu-prof`). Rate limits are raised
 * through the provider's environment and every virtual user has its own X-Forwarded-For address
 * (TRUST_PROXY=true), so limits never throttle the benchmark.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClientMetadata } from 'oidc-provider';
import { createAccountRepository } from '../src/accounts/account-repository.js';
import { createPersonalDataCipher } from '../src/accounts/personal-data-cipher.js';
import { parseEncryptionKeys, parseIndexKey } from '../src/composition/secrets.js';
import { startIdentitySimulatorServer } from '../src/identity/simulator.js';
import { RedisStore } from '../src/store/redis-store.js';
import { Mobile } from '../src/validation/mobile.js';
import { NationalCode } from '../src/validation/national-code.js';
import {
  authorizeWithSession,
  type BenchBrowser,
  type BenchClient,
  exchangeCode,
  type JourneyContext,
  jwtAlg,
  refresh,
  signIn,
} from './lib/bench-journey.js';
import { generateCitizens } from './lib/citizens.js';
import { startFakeSmsGateway } from './lib/fake-sms-gateway.js';
import { HttpClient } from './lib/http-client.js';
import { closedLoop, type LoadResult, openLoop } from './lib/load.js';
import { freePort, isEntryPoint, waitUntil } from './lib/ports.js';
import { PROJECT_ROOT, type ProviderProcess, spawnProvider } from './lib/provider-process.js';
import { type RedisProcess, startRedisProcess } from './lib/redis-process.js';
import { createSharedSecrets, type SharedSecrets } from './lib/shared-secrets.js';
import { fmt, Latencies, type LatencySummary, summarize } from './lib/stats.js';

const PHASES = ['memory', 'signin', 'refresh', 'bare', 'code'] as const;
type Phase = (typeof PHASES)[number];

interface Settings {
  users: number;
  concurrency: number;
  durationMs: number;
  phases: Set<Phase>;
  cpuProf: boolean;
  json?: string;
  keep: boolean;
  /** Extra provider environment (`--env KEY=VALUE`), e.g. LOG_LEVEL=warn for an experiment. */
  providerEnv: Record<string, string>;
}

const CLIENT: BenchClient = {
  clientId: 'bench',
  clientSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
  // Never contacted: the load generator stops at the callback, as the relying party's server would.
  redirectUri: 'http://127.0.0.1:9/cb',
};
const FULL_SCOPE = 'openid profile phone offline_access';
const RETURNING_SCOPE = 'openid profile phone';
const IDENTITY_TOKEN = 'bench-identity-token';
const KEY_PREFIX = 'darvaze:';

const CLIENT_METADATA: ClientMetadata = {
  client_id: CLIENT.clientId,
  client_secret: CLIENT.clientSecret,
  client_name: 'Benchmark site',
  redirect_uris: [CLIENT.redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: FULL_SCOPE,
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: 'ES256',
};

/** Limits far above what the benchmark reaches: it measures throughput, not the limits. */
const BENCH_LIMITS = {
  SMS_PER_MOBILE_HOUR: '100000',
  SMS_PER_MOBILE_DAY: '100000',
  SMS_PER_ADDRESS_HOUR: '100000',
  SMS_GLOBAL_PER_HOUR: '100000000',
  SMS_COOLDOWN_SECONDS: '1',
  IDENTITY_CHECKS_PER_DAY: '1000',
};

/** A distinct client address per virtual user (10.0.0.0/8). */
/** The `index`-th citizen's first sign-in at the bench site (with consent) and its code exchange. */
async function firstSignIn(
  context: JourneyContext,
  citizens: ReturnType<typeof generateCitizens>,
  index: number,
) {
  const signed = await signIn(context, citizens[index] as (typeof citizens)[number], {
    scope: FULL_SCOPE,
    prompt: 'consent',
    address: addressOf(index),
  });
  return { signed, tokens: await exchangeCode(context, signed.code, signed.verifier) };
}

const addressOf = (index: number) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;

interface RunReport {
  opsPerSecond: number;
  ops: number;
  errors: number;
  seconds: number;
  operation: LatencySummary;
  requests: Record<string, LatencySummary & { statuses: Record<string, number> }>;
  firstError?: string;
  dropped?: number;
  targetRate?: number;
  /** Redis commands the provider sent per operation (INFO stats delta; includes the generator's few reads). */
  redisCommandsPerOp?: number;
}

function report(
  result: LoadResult & { dropped?: number },
  latencies: Latencies,
  targetRate?: number,
): RunReport {
  const requests: RunReport['requests'] = {};
  for (const label of latencies.labels()) {
    requests[label] = { ...latencies.summary(label), statuses: latencies.statusCounts(label) };
  }
  return {
    opsPerSecond: result.opsPerSecond,
    ops: result.ops,
    errors: result.errors,
    seconds: result.seconds,
    operation: summarize(result.latencies),
    requests,
    firstError: result.firstError,
    dropped: result.dropped,
    targetRate,
  };
}

function printRun(title: string, run: RunReport): void {
  const op = run.operation;
  console.log(
    `  ${title}: ${fmt(run.opsPerSecond)} ops/s (${run.ops} ops, ${run.errors} errors${run.dropped ? `, ${run.dropped} not started: all slots busy` : ''}, ${fmt(run.seconds)} s)` +
      `  operation p50 ${fmt(op.p50)} ms  p99 ${fmt(op.p99)} ms` +
      (run.redisCommandsPerOp ? `  (${fmt(run.redisCommandsPerOp)} Redis commands per operation)` : ''),
  );
  for (const [label, summary] of Object.entries(run.requests)) {
    const statuses = Object.entries(summary.statuses)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
    console.log(
      `      ${label.padEnd(18)} n=${String(summary.count).padEnd(7)} p50 ${fmt(summary.p50).padStart(6)} ms  p99 ${fmt(summary.p99).padStart(6)} ms  max ${fmt(summary.max).padStart(7)} ms  [${statuses}]`,
    );
  }
  if (run.firstError) console.log(`      first error: ${run.firstError}`);
}

/** All requests of a run together (every page and /token call), for the "p99 at half load" target. */
function requestsOverall(run: RunReport): LatencySummary {
  return mergeSummaries(Object.values(run.requests));
}

function mergeSummaries(list: LatencySummary[]): LatencySummary {
  // Approximation for printing only; the exact per-label numbers are above.
  const count = list.reduce((sum, entry) => sum + entry.count, 0);
  return {
    count,
    p50: Math.max(0, ...list.map((entry) => entry.p50)),
    p90: Math.max(0, ...list.map((entry) => entry.p90)),
    p99: Math.max(0, ...list.map((entry) => entry.p99)),
    max: Math.max(0, ...list.map((entry) => entry.max)),
    mean: count ? list.reduce((sum, entry) => sum + entry.mean * entry.count, 0) / count : 0,
  };
}

interface Environment {
  dir: string;
  redis: RedisProcess;
  secrets: SharedSecrets;
  provider: ProviderProcess;
  http: HttpClient;
  context: JourneyContext;
  env: Record<string, string>;
  citizens: ReturnType<typeof generateCitizens>;
  cleanups: Array<() => Promise<unknown>>;
}

async function startProvider(
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

async function setUp(settings: Settings): Promise<Environment> {
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
  const env: Record<string, string> = {
    NODE_ENV: 'test',
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
  return {
    dir,
    redis,
    secrets,
    provider,
    http,
    context: { http, sms, client: CLIENT },
    env,
    citizens,
    cleanups,
  };
}

async function usedMemory(redis: RedisProcess): Promise<number> {
  const client = redis.client();
  try {
    // Let lazy frees and the allocator settle before reading.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const info = await client.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

interface KeyFamily {
  family: string;
  keys: number;
  bytes: number;
  /** Longest TTL seen, seconds; -1: some keys never expire. */
  maxTtl: number;
  kind: 'resident' | 'transient' | 'shared';
}

/** Every key by family, with its MEMORY USAGE total and TTL; `remove` deletes the families it selects. */
async function keyBreakdown(
  redis: RedisProcess,
  remove?: (family: KeyFamily) => boolean,
): Promise<KeyFamily[]> {
  const client = redis.client();
  const families = new Map<string, KeyFamily & { members: string[] }>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'COUNT', 2000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = client.pipeline();
      for (const key of keys) {
        pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
        pipeline.ttl(key);
      }
      const replies = (await pipeline.exec()) ?? [];
      keys.forEach((key, index) => {
        const bytes = Number(replies[index * 2]?.[1] ?? 0);
        const ttl = Number(replies[index * 2 + 1]?.[1] ?? -1);
        const family = keyFamily(key);
        const entry = families.get(family) ?? {
          family,
          keys: 0,
          bytes: 0,
          maxTtl: 0,
          kind: 'transient',
          members: [],
        };
        entry.keys += 1;
        entry.bytes += bytes;
        entry.maxTtl = entry.maxTtl === -1 || ttl === -1 ? -1 : Math.max(entry.maxTtl, ttl);
        if (remove) entry.members.push(key);
        families.set(family, entry);
      });
    } while (cursor !== '0');
    const result = [...families.values()].map((entry) => {
      entry.kind = SHARED_FAMILIES.some((pattern) => pattern.test(entry.family))
        ? 'shared'
        : !PER_SIGN_IN_FAMILIES.some((pattern) => pattern.test(entry.family)) &&
            (entry.maxTtl === -1 || entry.maxTtl >= RESIDENT_MIN_TTL_SECONDS - 600)
          ? 'resident'
          : 'transient';
      return entry;
    });
    if (remove) {
      for (const entry of result.filter(remove)) {
        for (let i = 0; i < entry.members.length; i += 1000)
          await client.del(...entry.members.slice(i, i + 1000));
      }
    }
    return result.map(({ members: _members, ...entry }) => entry).sort((a, b) => b.bytes - a.bytes);
  } finally {
    client.disconnect();
  }
}

function ttlText(seconds: number): string {
  if (seconds === -1) return 'no expiry';
  if (seconds <= 3600) return `≤ ${Math.max(1, Math.ceil(seconds / 60))} min`;
  if (seconds <= 86_400) return `≤ ${Math.ceil(seconds / 3600)} h`;
  return `≤ ${Math.ceil(seconds / 86_400)} d`;
}

/**
 * A key's family: ids (hash tags, random or hashed segments, window numbers) replaced by `*`,
 * words (lower-case names, oidc-provider model names) kept.
 */
function keyFamily(key: string): string {
  const segments = key.split(':');
  return segments
    .map((segment, index) => {
      if (segment.includes('{')) return segment.replace(/\{[^}]*\}/g, '{*}');
      if (/^[a-z][a-z-]*$/.test(segment)) return segment;
      // oidc-provider model names (`oidc:RefreshToken:{…}`); anywhere else such a segment is an id.
      if (segments[index - 1] === 'oidc' && /^[A-Z][A-Za-z]+$/.test(segment)) return segment;
      return '*';
    })
    .join(':');
}

/** Bounded, shared structures (capped logs, per-client indexes): not part of any user's cost. */
const SHARED_FAMILIES = [/audit:security$/, /admin:client-grants/];
/** Per sign-in counters that outlive the 12 h mark but not a day: they go, users stay. */
const PER_SIGN_IN_FAMILIES = [/:sms:/, /:limit:/];
/** What a signed-in user keeps: account and indexes, consent/grant, refresh token, session. */
const RESIDENT_MIN_TTL_SECONDS = 12 * 3600;

/** How many members the grant-index sets hold (they list every token a grant ever had). */
async function grantIndexSizes(
  redis: RedisProcess,
): Promise<{ sets: number; averageMembers: number; maxMembers: number }> {
  const client = redis.client();
  let sets = 0;
  let members = 0;
  let maxMembers = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `${KEY_PREFIX}oidc:grant-index:*`,
        'COUNT',
        2000,
      );
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.scard(key);
      for (const [, count] of (await pipeline.exec()) ?? []) {
        sets += 1;
        members += Number(count);
        maxMembers = Math.max(maxMembers, Number(count));
      }
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return { sets, averageMembers: sets ? members / sets : 0, maxMembers };
}

/** Accounts written straight through the app's AccountRepository with the provider's secrets. */
async function registerAccounts(
  environment: Environment,
  count: number,
  concurrency: number,
): Promise<number> {
  const store = new RedisStore({ url: environment.redis.url, keyPrefix: KEY_PREFIX }, Date.now);
  const cipher = createPersonalDataCipher({
    keys: parseEncryptionKeys(environment.secrets.dataEncryptionKeys),
    indexKey: parseIndexKey(environment.secrets.dataIndexKey),
  });
  const accounts = createAccountRepository({ store, cipher });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const citizen = environment.citizens[next++];
        if (!citizen) break;
        await accounts.saveVerified({
          mobile: Mobile.parse(citizen.mobile)!,
          nationalCode: NationalCode.fromDigits(citizen.nationalCode)!,
          person: {
            firstName: citizen.person.firstName,
            lastName: citizen.person.lastName,
            fatherName: citizen.person.fatherName,
            gender: citizen.person.gender,
            birthDateJalali: citizen.person.birthDate,
          },
          source: 'identity-service',
        });
      }
    }),
  );
  await store.close();
  return count / ((performance.now() - started) / 1000);
}

interface Results {
  machine: Record<string, unknown>;
  settings: Record<string, unknown>;
  memory?: Record<string, unknown>;
  firstSignIns?: RunReport;
  signIn?: { peak: RunReport; half: RunReport };
  refresh?: {
    peak: RunReport;
    half: RunReport;
    bytesPerRefresh: number;
    keptBytesPerRefresh: number;
    grantIndex: { sets: number; averageMembers: number; maxMembers: number };
  };
  bare?: { peak: RunReport; half: RunReport };
  code?: { redis: RunReport; memory: RunReport };
  profiles?: Record<string, ProfileLine[]>;
}

async function run(settings: Settings): Promise<Results> {
  const results: Results = {
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      redis: redisVersion(),
      loadavgBefore: loadavg().map((value) => Number(value.toFixed(2))),
    },
    settings: {
      users: settings.users,
      concurrency: settings.concurrency,
      durationSeconds: settings.durationMs / 1000,
      phases: [...settings.phases],
    },
  };
  console.log(
    `darvaze bench: ${results.machine.cpus} CPU (${results.machine.cpu}), node ${process.version}, ${results.machine.redis}; load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `settings: ${settings.users} users, concurrency ${settings.concurrency}, ${settings.durationMs / 1000} s per run, phases ${[...settings.phases].join(',')}\n`,
  );
  const environment = await setUp(settings);
  const { context, citizens, http } = environment;
  const C = settings.concurrency;
  const chains: string[] = [];
  let sessions: BenchBrowser[] = [];

  try {
    // ---------------------------------------------------------------- 5. memory (and setup for 2)
    const signedIn = settings.phases.has('memory') ? settings.users : Math.max(C * 4, 64);
    const baseline = await usedMemory(environment.redis);
    const accountsPerSecond = await registerAccounts(environment, signedIn, 64);
    const afterAccounts = await usedMemory(environment.redis);
    console.log(
      `setup: ${signedIn} verified accounts written through AccountRepository (${fmt(accountsPerSecond, 0)}/s)`,
    );

    // First sign-in at the bench site: mobile → code → consent → callback → /token (offline_access).
    const firstLatencies = new Latencies();
    http.recorder = firstLatencies.record;
    let taken = 0;
    const first = await closedLoop({
      concurrency: C,
      durationMs: 3_600_000,
      maxOps: signedIn,
      operation: async () => {
        const { tokens } = await firstSignIn(context, citizens, taken++);
        if (!tokens.refresh_token) throw new Error('no refresh token');
        if (chains.length < C * 8) chains.push(tokens.refresh_token);
      },
    });
    http.recorder = undefined;
    results.firstSignIns = report(first, firstLatencies);
    printRun('first sign-in at a site (mobile, code, consent, /token)', results.firstSignIns);
    if (first.errors > 0 && first.ops === 0) throw new Error(`sign-ins fail: ${first.firstError}`);
    const afterSignIns = await usedMemory(environment.redis);
    if (settings.phases.has('memory')) {
      const users = first.ops;
      // What a signed-in user keeps, measured by deleting what expires within hours (interactions,
      // codes, access tokens, limit counters) and the bounded shared log, as time would.
      const breakdown = await keyBreakdown(environment.redis, (family) => family.kind !== 'resident');
      const afterExpiry = await usedMemory(environment.redis);
      const resident = breakdown.filter((entry) => entry.kind === 'resident');
      const residentUsage = resident.reduce((sum, entry) => sum + entry.bytes, 0) / users;
      const perAccount = (afterAccounts - baseline) / signedIn;
      const perUserNow = (afterSignIns - baseline) / users;
      const perUserResident = (afterExpiry - baseline) / users;
      results.memory = {
        users,
        usedMemoryBaseline: baseline,
        bytesPerAccount: perAccount,
        bytesPerUserRightAfterSignIn: perUserNow,
        bytesPerSignedInUser: perUserResident,
        residentBytesPerUserByMemoryUsage: residentUsage,
        breakdown,
      };
      console.log(`\n5. Redis memory (INFO used_memory deltas over ${users} users)`);
      console.log(
        `  verified account (sealed record + 2 blind indexes):        ${fmt(perAccount / 1024, 2)} KB per user`,
      );
      console.log(
        `  right after a first sign-in (incl. keys that expire soon): ${fmt(perUserNow / 1024, 2)} KB per user`,
      );
      console.log(
        `  signed-in user, short-lived keys gone (account, consent, grant, refresh token, session): ${fmt(perUserResident / 1024, 2)} KB per user   [target ≤ 4 KB]`,
      );
      console.log(`  (the same by MEMORY USAGE: ${fmt(residentUsage / 1024, 2)} KB per user)`);
      console.log(
        '  by key family (MEMORY USAGE per user; resident = kept for 12 h or more, not a per-sign-in counter):',
      );
      for (const entry of breakdown.slice(0, 26)) {
        console.log(
          `      ${entry.family.padEnd(44)} ${String(entry.keys).padStart(7)} keys  ${fmt(entry.bytes / users, 0).padStart(6)} B/user  ${ttlText(entry.maxTtl).padEnd(10)} ${entry.kind}`,
        );
      }
    }

    // ---------------------------------------------------------------- 1. returning-user sign-ins
    if (settings.phases.has('signin') || settings.phases.has('code')) {
      const pool = Math.min(signedIn, first.ops);
      let counter = 0;
      const recent: BenchBrowser[] = [];
      const signInOnce = async () => {
        const index = counter++ % pool;
        const citizen = citizens[index] as (typeof citizens)[number];
        const signed = await signIn(context, citizen, { scope: RETURNING_SCOPE, address: addressOf(index) });
        if (signed.pages.join() !== 'mobile,code') throw new Error(`unexpected pages ${signed.pages.join()}`);
        const tokens = await exchangeCode(context, signed.code, signed.verifier);
        if (jwtAlg(tokens.id_token) !== 'ES256') throw new Error(`ID token alg ${jwtAlg(tokens.id_token)}`);
        recent.push(signed.browser);
        if (recent.length > C * 2) recent.shift();
      };
      if (settings.phases.has('signin')) {
        console.log(
          '\n1. returning-user sign-ins (fresh browser: /auth, mobile page, POST mobile, code page, POST code, /auth resume, /token)',
        );
        const peak = await measured(
          http,
          () => closedLoop({ concurrency: C, durationMs: settings.durationMs, operation: signInOnce }),
          undefined,
          environment.redis,
        );
        printRun(`peak, ${C} concurrent users`, peak);
        const rate = Math.max(1, Math.round(peak.opsPerSecond / 2));
        const half = await measured(
          http,
          () =>
            openLoop({
              ratePerSecond: rate,
              durationMs: settings.durationMs,
              maxInFlight: C * 4,
              operation: signInOnce,
            }),
          rate,
        );
        printRun(`half of peak (${rate} sign-ins/s offered)`, half);
        results.signIn = { peak, half };
      } else {
        await closedLoop({ concurrency: C, durationMs: 60_000, maxOps: C * 2, operation: signInOnce });
      }
      sessions = recent.slice(-C);
    }

    // ---------------------------------------------------------------- 2. refresh grants
    if (settings.phases.has('refresh')) {
      console.log('\n2. /token refresh_token grants (rotation, ES256 ID token) on Darvaze + Redis');
      const kept = async () =>
        (await keyBreakdown(environment.redis))
          .filter((entry) => !/AccessToken/.test(entry.family))
          .reduce((sum, entry) => sum + entry.bytes, 0);
      const before = await usedMemory(environment.redis);
      const keptBefore = await kept();
      const result = await refreshRuns(http, context, chains, C, settings.durationMs, environment.redis);
      const grown = (await usedMemory(environment.redis)) - before;
      const grants = result.peak.ops + result.half.ops;
      const perRefresh = grown / Math.max(1, grants);
      const keptPerRefresh = ((await kept()) - keptBefore) / Math.max(1, grants);
      const index = await grantIndexSizes(environment.redis);
      results.refresh = {
        ...result,
        bytesPerRefresh: perRefresh,
        keptBytesPerRefresh: keptPerRefresh,
        grantIndex: index,
      };
      console.log(
        `  Redis growth per refresh grant: ${fmt(perRefresh, 0)} B (used_memory), of which ${fmt(keptPerRefresh, 0)} B outlive the 15-min access token (MEMORY USAGE)`,
      );
      console.log(
        `  grant-index sets: ${index.sets}, ${fmt(index.averageMembers, 1)} members on average, ${index.maxMembers} at most.` +
          " A consumed refresh token is kept until its chain expires (replay detection) and every token stays in its grant's index:" +
          ` a client refreshing every 15 min keeps ~${fmt((keptPerRefresh * 96 * 30) / 1024 / 1024, 1)} MB per user after 30 days.`,
      );
    }

    // ---------------------------------------------------------------- 3. bare oidc-provider
    if (settings.phases.has('bare')) {
      console.log(
        '\n3. the same refresh grants on bare oidc-provider (in-memory adapter, same ES256 key and client)',
      );
      results.bare = await bareRuns(environment, settings);
      if (settings.cpuProf)
        results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'bare')) };
      if (results.refresh) {
        const ratio = results.bare.peak.opsPerSecond / results.refresh.peak.opsPerSecond;
        console.log(`  cost ratio Darvaze / bare = ${fmt(ratio, 2)}×   [target ≤ 1.3×]`);
      }
    }

    // ---------------------------------------------------------------- 4. code exchange, Redis vs memory
    if (settings.phases.has('code')) {
      console.log(
        '\n4. /token authorization_code exchanges (PKCE, ES256 ID token; codes minted by SSO /auth)',
      );
      const memoryEnv: Record<string, string> = {
        ...environment.env,
        DATA_DIR: join(environment.dir, 'data-memory'),
      };
      delete memoryEnv.REDIS_URL;
      const memoryProvider = await startProvider(environment.dir, memoryEnv, 'provider-memory', settings);
      const memoryHttp = new HttpClient(memoryProvider.url, { maxSockets: C * 8 });
      try {
        const memoryContext: JourneyContext = { ...context, http: memoryHttp };
        const memorySessions: BenchBrowser[] = [];
        let index = 0;
        await closedLoop({
          concurrency: C,
          durationMs: 120_000,
          maxOps: C,
          operation: async () => {
            // A new user on this provider (its memory store has no accounts): identity step too.
            const { signed } = await firstSignIn(memoryContext, citizens, index++);
            memorySessions.push(signed.browser);
          },
        });
        // Alternating halves, so a burst of other work on the machine does not favour one store.
        const half = settings.durationMs / 2;
        const redisRuns: RunReport[] = [];
        const memoryRuns: RunReport[] = [];
        for (let round = 0; round < 2; round++) {
          redisRuns.push(await codeRuns(http, context, sessions, C, half));
          memoryRuns.push(await codeRuns(memoryHttp, memoryContext, memorySessions, C, half));
        }
        const onRedis = combine(redisRuns);
        const inMemory = combine(memoryRuns);
        printRun('Redis store', onRedis);
        printRun('in-memory store', inMemory);
        console.log(
          `  Redis / in-memory throughput = ${fmt(onRedis.opsPerSecond / inMemory.opsPerSecond, 2)}`,
        );
        results.code = { redis: onRedis, memory: inMemory };
      } finally {
        memoryHttp.close();
        await memoryProvider.stop('SIGTERM');
        if (settings.cpuProf)
          results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'provider-memory')) };
      }
    }
  } finally {
    http.close();
    await environment.provider.stop('SIGTERM');
    if (settings.cpuProf) {
      results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'provider-redis')) };
    }
    results.machine.loadavgAfter = loadavg().map((value) => Number(value.toFixed(2)));
    for (const cleanup of environment.cleanups.reverse()) await cleanup().catch(() => {});
    if (settings.keep) console.log(`\nkept ${environment.dir} (logs, keys, profiles)`);
  }
  printSummary(results);
  return results;
}

async function measured(
  http: HttpClient,
  load: () => Promise<LoadResult & { dropped?: number }>,
  targetRate?: number,
  redis?: RedisProcess,
): Promise<RunReport> {
  const latencies = new Latencies();
  const before = redis ? await commandsProcessed(redis) : 0;
  http.recorder = latencies.record;
  try {
    const result = report(await load(), latencies, targetRate);
    if (redis)
      result.redisCommandsPerOp = ((await commandsProcessed(redis)) - before) / Math.max(1, result.ops);
    return result;
  } finally {
    http.recorder = undefined;
  }
}

async function commandsProcessed(redis: RedisProcess): Promise<number> {
  return Number((await redis.info('stats')).total_commands_processed ?? 0);
}

async function refreshRuns(
  http: HttpClient,
  context: JourneyContext,
  chains: string[],
  concurrency: number,
  durationMs: number,
  redis?: RedisProcess,
): Promise<{ peak: RunReport; half: RunReport }> {
  if (chains.length < concurrency * 4)
    throw new Error(`only ${chains.length} refresh tokens for ${concurrency * 4} slots`);
  let checked = false;
  const refreshSlot = async (slot: number) => {
    const tokens = await refresh(context, chains[slot] as string);
    if (!tokens.refresh_token) throw new Error('no rotated refresh token');
    if (!checked) {
      if (jwtAlg(tokens.id_token) !== 'ES256') throw new Error(`ID token alg ${jwtAlg(tokens.id_token)}`);
      checked = true;
    }
    chains[slot] = tokens.refresh_token;
  };
  const peak = await measured(
    http,
    () => closedLoop({ concurrency, durationMs, operation: (worker) => refreshSlot(worker) }),
    undefined,
    redis,
  );
  printRun(`peak, ${concurrency} concurrent clients`, peak);
  const rate = Math.max(1, Math.round(peak.opsPerSecond / 2));
  const half = await measured(
    http,
    () =>
      openLoop({
        ratePerSecond: rate,
        durationMs,
        maxInFlight: concurrency * 4,
        operation: (slot) => refreshSlot(slot),
      }),
    rate,
  );
  printRun(`half of peak (${rate} grants/s offered)`, half);
  return { peak, half };
}

async function bareRuns(
  environment: Environment,
  settings: Settings,
): Promise<{ peak: RunReport; half: RunReport }> {
  const port = await freePort();
  const out = join(environment.dir, 'bare-tokens.json');
  const logFd = openSync(join(environment.dir, 'bare.log'), 'a');
  const script = join(PROJECT_ROOT, 'dist/scripts/bench-bare-provider.js');
  const child = spawn(
    process.execPath,
    [
      ...(settings.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(environment.dir, 'profile-bare')] : []),
      script,
    ],
    {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        BARE_PORT: String(port),
        BARE_JWKS_FILE: environment.secrets.jwksFile,
        BARE_CLIENT: JSON.stringify(CLIENT_METADATA),
        BARE_TOKENS: String(settings.concurrency * 4),
        BARE_SCOPE: FULL_SCOPE,
        BARE_OUT: out,
      },
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitUntil('bare provider', async () => {
      if (child.exitCode !== null) throw new Error(await readFile(join(environment.dir, 'bare.log'), 'utf8'));
      return (await readFile(out, 'utf8').catch(() => '')).length > 0;
    });
    const { refreshTokens } = JSON.parse(await readFile(out, 'utf8')) as { refreshTokens: string[] };
    const http = new HttpClient(`http://127.0.0.1:${port}`, { maxSockets: settings.concurrency * 8 });
    try {
      return await refreshRuns(
        http,
        { ...environment.context, http },
        refreshTokens,
        settings.concurrency,
        settings.durationMs,
      );
    } finally {
      http.close();
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Two or more runs of the same measurement as one (throughput over their total time). */
function combine(runs: RunReport[]): RunReport {
  const ops = runs.reduce((sum, run) => sum + run.ops, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const requests: RunReport['requests'] = {};
  for (const label of new Set(runs.flatMap((run) => Object.keys(run.requests)))) {
    const parts = runs.map((run) => run.requests[label]).filter((part) => part !== undefined);
    const statuses: Record<string, number> = {};
    for (const part of parts) {
      for (const [status, count] of Object.entries(part.statuses))
        statuses[status] = (statuses[status] ?? 0) + count;
    }
    requests[label] = { ...mergeSummaries(parts), statuses };
  }
  return {
    ops,
    seconds,
    opsPerSecond: ops / seconds,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    operation: mergeSummaries(runs.map((run) => run.operation)),
    requests,
    firstError: runs.find((run) => run.firstError)?.firstError,
  };
}

/** Mints codes in batches through SSO (/auth with a session) and times only their exchange. */
async function codeRuns(
  http: HttpClient,
  context: JourneyContext,
  sessions: BenchBrowser[],
  concurrency: number,
  durationMs: number,
): Promise<RunReport> {
  if (sessions.length === 0) throw new Error('no browser sessions to mint codes with');
  const latencies = new Latencies();
  const all: number[] = [];
  let ops = 0;
  let errors = 0;
  let seconds = 0;
  let firstError: string | undefined;
  const batch = Math.max(500, concurrency * 50);
  while (seconds * 1000 < durationMs) {
    const codes: Array<{ code: string; verifier: string }> = [];
    let minted = 0;
    await Promise.all(
      sessions.map(async (browser) => {
        while (minted < batch) {
          minted += 1;
          codes.push(await authorizeWithSession(context, browser, RETURNING_SCOPE));
        }
      }),
    );
    http.recorder = latencies.record;
    let next = 0;
    const result = await closedLoop({
      concurrency,
      durationMs: 3_600_000,
      maxOps: codes.length,
      operation: async () => {
        const { code, verifier } = codes[next++] as { code: string; verifier: string };
        await exchangeCode(context, code, verifier);
      },
    });
    http.recorder = undefined;
    ops += result.ops;
    errors += result.errors;
    seconds += result.seconds;
    all.push(...result.latencies);
    firstError ??= result.firstError;
  }
  // Only the /token requests were recorded.
  return report({ ops, errors, seconds, opsPerSecond: ops / seconds, latencies: all, firstError }, latencies);
}

// ------------------------------------------------------------------------------- CPU profiles

interface ProfileLine {
  selfPercent: number;
  selfMs: number;
  where: string;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

async function profiles(dir: string, label: string): Promise<Record<string, ProfileLine[]>> {
  const folder = join(dir, `profile-${label}`);
  const files = (await readdir(folder).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.cpuprofile'),
  );
  const result: Record<string, ProfileLine[]> = {};
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as CpuProfile;
    const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
    const selfTime = new Map<string, number>();
    const byModule = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0;
      const frame = byNode.get(id)?.callFrame;
      if (!frame) return;
      total += delta;
      const file = frame.url.replace(/^file:\/\//, '').replace(PROJECT_ROOT, '');
      const where =
        `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
      selfTime.set(where, (selfTime.get(where) ?? 0) + delta);
      const module = moduleOf(file, frame.functionName);
      byModule.set(module, (byModule.get(module) ?? 0) + delta);
    });
    const lines = (map: Map<string, number>, top: number) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([where, micros]) => ({ selfPercent: (micros / total) * 100, selfMs: micros / 1000, where }));
    result[`${label} by module`] = lines(byModule, 20);
    result[`${label} by function`] = lines(selfTime, 30);
  }
  return result;
}

function moduleOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1] as string;
  if (file.startsWith('node:')) return file.split('/')[0] as string;
  const own = /\/(?:dist\/)?(src\/[^/]+)/.exec(file);
  return own ? (own[1] as string) : file;
}

// ------------------------------------------------------------------------------------ summary

function printSummary(results: Results): void {
  console.log('\nsummary (targets for one provider process)');
  const line = (name: string, value: string, target: string, ok?: boolean) =>
    console.log(
      `  ${name.padEnd(44)} ${value.padEnd(26)} ${target.padEnd(16)} ${ok === undefined ? '' : ok ? 'met' : 'MISSED'}`,
    );
  if (results.signIn) {
    const peak = results.signIn.peak.opsPerSecond;
    line('returning-user sign-ins/s (peak)', fmt(peak), '≥ 150', peak >= 150);
    const p99 = requestsOverall(results.signIn.half).p99;
    line('  p99 per request at half load', `${fmt(p99)} ms (worst page)`, '< 50 ms', p99 < 50);
    line('  p99 whole sign-in at half load', `${fmt(results.signIn.half.operation.p99)} ms`, '', undefined);
  }
  if (results.refresh) {
    const peak = results.refresh.peak.opsPerSecond;
    line('refresh grants/s (peak, ES256)', fmt(peak), '≥ 1500', peak >= 1500);
    const p99 = results.refresh.half.requests['token-refresh']?.p99 ?? 0;
    line('  p99 at half load', `${fmt(p99)} ms`, '< 50 ms', p99 < 50);
  }
  if (results.bare) {
    line(
      'bare oidc-provider refresh grants/s (peak)',
      fmt(results.bare.peak.opsPerSecond),
      'ceiling',
      undefined,
    );
    if (results.refresh) {
      const ratio = results.bare.peak.opsPerSecond / results.refresh.peak.opsPerSecond;
      line('  cost ratio Darvaze / bare', `${fmt(ratio, 2)}×`, '≤ 1.3×', ratio <= 1.3);
    }
  }
  if (results.code) {
    line('code exchanges/s on Redis', fmt(results.code.redis.opsPerSecond), '', undefined);
    line('code exchanges/s on the in-memory store', fmt(results.code.memory.opsPerSecond), '', undefined);
  }
  if (results.memory) {
    const perUser = Number(results.memory.bytesPerSignedInUser);
    line('Redis per signed-in user (used_memory)', `${fmt(perUser / 1024, 2)} KB`, '≤ 4 KB', perUser <= 4096);
    line(
      '  the same by MEMORY USAGE',
      `${fmt(Number(results.memory.residentBytesPerUserByMemoryUsage) / 1024, 2)} KB`,
      '',
      undefined,
    );
    line(
      '  right after sign-in, incl. short-lived keys',
      `${fmt(Number(results.memory.bytesPerUserRightAfterSignIn) / 1024, 2)} KB`,
      '',
      undefined,
    );
  }
  if (results.refresh) {
    line(
      'Redis growth per refresh grant',
      `${fmt(results.refresh.bytesPerRefresh, 0)} B (${fmt(results.refresh.keptBytesPerRefresh, 0)} B kept)`,
      '',
      undefined,
    );
  }
  if (results.firstSignIns) {
    line('first sign-ins at a site (with consent)/s', fmt(results.firstSignIns.opsPerSecond), '', undefined);
  }
  console.log(
    `  load average before ${(results.machine.loadavgBefore as number[]).join(' ')}, after ${(results.machine.loadavgAfter as number[]).join(' ')} (other work on the machine skews the numbers)`,
  );
  for (const [title, lines] of Object.entries(results.profiles ?? {})) {
    console.log(`\nCPU profile: ${title} (self time)`);
    for (const entry of lines) console.log(`  ${fmt(entry.selfPercent).padStart(5)} %  ${entry.where}`);
  }
}

function redisVersion(): string {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    return 'redis-server not found';
  }
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      concurrency: { type: 'string', default: '32' },
      duration: { type: 'string' },
      phases: { type: 'string', default: PHASES.join(',') },
      'cpu-prof': { type: 'boolean', default: false },
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
    },
  });
  const phases = new Set(
    values.phases.split(',').map((phase) => {
      if (!(PHASES as readonly string[]).includes(phase))
        throw new Error(`unknown phase ${phase}; phases: ${PHASES.join(',')}`);
      return phase as Phase;
    }),
  );
  const settings: Settings = {
    users: Number(values.users ?? (values.quick ? 1000 : 10_000)),
    concurrency: Number(values.concurrency),
    durationMs: Number(values.duration ?? (values.quick ? 6 : 15)) * 1000,
    phases,
    cpuProf: values['cpu-prof'],
    json: values.json,
    keep: values.keep,
    providerEnv: Object.fromEntries(
      values.env.map((pair) => {
        const separator = pair.indexOf('=');
        if (separator < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
        return [pair.slice(0, separator), pair.slice(separator + 1)];
      }),
    ),
  };
  const results = await run(settings);
  if (settings.json) await writeFile(settings.json, `${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}
