/** The closing table: each figure against its target for one provider process. */
import { fmt } from '../lib/stats.js';
import type { Results } from './results.js';
import { type RunReport, requestsOverall } from './run-report.js';
import {
  MAX_BYTES_PER_SIGNED_IN_PERSON,
  MAX_COST_RATIO,
  MAX_KEPT_BYTES_PER_REFRESH,
  MAX_P99_MS,
  MIN_NORMALISED_SIGN_INS,
  MIN_REFRESH_PER_SECOND,
  MIN_SIGN_INS_PER_SECOND,
} from './targets.js';

type Line = (name: string, value: string, target: string, ok?: boolean) => void;

const line: Line = (name, value, target, ok) =>
  console.log(
    `  ${name.padEnd(44)} ${value.padEnd(26)} ${target.padEnd(16)} ${ok === undefined ? '' : ok ? 'met' : 'MISSED'}`,
  );

export function printSummary(results: Results): void {
  console.log('\nsummary (targets for one provider process)');
  signInLines(results);
  passkeyLines(results);
  refreshLines(results);
  bareLines(results);
  codeLines(results);
  memoryLines(results);
  if (results.firstSignIns) {
    line('first sign-ins at a site (with consent)/s', fmt(results.firstSignIns.opsPerSecond), '', undefined);
  }
  console.log(
    `  load average before ${(results.machine.loadavgBefore as number[]).join(' ')}, after ${(results.machine.loadavgAfter as number[]).join(' ')} (other work on the machine skews the numbers; the ratios less)`,
  );
  for (const [title, lines] of Object.entries(results.profiles ?? {})) {
    console.log(`\nCPU profile: ${title} (self time)`);
    for (const entry of lines) console.log(`  ${fmt(entry.selfPercent).padStart(5)} %  ${entry.where}`);
  }
}

function signInLines({ signIn, bare, signInSideBySide }: Results): void {
  if (!signIn) return;
  const peak = signIn.peak.opsPerSecond;
  line(
    'returning-user sign-ins/s (peak)',
    fmt(peak),
    `≥ ${MIN_SIGN_INS_PER_SECOND}`,
    peak >= MIN_SIGN_INS_PER_SECOND,
  );
  // The machine's speed factored out: per 1,000 bare (in-memory) refresh grants/s, measured in
  // alternating slices with the sign-ins (side-by-side.ts); the phases' own peaks, minutes apart,
  // are printed beneath for comparison.
  if (signInSideBySide) {
    const normalised = signInSideBySide.normalised;
    line(
      '  per 1,000 bare refresh grants/s (normalised)',
      `${fmt(normalised)} (side by side)`,
      `≥ ${MIN_NORMALISED_SIGN_INS}`,
      normalised >= MIN_NORMALISED_SIGN_INS,
    );
  }
  if (bare) {
    line(
      signInSideBySide
        ? '    the same from phases 1 and 3'
        : '  per 1,000 bare refresh grants/s (normalised)',
      fmt(peak / (bare.peak.opsPerSecond / 1000)),
      signInSideBySide ? '' : `≥ ${MIN_NORMALISED_SIGN_INS}`,
      signInSideBySide ? undefined : peak / (bare.peak.opsPerSecond / 1000) >= MIN_NORMALISED_SIGN_INS,
    );
  }
  worstPageLine(signIn.half);
  line('  p99 whole sign-in at half load', `${fmt(signIn.half.operation.p99)} ms`, '', undefined);
  cpuLine(signIn.peak);
}

/** Issue 14: passkey sign-ins per second beside the SMS ones. */
function passkeyLines({ passkey, signIn }: Results): void {
  if (!passkey) return;
  const peak = passkey.peak.opsPerSecond;
  line(
    'passkey sign-ins/s (peak)',
    signIn ? `${fmt(peak)} (${fmt(peak / signIn.peak.opsPerSecond, 2)}× the SMS ones)` : fmt(peak),
    '',
    undefined,
  );
  worstPageLine(passkey.half);
  cpuLine(passkey.peak);
}

/** The slowest page's p99 in a sign-in run at half load, against the target. */
function worstPageLine(half: RunReport): void {
  const p99 = requestsOverall(half).p99;
  line(
    '  p99 per request at half load',
    `${fmt(p99)} ms (worst page)`,
    `< ${MAX_P99_MS} ms`,
    p99 < MAX_P99_MS,
  );
}

/** Per sign-in: the provider's CPU time, Redis commands (script internals too) and round trips (Store calls). */
function cpuLine(run: RunReport): void {
  if (run.providerCpuMsPerOp === undefined) return;
  line(
    '  CPU / Redis commands / round trips',
    `${fmt(run.providerCpuMsPerOp, 2)} ms / ${fmt(run.redisCommandsPerOp ?? 0, 0)} / ${fmt(run.storeCallsPerOp ?? 0, 0)}`,
    '',
    undefined,
  );
}

function refreshLines({ refresh }: Results): void {
  if (!refresh) return;
  const peak = refresh.peak.opsPerSecond;
  line(
    'refresh grants/s (peak, ES256)',
    fmt(peak),
    `≥ ${MIN_REFRESH_PER_SECOND}`,
    peak >= MIN_REFRESH_PER_SECOND,
  );
  const p99 = refresh.half.requests['token-refresh']?.p99 ?? 0;
  line('  p99 at half load', `${fmt(p99)} ms`, `< ${MAX_P99_MS} ms`, p99 < MAX_P99_MS);
  const kept = refresh.keptBytesPerRefresh;
  line(
    '  Redis kept per refresh grant (AT lapsed)',
    `${fmt(kept, 0)} B (${fmt(refresh.bytesPerRefresh, 0)} B with the AT)`,
    `≤ ${MAX_KEPT_BYTES_PER_REFRESH} B`,
    kept <= MAX_KEPT_BYTES_PER_REFRESH,
  );
}

function bareLines({ bare, bareRedis, refresh }: Results): void {
  if (bare)
    line('bare oidc-provider refresh grants/s, in memory', fmt(bare.peak.opsPerSecond), 'ceiling', undefined);
  if (bareRedis)
    line(
      'bare oidc-provider refresh grants/s, on Redis',
      fmt(bareRedis.peak.opsPerSecond),
      'ceiling',
      undefined,
    );
  if (bareRedis && refresh) {
    const ratio = bareRedis.peak.opsPerSecond / refresh.peak.opsPerSecond;
    line(
      '  cost ratio Darvaze / bare, both on Redis',
      `${fmt(ratio, 2)}×`,
      `≤ ${MAX_COST_RATIO}×`,
      ratio <= MAX_COST_RATIO,
    );
  }
  if (bare && refresh) {
    const ratio = bare.peak.opsPerSecond / refresh.peak.opsPerSecond;
    line('  Darvaze on Redis / bare in memory', `${fmt(ratio, 2)}×`, '', undefined);
  }
}

function codeLines({ code }: Results): void {
  if (!code) return;
  line('code exchanges/s on Redis', fmt(code.redis.opsPerSecond), '', undefined);
  line('code exchanges/s on the in-memory store', fmt(code.memory.opsPerSecond), '', undefined);
}

function memoryLines({ memory }: Results): void {
  if (!memory) return;
  const perUser = memory.bytesPerSignedInUser;
  line(
    'Redis per signed-in person (used_memory)',
    `${fmt(perUser / 1024, 2)} KB`,
    `≤ ${MAX_BYTES_PER_SIGNED_IN_PERSON / 1024} KB`,
    perUser <= MAX_BYTES_PER_SIGNED_IN_PERSON,
  );
  line(
    '  the same by MEMORY USAGE',
    `${fmt(memory.residentBytesPerUserByMemoryUsage / 1024, 2)} KB`,
    '',
    undefined,
  );
  line(
    '  right after sign-in, incl. short-lived keys',
    `${fmt(memory.bytesPerUserRightAfterSignIn / 1024, 2)} KB`,
    '',
    undefined,
  );
}
