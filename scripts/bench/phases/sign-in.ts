/**
 * Phase 1: returning-user sign-ins (fresh browser: /auth, mobile page, POST mobile, code page,
 * POST code, /auth resume, /token), closed loop for the peak, open loop at half of it for latency.
 * The browsers of the last sign-ins are kept: the code phase mints codes with their sessions.
 */
import { type BenchBrowser, exchangeCode, jwtAlg, signIn } from '../../lib/bench-journey.js';
import { closedLoop } from '../../lib/load.js';
import { addressOf, RETURNING_SCOPE } from '../bench-client.js';
import type { Environment } from '../environment.js';
import type { PeakAndHalf } from '../results.js';
import { peakAndHalf } from '../run-report.js';
import type { Settings } from '../settings.js';
import type { Population } from './first-sign-ins.js';
import { type SideBySide, sideBySide } from './side-by-side.js';

type Operation = () => Promise<void>;

export async function signInPhase(
  environment: Environment,
  settings: Settings,
  population: Population,
): Promise<{ runs?: PeakAndHalf; sideBySide?: SideBySide; sessions: BenchBrowser[] }> {
  const C = settings.concurrency;
  const recent: BenchBrowser[] = [];
  const signInOnce = returningSignIns(environment, population, recent, C * 2);
  let runs: PeakAndHalf | undefined;
  let normalised: SideBySide | undefined;
  if (settings.phases.has('signin')) {
    runs = await measureSignIns(environment, settings, signInOnce);
    normalised = await sideBySide(environment, settings, signInOnce);
  } else {
    await closedLoop({ concurrency: C, durationMs: 60_000, maxOps: C * 2, operation: signInOnce });
  }
  return { runs, sideBySide: normalised, sessions: recent.slice(-C) };
}

/** One returning user's sign-in per call, round the population; keeps the last `keep` browsers. */
function returningSignIns(
  environment: Environment,
  population: Population,
  recent: BenchBrowser[],
  keep: number,
): Operation {
  const { context, citizens } = environment;
  const pool = Math.min(population.signedIn, population.firstSignIns.ops);
  let counter = 0;
  return async () => {
    const index = counter++ % pool;
    const citizen = citizens[index] as (typeof citizens)[number];
    const signed = await signIn(context, citizen, { scope: RETURNING_SCOPE, address: addressOf(index) });
    if (signed.pages.join() !== 'mobile,code') throw new Error(`unexpected pages ${signed.pages.join()}`);
    const tokens = await exchangeCode(context, signed.code, signed.verifier);
    if (jwtAlg(tokens.id_token) !== 'ES256') throw new Error(`ID token alg ${jwtAlg(tokens.id_token)}`);
    recent.push(signed.browser);
    if (recent.length > keep) recent.shift();
  };
}

async function measureSignIns(
  environment: Environment,
  settings: Settings,
  signInOnce: Operation,
): Promise<PeakAndHalf> {
  const { http, redis } = environment;
  const C = settings.concurrency;
  console.log(
    '\n1. returning-user sign-ins (fresh browser: /auth, mobile page, POST mobile, code page, POST code, /auth resume, /token)',
  );
  return peakAndHalf({
    http,
    concurrency: C,
    durationMs: settings.durationMs,
    operation: signInOnce,
    unit: 'sign-ins',
    workers: 'concurrent users',
    redis,
    providerPid: environment.provider.pid,
    storeCalls: environment.storeCalls,
  });
}
