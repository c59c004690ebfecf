/**
 * The one storage interface of Darvaze. Two implementations sit behind it: Redis (standalone,
 * Sentinel or Cluster) and an embedded in-memory store for development. Domain code depends on
 * this interface only, never on ioredis.
 *
 * Keys are plain strings; implementations add their own prefix. On Redis Cluster a multi-key
 * call (`getMany`) needs its keys in one hash slot: give related keys a common `{hash tag}`.
 * TTLs are in whole seconds.
 */
export interface Store {
  readonly kind: 'redis' | 'memory';

  get(key: string): Promise<string | null>;
  /** Reads several keys at once. On Redis Cluster the keys must share a hash tag. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Writes a value; without a TTL it never expires. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Writes only when the key is absent, atomically. True when this call wrote it. */
  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  /** Reads and deletes in one atomic step: of many concurrent callers only one gets the value. */
  take(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /**
   * Deletes the key only while it still holds `value`, in one atomic step; true when it did. A
   * lock's owner releases it this way: a plain read-then-delete could delete the lock of someone
   * who took it over after it expired between the two.
   */
  deleteIfEquals(key: string, value: string): Promise<boolean>;

  /**
   * Adds `by` (default 1) to an integer counter and returns the new value. A counter that did
   * not exist is created with the TTL; an existing counter keeps its TTL (fixed windows).
   */
  increment(key: string, ttlSeconds: number, by?: number): Promise<number>;
  /**
   * `increment` for several counters in one step (one round trip on Redis), each created with its
   * own TTL; answers the new values in order. On Redis Cluster the keys must share a hash tag.
   */
  incrementAll(counters: ReadonlyArray<{ key: string; ttlSeconds: number }>, by?: number): Promise<number[]>;
  /**
   * Counts one attempt at something limited (a code guess) in the same atomic step as the check
   * of its lock, so that any number of simultaneous attempts gets at most `max` allowed per
   * window. While `lockKey` holds an instant (epoch ms) after `nowMs`, nothing is counted and
   * that instant is returned. Otherwise the counter goes up (created with `windowSeconds`); an
   * attempt past `max` is refused until the window ends. Setting the lock is the caller's
   * decision (the last allowed attempt may turn out right). On Redis Cluster both keys must
   * share a hash tag.
   */
  countAttempt(counterKey: string, lockKey: string, limits: AttemptLimits): Promise<AttemptCount>;
  /**
   * Reserves one send of something limited (an SMS code) in one atomic step, checking in this
   * order and stopping at the first refusal: the holder's own cooldown (claimed with a wait that
   * grows with the holder's sends so far), the cooldown shared across holders (e.g. per mobile;
   * free, or already held by this holder), then each fixed window in turn. Allowed: every window
   * counted, both cooldowns held by this holder, its send count up by one. Refused: nothing is
   * left counted or claimed. One round trip on Redis, where every key must share a hash tag.
   */
  reserveSend(plan: SendReservation): Promise<SendReservationOutcome>;
  /**
   * Puts a line in front of a text of lines (a small newest-first record, e.g. a person's recent
   * events), keeps its first `maxLines` and gives the key `ttlSeconds` of life, in one atomic step:
   * simultaneous writers never lose each other's line. A value that is not such a text (it starts
   * with `[` or `{`: JSON an older release wrote) is left alone and false answered, so the caller
   * can rewrite it in the new form.
   */
  prependLine(key: string, line: string, maxLines: number, ttlSeconds: number): Promise<boolean>;
  /** Remaining lifetime in seconds: -2 when the key is absent, -1 when it has no TTL. */
  ttl(key: string): Promise<number>;
  /** Sets a new TTL on an existing key; false when the key is absent. */
  expire(key: string, ttlSeconds: number): Promise<boolean>;

  /** Adds a member to a set; with a TTL, the set lives at least that long from now. */
  addToSet(key: string, member: string, ttlSeconds?: number): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  setMembers(key: string): Promise<string[]>;

  /**
   * Sets one field of a map (a Redis hash: one key for many small records, e.g. a person's
   * consents); with a TTL, the map lives at least that long from now.
   */
  putInMap(key: string, field: string, value: string, ttlSeconds?: number): Promise<void>;
  getFromMap(key: string, field: string): Promise<string | null>;
  removeFromMap(key: string, field: string): Promise<void>;
  /** Every field of a map with its value ({} when the map is absent). */
  mapEntries(key: string): Promise<Record<string, string>>;

  /**
   * Adds a member that lapses at `expiresAtSeconds` (epoch seconds; 0: never) to a timed set, and
   * in the same atomic step drops the members that have lapsed. With a TTL, the set lives at
   * least that long from now. An index of short-lived records stays as small as its live part.
   */
  addToTimedSet(key: string, member: string, expiresAtSeconds: number, ttlSeconds?: number): Promise<void>;
  removeFromTimedSet(key: string, member: string): Promise<void>;
  /** The members of a timed set that have not lapsed. */
  timedSetMembers(key: string): Promise<string[]>;

  /** Appends an entry to a capped, append-only log (a Redis stream); the oldest go past maxLength. */
  appendLog(key: string, entry: Record<string, string>, maxLength: number): Promise<string>;
  /** The newest `count` entries of a log, newest first. */
  readLog(key: string, count: number): Promise<LogEntry[]>;
  /** Drops a log's entries older than this instant (epoch ms): time-based retention. */
  trimLog(key: string, olderThanEpochMs: number): Promise<void>;

  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AttemptLimits {
  max: number;
  windowSeconds: number;
  /** The caller's clock (epoch ms): the lock is an instant, so the injected clock decides. */
  nowMs: number;
}

export interface SendReservation {
  /** The holder's send count (its key lives `sendsTtlSeconds` from its first send). */
  sendsKey: string;
  sendsTtlSeconds: number;
  /** The holder's own cooldown: claiming it is the holder's lock. */
  cooldownKey: string;
  /** A cooldown shared by holders, holding the holder's name while it runs. */
  sharedCooldownKey: string;
  holder: string;
  /** The wait claimed: baseSeconds × growth^(sends so far), at most maxSeconds, at least 1 s, whole seconds up. */
  cooldown: { baseSeconds: number; growth: number; maxSeconds: number };
  /** Fixed-window counters in the order they are checked; a new counter lives `ttlSeconds`. */
  windows: ReadonlyArray<{ key: string; limit: number; ttlSeconds: number }>;
}

/** Refused by a cooldown (with its remaining seconds, at least 1) or by the window at this index. */
export type SendReservationOutcome =
  | { allowed: true }
  | { allowed: false; refusedBy: 'cooldown' | 'shared_cooldown'; retryAfterSeconds: number }
  | { allowed: false; refusedBy: 'window'; window: number };

/** The wait a send reservation claims after `previousSends` sends (both stores compute it so). */
export function sendCooldownSeconds(cooldown: SendReservation['cooldown'], previousSends: number): number {
  const grown = cooldown.baseSeconds * cooldown.growth ** previousSends;
  return Math.max(1, Math.ceil(Math.min(grown, cooldown.maxSeconds)));
}

/** An allowed attempt has its number in the window (1…max); a refused one, when it may retry. */
export type AttemptCount = { allowed: true; count: number } | { allowed: false; lockedUntil: number };

export interface LogEntry {
  id: string;
  fields: Record<string, string>;
}

/** Thrown by a store that cannot reach its backend, so callers can answer 503, not 500. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
