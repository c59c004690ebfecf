/** One measured load run: its figures, how they are printed, and how runs are combined. */
import { readFile } from 'node:fs/promises';
import type { HttpClient } from '../lib/http-client.js';
import { closedLoop, type LoadResult, type Operation, openLoop } from '../lib/load.js';
import type { RedisProcess } from '../lib/redis-process.js';
import { fmt, Latencies, type LatencySummary, summarize } from '../lib/stats.js';

export interface RunReport {
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
  /** The provider's Store calls per operation: its Redis round trips (scripts count once). */
  storeCallsPerOp?: number;
  /**
   * The provider process's CPU time (user + system, /proc) per operation, ms: what an operation
   * costs it, far less moved by the machine's other load than the rate is.
   */
  providerCpuMsPerOp?: number;
}

export function report(
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

export function printRun(title: string, run: RunReport): void {
  const op = run.operation;
  console.log(
    `  ${title}: ${fmt(run.opsPerSecond)} ops/s (${run.ops} ops, ${run.errors} errors${run.dropped ? `, ${run.dropped} not started: all slots busy` : ''}, ${fmt(run.seconds)} s)` +
      `  operation p50 ${fmt(op.p50)} ms  p99 ${fmt(op.p99)} ms` +
      (run.redisCommandsPerOp ? `  (${fmt(run.redisCommandsPerOp)} Redis commands per operation)` : '') +
      (run.storeCallsPerOp
        ? `  (${fmt(run.storeCallsPerOp)} Store calls, i.e. round trips, per operation)`
        : '') +
      (run.providerCpuMsPerOp ? `  (provider CPU ${fmt(run.providerCpuMsPerOp, 2)} ms per operation)` : ''),
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
export function requestsOverall(run: RunReport): LatencySummary {
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

/** Two or more runs of the same measurement as one (throughput over their total time). */
export function combine(runs: RunReport[]): RunReport {
  const ops = runs.reduce((sum, run) => sum + run.ops, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    ops,
    seconds,
    opsPerSecond: ops / seconds,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    operation: mergeSummaries(runs.map((run) => run.operation)),
    requests: combinedRequests(runs),
    firstError: runs.find((run) => run.firstError)?.firstError,
  };
}

function combinedRequests(runs: RunReport[]): RunReport['requests'] {
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
  return requests;
}

/** Runs `load` while recording every request's latency; with `redis`, counts its commands too. */
export async function measured(
  http: HttpClient,
  load: () => Promise<LoadResult & { dropped?: number }>,
  targetRate?: number,
  redis?: RedisProcess,
  providerPid?: number,
  storeCalls?: () => Promise<number>,
): Promise<RunReport> {
  const latencies = new Latencies();
  const before = redis ? await commandsProcessed(redis) : 0;
  const callsBefore = storeCalls ? await storeCalls() : 0;
  const cpuBefore = providerPid ? await cpuMs(providerPid) : undefined;
  http.recorder = latencies.record;
  try {
    const result = report(await load(), latencies, targetRate);
    if (redis)
      result.redisCommandsPerOp = ((await commandsProcessed(redis)) - before) / Math.max(1, result.ops);
    if (storeCalls) result.storeCallsPerOp = ((await storeCalls()) - callsBefore) / Math.max(1, result.ops);
    if (providerPid && cpuBefore !== undefined) {
      const cpuAfter = await cpuMs(providerPid);
      if (cpuAfter !== undefined)
        result.providerCpuMsPerOp = (cpuAfter - cpuBefore) / Math.max(1, result.ops);
    }
    return result;
  } finally {
    http.recorder = undefined;
  }
}

/**
 * The two runs every throughput phase makes: as fast as `concurrency` workers go (closed loop),
 * then an open loop offering half that rate, where latency is what a person would see.
 */
export async function peakAndHalf(options: {
  http: HttpClient;
  concurrency: number;
  durationMs: number;
  /** What one operation is; `slot` tells a worker's or an arrival's own state apart. */
  operation: Operation;
  /** Plural noun of the rate, for the printed line ("grants", "sign-ins"). */
  unit: string;
  /** What the peak's workers are ("concurrent clients"). */
  workers: string;
  redis?: RedisProcess;
  /** The provider process, for its CPU time per operation. */
  providerPid?: number;
  /** The provider's Store calls so far (Environment.storeCalls), for its round trips per operation. */
  storeCalls?: () => Promise<number>;
}): Promise<{ peak: RunReport; half: RunReport }> {
  const { http, concurrency, durationMs, operation, redis, providerPid, storeCalls } = options;
  const peak = await measured(
    http,
    () => closedLoop({ concurrency, durationMs, operation }),
    undefined,
    redis,
    providerPid,
    storeCalls,
  );
  printRun(`peak, ${concurrency} ${options.workers}`, peak);
  const rate = Math.max(1, Math.round(peak.opsPerSecond / 2));
  const half = await measured(
    http,
    () => openLoop({ ratePerSecond: rate, durationMs, maxInFlight: concurrency * 4, operation }),
    rate,
    undefined,
    providerPid,
  );
  printRun(`half of peak (${rate} ${options.unit}/s offered)`, half);
  return { peak, half };
}

/** A process's CPU time so far (user + system), ms; undefined where /proc is not. */
async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ, the unit of /proc's CPU times (100 on every common build). */
const CLOCK_TICKS_PER_SECOND = 100;

async function commandsProcessed(redis: RedisProcess): Promise<number> {
  return Number((await redis.info('stats')).total_commands_processed ?? 0);
}
