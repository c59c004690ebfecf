/**
 * Phase 2: /token refresh_token grants (rotation, ES256 ID token) on Darvaze + Redis, peak and
 * half load, and what each grant leaves in Redis.
 */
import { type JourneyContext, jwtAlg, refresh } from '../../lib/bench-journey.js';
import type { HttpClient } from '../../lib/http-client.js';
import type { RedisProcess } from '../../lib/redis-process.js';
import { fmt } from '../../lib/stats.js';
import type { Environment } from '../environment.js';
import { dropShortLivedIndexMembers, grantIndexSizes, keyBreakdown, usedMemory } from '../redis-memory.js';
import type { PeakAndHalf, Results } from '../results.js';
import { peakAndHalf } from '../run-report.js';
import type { Settings } from '../settings.js';
import { MAX_KEPT_BYTES_PER_REFRESH } from '../targets.js';

export async function refreshPhase(
  environment: Environment,
  settings: Settings,
  chains: string[],
): Promise<NonNullable<Results['refresh']>> {
  const { http, context, redis } = environment;
  console.log('\n2. /token refresh_token grants (rotation, ES256 ID token) on Darvaze + Redis');
  const before = await usedMemory(redis);
  const keptBefore = await bytesKept(redis);
  const result = await refreshRuns(http, context, chains, settings.concurrency, settings.durationMs, {
    redis,
    providerPid: environment.provider.pid,
    storeCalls: environment.storeCalls,
  });
  const grown = (await usedMemory(redis)) - before;
  const grants = result.peak.ops + result.half.ops;
  const perRefresh = grown / Math.max(1, grants);
  const keptGrowth = (await bytesKept(redis)) - keptBefore;
  const keptPerRefresh = keptGrowth / Math.max(1, grants);
  const index = await grantIndexSizes(redis);
  console.log(
    `  Redis growth per refresh grant: ${fmt(perRefresh, 0)} B (used_memory, access tokens included), of which ${fmt(keptPerRefresh, 0)} B outlive the 15-min access token (MEMORY USAGE)   [target ≤ ${MAX_KEPT_BYTES_PER_REFRESH} B]`,
  );
  console.log(
    `  grant-index sets: ${index.sets}, ${fmt(index.averageMembers, 1)} members on average, ${index.maxMembers} at most (after the lapsed access tokens' members are dropped).` +
      // Below zero the rotations shrank what a grant keeps (its records rewritten in the compact
      // form): it keeps nothing more, which is what a negative figure times 2,880 would hide.
      (keptPerRefresh > 0
        ? ` A client refreshing every 15 min keeps ~${fmt((keptPerRefresh * 96 * 30) / 1024, 1)} KB more per grant after 30 days.`
        : ' A client refreshing every 15 min keeps nothing more per grant after 30 days than after its first refresh.'),
  );
  return {
    ...result,
    bytesPerRefresh: perRefresh,
    keptBytesPerRefresh: keptPerRefresh,
    grantIndex: index,
  };
}

/**
 * Bytes (MEMORY USAGE) of every key but the access tokens, which expire within 15 minutes, once
 * the grant indexes have dropped the members that lapse with them (access tokens, used codes):
 * what the next add to each index does once they have lapsed.
 */
async function bytesKept(redis: RedisProcess): Promise<number> {
  await dropShortLivedIndexMembers(redis, 3600);
  return (await keyBreakdown(redis))
    .filter((entry) => !/AccessToken/.test(entry.family))
    .reduce((sum, entry) => sum + entry.bytes, 0);
}

/** Peak and half-load refresh runs, each slot rotating its own refresh-token chain. */
export async function refreshRuns(
  http: HttpClient,
  context: JourneyContext,
  chains: string[],
  concurrency: number,
  durationMs: number,
  /** Redis for its commands per grant; the provider's pid for its CPU per grant; its Store calls. */
  measure: { redis?: RedisProcess; providerPid?: number; storeCalls?: () => Promise<number> } = {},
): Promise<PeakAndHalf> {
  if (chains.length < concurrency * 4)
    throw new Error(`only ${chains.length} refresh tokens for ${concurrency * 4} slots`);
  const refreshSlot = refreshGrants(context, chains);
  return peakAndHalf({
    http,
    concurrency,
    durationMs,
    operation: refreshSlot,
    unit: 'grants',
    workers: 'concurrent clients',
    ...measure,
  });
}

/** One refresh grant per call on slot `slot`'s chain, which it moves on to the rotated token. */
export function refreshGrants(context: JourneyContext, chains: string[]): (slot: number) => Promise<void> {
  let checked = false;
  return async (slot: number) => {
    const tokens = await refresh(context, chains[slot] as string);
    if (!tokens.refresh_token) throw new Error('no rotated refresh token');
    if (!checked) {
      if (jwtAlg(tokens.id_token) !== 'ES256') throw new Error(`ID token alg ${jwtAlg(tokens.id_token)}`);
      checked = true;
    }
    chains[slot] = tokens.refresh_token;
  };
}
