/** One benchmark run: the environment, then each chosen phase in turn, then the summary. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import type { BenchBrowser } from '../lib/bench-journey.js';
import { type Environment, setUp } from './environment.js';
import { barePhase } from './phases/bare.js';
import { codePhase } from './phases/code.js';
import { signInPopulation } from './phases/first-sign-ins.js';
import { memoryPhase } from './phases/memory.js';
import { passkeyPhase } from './phases/passkey.js';
import { refreshPhase } from './phases/refresh.js';
import { signInPhase } from './phases/sign-in.js';
import { profiles } from './profiles.js';
import type { Results } from './results.js';
import type { Settings } from './settings.js';
import { printSummary } from './summary.js';

export async function run(settings: Settings): Promise<Results> {
  const results = startResults(settings);
  const environment = await setUp(settings);
  try {
    await runPhases(environment, settings, results);
  } finally {
    await tearDown(environment, settings, results);
  }
  printSummary(results);
  return results;
}

async function runPhases(environment: Environment, settings: Settings, results: Results): Promise<void> {
  const { phases } = settings;
  const population = await signInPopulation(environment, settings, results);
  if (phases.has('memory')) results.memory = await memoryPhase(environment, population);
  let sessions: BenchBrowser[] = [];
  if (phases.has('signin') || phases.has('code')) {
    const signIns = await signInPhase(environment, settings, population);
    if (signIns.runs) results.signIn = signIns.runs;
    if (signIns.sideBySide) results.signInSideBySide = signIns.sideBySide;
    sessions = signIns.sessions;
  }
  if (phases.has('passkey')) results.passkey = await passkeyPhase(environment, settings, population);
  if (phases.has('refresh')) results.refresh = await refreshPhase(environment, settings, population.chains);
  if (phases.has('bare')) await barePhase(environment, settings, results);
  if (phases.has('code')) await codePhase(environment, settings, sessions, results);
}

/** The machine and the settings, printed and kept in the results. */
function startResults(settings: Settings): Results {
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
  return results;
}

async function tearDown(environment: Environment, settings: Settings, results: Results): Promise<void> {
  environment.http.close();
  await environment.provider.stop('SIGTERM');
  if (settings.cpuProf) {
    results.profiles = { ...results.profiles, ...(await profiles(environment.dir, 'provider-redis')) };
  }
  results.machine.loadavgAfter = loadavg().map((value) => Number(value.toFixed(2)));
  for (const cleanup of environment.cleanups.reverse()) await cleanup().catch(() => {});
  if (settings.keep) console.log(`\nkept ${environment.dir} (logs, keys, profiles)`);
}

function redisVersion(): string {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    return 'redis-server not found';
  }
}
