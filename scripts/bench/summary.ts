/** The closing table: each figure against its target for one provider process. */
import { fmt } from '../lib/stats.js';
import type { Results } from './results.js';
import { requestsOverall } from './run-report.js';

type Line = (name: string, value: string, target: string, ok?: boolean) => void;

const line: Line = (name, value, target, ok) =>
  console.log(
    `  ${name.padEnd(44)} ${value.padEnd(26)} ${target.padEnd(16)} ${ok === undefined ? '' : ok ? 'met' : 'MISSED'}`,
  );

export function printSummary(results: Results): void {
  console.log('\nsummary (targets for one provider process)');
  signInLines(results);
  refreshLines(results);
  bareLines(results);
  codeLines(results);
  memoryLines(results);
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

function signInLines({ signIn }: Results): void {
  if (!signIn) return;
  const peak = signIn.peak.opsPerSecond;
  line('returning-user sign-ins/s (peak)', fmt(peak), '≥ 150', peak >= 150);
  const p99 = requestsOverall(signIn.half).p99;
  line('  p99 per request at half load', `${fmt(p99)} ms (worst page)`, '< 50 ms', p99 < 50);
  line('  p99 whole sign-in at half load', `${fmt(signIn.half.operation.p99)} ms`, '', undefined);
}

function refreshLines({ refresh }: Results): void {
  if (!refresh) return;
  const peak = refresh.peak.opsPerSecond;
  line('refresh grants/s (peak, ES256)', fmt(peak), '≥ 1500', peak >= 1500);
  const p99 = refresh.half.requests['token-refresh']?.p99 ?? 0;
  line('  p99 at half load', `${fmt(p99)} ms`, '< 50 ms', p99 < 50);
}

function bareLines({ bare, refresh }: Results): void {
  if (!bare) return;
  line('bare oidc-provider refresh grants/s (peak)', fmt(bare.peak.opsPerSecond), 'ceiling', undefined);
  if (refresh) {
    const ratio = bare.peak.opsPerSecond / refresh.peak.opsPerSecond;
    line('  cost ratio Darvaze / bare', `${fmt(ratio, 2)}×`, '≤ 1.3×', ratio <= 1.3);
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
  line('Redis per signed-in user (used_memory)', `${fmt(perUser / 1024, 2)} KB`, '≤ 4 KB', perUser <= 4096);
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
