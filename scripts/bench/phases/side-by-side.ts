/**
 * The normalised sign-in figure measured side by side. This machine's speed drifts by a quarter
 * within minutes (bare oidc-provider on Redis: 1,320 grants/s in one run, 1,958/s in the next,
 * same code), so sign-ins measured in phase 1 and bare grants measured in phase 3 minutes later
 * give a ratio that moves by as much. Here both run in alternating slices of equal length — bare
 * in-memory refresh grants, then returning-user sign-ins, three times — and each rate is its
 * slices' operations over their time: a drift weighs on both alike.
 */
import { closedLoop, type Operation } from '../../lib/load.js';
import { fmt } from '../../lib/stats.js';
import type { Environment } from '../environment.js';
import type { Settings } from '../settings.js';
import { startBareProvider } from './bare.js';
import { refreshGrants } from './refresh.js';

export interface SideBySide {
  signInsPerSecond: number;
  bareGrantsPerSecond: number;
  /** Sign-ins/s per 1,000 bare grants/s. */
  normalised: number;
  slices: number;
  sliceSeconds: number;
}

const SLICES = 3;

export async function sideBySide(
  environment: Environment,
  settings: Settings,
  signInOnce: Operation,
): Promise<SideBySide> {
  const concurrency = settings.concurrency;
  const sliceMs = Math.max(2000, Math.round(settings.durationMs / SLICES));
  const bare = await startBareProvider(environment, settings, 'memory');
  try {
    const grant = refreshGrants(bare.context, bare.refreshTokens);
    // Warm the bare provider's JIT as phase 1 warmed Darvaze's.
    await closedLoop({ concurrency, durationMs: 2000, operation: grant });
    const totals = { signIns: 0, signInSeconds: 0, grants: 0, grantSeconds: 0 };
    for (let slice = 0; slice < SLICES; slice++) {
      const grants = await closedLoop({ concurrency, durationMs: sliceMs, operation: grant });
      const signIns = await closedLoop({ concurrency, durationMs: sliceMs, operation: signInOnce });
      if (grants.errors || signIns.errors)
        throw new Error(`side by side: ${grants.firstError ?? signIns.firstError}`);
      totals.grants += grants.ops;
      totals.grantSeconds += grants.seconds;
      totals.signIns += signIns.ops;
      totals.signInSeconds += signIns.seconds;
    }
    const signInsPerSecond = totals.signIns / totals.signInSeconds;
    const bareGrantsPerSecond = totals.grants / totals.grantSeconds;
    const result = {
      signInsPerSecond,
      bareGrantsPerSecond,
      normalised: signInsPerSecond / (bareGrantsPerSecond / 1000),
      slices: SLICES,
      sliceSeconds: sliceMs / 1000,
    };
    console.log(
      `  side by side (${SLICES} × ${fmt(sliceMs / 1000, 0)} s each, alternating): ${fmt(signInsPerSecond)} sign-ins/s, ${fmt(bareGrantsPerSecond)} bare in-memory refresh grants/s → ${fmt(result.normalised)} sign-ins per 1,000 bare grants/s`,
    );
    return result;
  } finally {
    await bare.stop();
  }
}
