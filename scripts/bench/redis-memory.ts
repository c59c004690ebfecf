/** What the provider keeps in Redis: used_memory, and every key by family with its size and TTL. */
import type { RedisProcess } from '../lib/redis-process.js';
import { KEY_PREFIX } from './bench-client.js';

export async function usedMemory(redis: RedisProcess): Promise<number> {
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

export interface KeyFamily {
  family: string;
  keys: number;
  bytes: number;
  /** Longest TTL seen, seconds; -1: some keys never expire. */
  maxTtl: number;
  kind: 'resident' | 'transient' | 'shared';
}

type Client = ReturnType<RedisProcess['client']>;
type FamilyWithKeys = KeyFamily & { members: string[] };

/** Every key by family, with its MEMORY USAGE total and TTL; `remove` deletes the families it selects. */
export async function keyBreakdown(
  redis: RedisProcess,
  remove?: (family: KeyFamily) => boolean,
): Promise<KeyFamily[]> {
  const client = redis.client();
  try {
    const families = await scanFamilies(client, Boolean(remove));
    const result = [...families.values()].map((entry) => {
      entry.kind = kindOf(entry);
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

/** SCANs every key, adding its MEMORY USAGE and TTL to its family (and its name, to delete it later). */
async function scanFamilies(client: Client, keepNames: boolean): Promise<Map<string, FamilyWithKeys>> {
  const families = new Map<string, FamilyWithKeys>();
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
      const entry = families.get(family) ?? emptyFamily(family);
      entry.keys += 1;
      entry.bytes += bytes;
      entry.maxTtl = entry.maxTtl === -1 || ttl === -1 ? -1 : Math.max(entry.maxTtl, ttl);
      if (keepNames) entry.members.push(key);
      families.set(family, entry);
    });
  } while (cursor !== '0');
  return families;
}

function emptyFamily(family: string): FamilyWithKeys {
  return { family, keys: 0, bytes: 0, maxTtl: 0, kind: 'transient', members: [] };
}

/** Bounded, shared structures (capped logs, per-client indexes): not part of any user's cost. */
const SHARED_FAMILIES = [/audit:security$/, /admin:client-grants/];
/** Per sign-in counters that outlive the 12 h mark but not a day: they go, users stay. */
const PER_SIGN_IN_FAMILIES = [/:sms:/, /:limit:/];
/** What a signed-in user keeps: account and indexes, consent/grant, refresh token, session. */
const RESIDENT_MIN_TTL_SECONDS = 12 * 3600;

function kindOf(entry: KeyFamily): KeyFamily['kind'] {
  if (SHARED_FAMILIES.some((pattern) => pattern.test(entry.family))) return 'shared';
  return !PER_SIGN_IN_FAMILIES.some((pattern) => pattern.test(entry.family)) &&
    (entry.maxTtl === -1 || entry.maxTtl >= RESIDENT_MIN_TTL_SECONDS - 600)
    ? 'resident'
    : 'transient';
}

export function ttlText(seconds: number): string {
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

export interface GrantIndexSizes {
  sets: number;
  averageMembers: number;
  maxMembers: number;
}

/**
 * Calls `each` with every batch of grant-index keys (a SCAN over the bench's key prefix) and the
 * pipeline to queue commands for them on; the pipeline is run after each batch.
 */
async function eachGrantIndexBatch(
  redis: RedisProcess,
  each: (keys: string[], pipeline: ReturnType<ReturnType<RedisProcess['client']>['pipeline']>) => void,
): Promise<Array<[Error | null, unknown]>> {
  const client = redis.client();
  const results: Array<[Error | null, unknown]> = [];
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
      each(keys, pipeline);
      results.push(...((await pipeline.exec()) ?? []));
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return results;
}

/** How many members the grant-index sets hold (they list every token a grant ever had). */
export async function grantIndexSizes(redis: RedisProcess): Promise<GrantIndexSizes> {
  // Sorted sets (members scored by expiry: Store.addToTimedSet), so ZCARD; SCARD answered WRONGTYPE.
  const counts = await eachGrantIndexBatch(redis, (keys, pipeline) => {
    for (const key of keys) pipeline.zcard(key);
  });
  const sizes = counts.map(([, count]) => Number(count));
  const members = sizes.reduce((sum, size) => sum + size, 0);
  return {
    sets: sizes.length,
    averageMembers: sizes.length ? members / sizes.length : 0,
    maxMembers: Math.max(0, ...sizes),
  };
}

/**
 * Drops the grant-index members that lapse within `withinSeconds` (access tokens, used codes:
 * scored by their expiry), as the next add to each index does once they have lapsed.
 */
export async function dropShortLivedIndexMembers(redis: RedisProcess, withinSeconds: number): Promise<void> {
  const horizon = Math.floor(Date.now() / 1000) + withinSeconds;
  // Score 0 is "never lapses"; keep it.
  await eachGrantIndexBatch(redis, (keys, pipeline) => {
    for (const key of keys) pipeline.zremrangebyscore(key, 1, horizon);
  });
}
