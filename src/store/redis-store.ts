import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { type Clock, epochSeconds } from '../time/clock.js';
import { LuaScript, runScript } from './lua-script.js';
import {
  type AttemptCount,
  type AttemptLimits,
  type LogEntry,
  type SendReservation,
  type SendReservationOutcome,
  type Store,
  StoreUnavailableError,
} from './store.js';

export interface RedisStoreOptions {
  /** redis:// or rediss:// URL of a standalone server (ignored when cluster or sentinel is set). */
  url?: string;
  /** host:port of some Redis Cluster nodes; the client discovers the rest. */
  clusterNodes?: string[];
  /** host:port of Sentinels, with the monitored master's name. */
  sentinels?: string[];
  sentinelName?: string;
  /** Prepended to every key, e.g. `darvaze:`; lets tests and tenants share a server. */
  keyPrefix: string;
  /** How long one command may take before the request fails with 503 instead of hanging. */
  commandTimeoutMs?: number;
}

// Creates a counter with its TTL in the same atomic step, so a crash between INCR and EXPIRE
// can never leave a limit counter that lives for ever.
const INCREMENT_WITH_TTL = new LuaScript(`
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return value`);

// Store.incrementAll: INCREMENT_WITH_TTL for each key. ARGV: the amount, then each key's TTL.
const INCREMENT_ALL_WITH_TTL = new LuaScript(`
local by = tonumber(ARGV[1])
local values = {}
for i = 1, #KEYS do
  local value = redis.call('INCRBY', KEYS[i], by)
  if value == by then redis.call('EXPIRE', KEYS[i], ARGV[i + 1]) end
  values[i] = value
end
return values`);

// Store.prependLine: the new line first, then at most max - 1 of the old ones, with a fresh TTL.
// JSON (an older release's record) is left for the caller to rewrite: reply 0.
const PREPEND_LINE = new LuaScript(`
local old = redis.call('GET', KEYS[1])
local max = tonumber(ARGV[2])
local lines = {ARGV[1]}
if old then
  local first = string.sub(old, 1, 1)
  if first == '[' or first == '{' then return 0 end
  for line in string.gmatch(old, '[^\\n]+') do
    if #lines >= max then break end
    lines[#lines + 1] = line
  end
end
redis.call('SET', KEYS[1], table.concat(lines, '\\n'), 'EX', ARGV[3])
return 1`);

// SADD that only ever lengthens the set's life (an index must outlive every member it lists).
const ADD_TO_SET_WITH_TTL = new LuaScript(`
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 and redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return 1`);

// HSET that only ever lengthens the map's life (it must outlive every record it holds).
const PUT_IN_MAP_WITH_TTL = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 and redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return 1`);

// A timed set is a sorted set scored by expiry: add, drop the lapsed, and lengthen the key's life,
// all in one round trip.
const ADD_TO_TIMED_SET = new LuaScript(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
local ttl = tonumber(ARGV[4])
if ttl > 0 and redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return 1`);

// The lock check and the count in one step: simultaneous attempts are serialised by Redis, so at
// most `max` of them are ever allowed in a window (see Store.countAttempt).
const COUNT_ATTEMPT = new LuaScript(`
local now = tonumber(ARGV[1])
local locked = tonumber(redis.call('GET', KEYS[2]) or '0')
if locked > now then return {0, tostring(locked)} end
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
if count <= tonumber(ARGV[2]) then return {1, tostring(count)} end
return {0, tostring(now + math.max(redis.call('TTL', KEYS[1]), 1) * 1000)}`);

// Compare-and-delete: the read and the delete in one step, so a lock is only ever released by
// the owner whose token it still holds (see Store.deleteIfEquals).
const DELETE_IF_EQUALS = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

// Store.reserveSend in one step. KEYS: sends, cooldown, shared cooldown, then the windows' counters.
// ARGV: holder, base wait, growth, longest wait, the sends key's TTL, then each window's limit and TTL.
// Replies {0}: allowed; {1, seconds}: the holder's cooldown runs; {2, seconds}: the shared one
// does; {3, index}: the window at this index (from 0) is full.
const RESERVE_SEND = new LuaScript(`
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local wait = math.max(1, math.ceil(math.min(tonumber(ARGV[2]) * tonumber(ARGV[3]) ^ previous, tonumber(ARGV[4]))))
if redis.call('EXISTS', KEYS[2]) == 1 then return {1, math.max(1, redis.call('TTL', KEYS[2]))} end
local shared = redis.call('GET', KEYS[3])
if shared and shared ~= ARGV[1] then return {2, math.max(1, redis.call('TTL', KEYS[3]))} end
for i = 4, #KEYS do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[5 + (i - 3) * 2]) end
  if count > tonumber(ARGV[4 + (i - 3) * 2]) then
    for j = 4, i do redis.call('DECR', KEYS[j]) end
    if shared then redis.call('DEL', KEYS[3]) end
    return {3, i - 4}
  end
end
redis.call('SET', KEYS[2], '1', 'EX', wait)
redis.call('SET', KEYS[3], ARGV[1], 'EX', wait)
if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
return {0}`);

type Client = Redis | Cluster;

function hostPort(address: string): { host: string; port: number } {
  const [host, port] = address.trim().split(':');
  return { host: host || '127.0.0.1', port: Number(port || 6379) };
}

export function createRedisClient(options: RedisStoreOptions): Client {
  const common: RedisOptions = {
    keyPrefix: options.keyPrefix,
    // Fail fast while Redis is away (the request answers 503) instead of queueing for ever;
    // the client keeps reconnecting in the background and service resumes by itself.
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
    // Commands issued in the same tick go out in one write (a sign-in makes ~70 of them).
    enableAutoPipelining: true,
  };
  if (options.clusterNodes?.length) {
    return new Cluster(options.clusterNodes.map(hostPort), {
      redisOptions: common,
      keyPrefix: options.keyPrefix,
      enableAutoPipelining: true,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
  }
  if (options.sentinels?.length) {
    return new Redis({ ...common, sentinels: options.sentinels.map(hostPort), name: options.sentinelName });
  }
  return new Redis(options.url ?? 'redis://127.0.0.1:6379', common);
}

/** The production store: standalone Redis, Sentinel or Cluster, chosen by the options. */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly client: Client;

  /** @param now dates the timed sets' members (their scores are expiry times, epoch seconds). */
  constructor(
    options: RedisStoreOptions,
    private readonly now: Clock,
  ) {
    const client = createRedisClient(options);
    // Errors surface per command (as StoreUnavailableError); the 'error' event only needs a
    // listener so that a lost connection does not crash the process.
    client.on('error', () => {});
    this.client = client;
  }

  get(key: string) {
    return this.run(() => this.client.get(key));
  }

  getMany(keys: readonly string[]) {
    if (keys.length === 0) return Promise.resolve([]);
    return this.run(() => this.client.mget(...keys));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.run(() =>
      ttlSeconds === undefined
        ? this.client.set(key, value)
        : this.client.set(key, value, 'EX', ttl(ttlSeconds)),
    );
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    const reply = await this.run(() =>
      ttlSeconds === undefined
        ? this.client.set(key, value, 'NX')
        : this.client.set(key, value, 'EX', ttl(ttlSeconds), 'NX'),
    );
    return reply === 'OK';
  }

  take(key: string) {
    return this.run(() => this.client.getdel(key));
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(key));
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    return (await this.run(() => this.script(DELETE_IF_EQUALS, [key], [value]))) === 1;
  }

  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    return Number(await this.run(() => this.script(INCREMENT_WITH_TTL, [key], [by, ttl(ttlSeconds)])));
  }

  async incrementAll(
    counters: ReadonlyArray<{ key: string; ttlSeconds: number }>,
    by = 1,
  ): Promise<number[]> {
    if (counters.length === 0) return [];
    const keys = counters.map((counter) => counter.key);
    const ttls = counters.map((counter) => ttl(counter.ttlSeconds));
    const values = (await this.run(() =>
      this.script(INCREMENT_ALL_WITH_TTL, keys, [by, ...ttls]),
    )) as unknown[];
    return values.map(Number);
  }

  async prependLine(key: string, line: string, maxLines: number, ttlSeconds: number): Promise<boolean> {
    if (!Number.isInteger(maxLines) || maxLines < 1)
      throw new RangeError('maxLines must be a positive integer');
    if (line.includes('\n')) throw new RangeError('a line holds no line break');
    return (await this.run(() => this.script(PREPEND_LINE, [key], [line, maxLines, ttl(ttlSeconds)]))) === 1;
  }

  async countAttempt(counterKey: string, lockKey: string, limits: AttemptLimits): Promise<AttemptCount> {
    const [allowed, value] = (await this.run(() =>
      this.script(
        COUNT_ATTEMPT,
        [counterKey, lockKey],
        [Math.floor(limits.nowMs), limits.max, ttl(limits.windowSeconds)],
      ),
    )) as [number, string];
    return allowed === 1
      ? { allowed: true, count: Number(value) }
      : { allowed: false, lockedUntil: Number(value) };
  }

  async reserveSend(plan: SendReservation): Promise<SendReservationOutcome> {
    const keys = [plan.sendsKey, plan.cooldownKey, plan.sharedCooldownKey, ...plan.windows.map((w) => w.key)];
    const args = [
      plan.holder,
      plan.cooldown.baseSeconds,
      plan.cooldown.growth,
      plan.cooldown.maxSeconds,
      ttl(plan.sendsTtlSeconds),
      ...plan.windows.flatMap((w) => [w.limit, ttl(w.ttlSeconds)]),
    ];
    const [outcome = 0, value = 0] = (await this.run(() =>
      this.script(RESERVE_SEND, keys, args),
    )) as number[];
    if (outcome === 0) return { allowed: true };
    if (outcome === 3) return { allowed: false, refusedBy: 'window', window: value };
    return {
      allowed: false,
      refusedBy: outcome === 1 ? 'cooldown' : 'shared_cooldown',
      retryAfterSeconds: value,
    };
  }

  ttl(key: string) {
    return this.run(() => this.client.ttl(key));
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.run(() => this.client.expire(key, ttl(ttlSeconds)))) === 1;
  }

  async addToSet(key: string, member: string, ttlSeconds?: number): Promise<void> {
    await this.run(() =>
      this.script(ADD_TO_SET_WITH_TTL, [key], [member, ttlSeconds === undefined ? 0 : ttl(ttlSeconds)]),
    );
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    await this.run(() => this.client.srem(key, member));
  }

  setMembers(key: string) {
    return this.run(() => this.client.smembers(key));
  }

  async putInMap(key: string, field: string, value: string, ttlSeconds?: number): Promise<void> {
    await this.run(() =>
      this.script(PUT_IN_MAP_WITH_TTL, [key], [field, value, ttlSeconds === undefined ? 0 : ttl(ttlSeconds)]),
    );
  }

  getFromMap(key: string, field: string) {
    return this.run(() => this.client.hget(key, field));
  }

  async removeFromMap(key: string, field: string): Promise<void> {
    await this.run(() => this.client.hdel(key, field));
  }

  mapEntries(key: string) {
    return this.run(() => this.client.hgetall(key));
  }

  async addToTimedSet(
    key: string,
    member: string,
    expiresAtSeconds: number,
    ttlSeconds?: number,
  ): Promise<void> {
    const score = expiresAtSeconds > 0 ? String(expiresAtSeconds) : '+inf';
    const now = epochSeconds(this.now);
    await this.run(() =>
      this.script(
        ADD_TO_TIMED_SET,
        [key],
        [member, score, now, ttlSeconds === undefined ? 0 : ttl(ttlSeconds)],
      ),
    );
  }

  async removeFromTimedSet(key: string, member: string): Promise<void> {
    await this.run(() => this.client.zrem(key, member));
  }

  timedSetMembers(key: string) {
    return this.run(() => this.client.zrangebyscore(key, String(epochSeconds(this.now)), '+inf'));
  }

  async appendLog(key: string, entry: Record<string, string>, maxLength: number): Promise<string> {
    const fields = Object.entries(entry).flat();
    const id = await this.run(() => this.client.xadd(key, 'MAXLEN', '~', String(maxLength), '*', ...fields));
    return id ?? '';
  }

  async readLog(key: string, count: number): Promise<LogEntry[]> {
    const rows = await this.run(() => this.client.xrevrange(key, '+', '-', 'COUNT', count));
    return rows.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
      return { id, fields };
    });
  }

  async trimLog(key: string, olderThanEpochMs: number): Promise<void> {
    await this.run(() => this.client.xtrim(key, 'MINID', String(Math.floor(olderThanEpochMs))));
  }

  async ping(): Promise<void> {
    await this.run(() => this.client.ping());
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private script(script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number>) {
    return runScript(this.client, script, keys, args);
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    // While the connection is down, fail at once (503) rather than wait behind the reconnects.
    const { status } = this.client;
    if (status === 'reconnecting' || status === 'end' || status === 'close') {
      throw new StoreUnavailableError(`redis: not connected (${status})`);
    }
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError(`redis: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Redis wants a positive integer; a TTL that rounds to 0 would mean "delete now". */
function ttl(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}
