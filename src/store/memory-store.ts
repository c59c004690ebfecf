import {
  type AttemptCount,
  type AttemptLimits,
  type LogEntry,
  type SendReservation,
  type SendReservationOutcome,
  type Store,
  sendCooldownSeconds,
} from './store.js';

/** A map's fields (a class of its own, so that it is told apart from a timed set). */
class StringMap extends Map<string, string> {}

interface Entry {
  /** A string, a set, a timed set (member → expiry in epoch seconds; 0: never), or a map. */
  value: string | Set<string> | Map<string, number> | StringMap;
  /** Epoch milliseconds; undefined: never expires. */
  expiresAt?: number;
}

/**
 * The embedded store for development and single-process runs: one Map with lazy expiry and a
 * periodic sweep. Everything here is lost when the process stops, which is why production
 * refuses it.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly logs = new Map<string, LogEntry[]>();
  private logSequence = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.read(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.read(key));
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.expiry(ttlSeconds) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.expiry(ttlSeconds) });
    return true;
  }

  async take(key: string): Promise<string | null> {
    // No await between the read and the delete: that is what makes it atomic here.
    const value = this.read(key);
    this.entries.delete(key);
    return value;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
    this.logs.delete(key);
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    // The compare and the delete run with no await between them: atomic on one event loop.
    if (this.read(key) !== value) return false;
    this.entries.delete(key);
    return true;
  }

  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      this.entries.set(key, { value: String(by), expiresAt: this.expiry(ttlSeconds) });
      return by;
    }
    const next = Number(entry.value) + by;
    entry.value = String(next);
    return next;
  }

  async incrementAll(
    counters: ReadonlyArray<{ key: string; ttlSeconds: number }>,
    by = 1,
  ): Promise<number[]> {
    const values: number[] = [];
    for (const { key, ttlSeconds } of counters) values.push(await this.increment(key, ttlSeconds, by));
    return values;
  }

  async prependLine(key: string, line: string, maxLines: number, ttlSeconds: number): Promise<boolean> {
    if (!Number.isInteger(maxLines) || maxLines < 1)
      throw new RangeError('maxLines must be a positive integer');
    if (line.includes('\n')) throw new RangeError('a line holds no line break');
    // No await between the read and the write: that is what makes it atomic here.
    const old = this.read(key);
    if (old !== null && (old.startsWith('[') || old.startsWith('{'))) return false;
    const kept = (old ?? '')
      .split('\n')
      .filter(Boolean)
      .slice(0, maxLines - 1);
    this.entries.set(key, { value: [line, ...kept].join('\n'), expiresAt: this.expiry(ttlSeconds) });
    return true;
  }

  async countAttempt(counterKey: string, lockKey: string, limits: AttemptLimits): Promise<AttemptCount> {
    // No await anywhere in here: the check and the count are one step.
    const lockedUntil = Number(this.read(lockKey) ?? 0);
    if (lockedUntil > limits.nowMs) return { allowed: false, lockedUntil };
    let entry = this.live(counterKey);
    if (!entry) {
      entry = { value: '0', expiresAt: this.expiry(limits.windowSeconds) };
      this.entries.set(counterKey, entry);
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    if (count <= limits.max) return { allowed: true, count };
    // The window's end on the caller's clock, as on Redis (now + the counter's remaining life).
    const remainingMs =
      entry.expiresAt === undefined ? limits.windowSeconds * 1000 : entry.expiresAt - this.now();
    return { allowed: false, lockedUntil: limits.nowMs + Math.max(1000, remainingMs) };
  }

  async reserveSend(plan: SendReservation): Promise<SendReservationOutcome> {
    // No await anywhere in here: the checks and the counts are one step, as the script on Redis.
    const cooldown = sendCooldownSeconds(plan.cooldown, Number(this.read(plan.sendsKey) ?? 0));
    if (this.live(plan.cooldownKey)) {
      return {
        allowed: false,
        refusedBy: 'cooldown',
        retryAfterSeconds: Math.max(1, this.ttlNow(plan.cooldownKey)),
      };
    }
    const shared = this.read(plan.sharedCooldownKey);
    if (shared !== null && shared !== plan.holder) {
      return {
        allowed: false,
        refusedBy: 'shared_cooldown',
        retryAfterSeconds: Math.max(1, this.ttlNow(plan.sharedCooldownKey)),
      };
    }
    const counted: Entry[] = [];
    for (const [index, window] of plan.windows.entries()) {
      let entry = this.live(window.key);
      if (!entry) {
        entry = { value: '0', expiresAt: this.expiry(window.ttlSeconds) };
        this.entries.set(window.key, entry);
      }
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      counted.push(entry);
      if (count > window.limit) {
        for (const taken of counted) taken.value = String(Number(taken.value) - 1);
        // A refused send lifts the holder's shared cooldown too (as a release would).
        if (shared === plan.holder) this.entries.delete(plan.sharedCooldownKey);
        return { allowed: false, refusedBy: 'window', window: index };
      }
    }
    this.entries.set(plan.cooldownKey, { value: '1', expiresAt: this.expiry(cooldown) });
    this.entries.set(plan.sharedCooldownKey, { value: plan.holder, expiresAt: this.expiry(cooldown) });
    const sends = this.live(plan.sendsKey);
    if (sends) sends.value = String(Number(sends.value) + 1);
    else this.entries.set(plan.sendsKey, { value: '1', expiresAt: this.expiry(plan.sendsTtlSeconds) });
    return { allowed: true };
  }

  async ttl(key: string): Promise<number> {
    return this.ttlNow(key);
  }

  private ttlNow(key: string): number {
    const entry = this.live(key);
    if (!entry) return -2;
    if (entry.expiresAt === undefined) return -1;
    return Math.max(0, Math.ceil((entry.expiresAt - this.now()) / 1000));
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    const entry = this.live(key);
    if (!entry) return false;
    entry.expiresAt = this.expiry(ttlSeconds);
    return true;
  }

  async addToSet(key: string, member: string, ttlSeconds?: number): Promise<void> {
    let entry = this.live(key);
    if (!entry || !(entry.value instanceof Set)) {
      entry = { value: new Set<string>() };
      this.entries.set(key, entry);
    }
    (entry.value as Set<string>).add(member);
    if (ttlSeconds !== undefined) {
      const wanted = this.expiry(ttlSeconds) as number;
      if (entry.expiresAt === undefined || entry.expiresAt < wanted) entry.expiresAt = wanted;
    }
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    const entry = this.live(key);
    if (entry?.value instanceof Set) {
      entry.value.delete(member);
      if (entry.value.size === 0) this.entries.delete(key);
    }
  }

  async setMembers(key: string): Promise<string[]> {
    const value = this.live(key)?.value;
    return value instanceof Set ? [...value] : [];
  }

  async putInMap(key: string, field: string, value: string, ttlSeconds?: number): Promise<void> {
    let entry = this.live(key);
    if (!entry || !(entry.value instanceof StringMap)) {
      entry = { value: new StringMap() };
      this.entries.set(key, entry);
    }
    (entry.value as StringMap).set(field, value);
    if (ttlSeconds !== undefined) {
      const wanted = this.expiry(ttlSeconds) as number;
      if (entry.expiresAt === undefined || entry.expiresAt < wanted) entry.expiresAt = wanted;
    }
  }

  async getFromMap(key: string, field: string): Promise<string | null> {
    const value = this.live(key)?.value;
    return value instanceof StringMap ? (value.get(field) ?? null) : null;
  }

  async removeFromMap(key: string, field: string): Promise<void> {
    const entry = this.live(key);
    if (entry?.value instanceof StringMap) {
      entry.value.delete(field);
      if (entry.value.size === 0) this.entries.delete(key);
    }
  }

  async mapEntries(key: string): Promise<Record<string, string>> {
    const value = this.live(key)?.value;
    return value instanceof StringMap ? Object.fromEntries(value) : {};
  }

  async addToTimedSet(
    key: string,
    member: string,
    expiresAtSeconds: number,
    ttlSeconds?: number,
  ): Promise<void> {
    let entry = this.live(key);
    if (!entry || !(entry.value instanceof Map) || entry.value instanceof StringMap) {
      entry = { value: new Map<string, number>() };
      this.entries.set(key, entry);
    }
    const members = entry.value as Map<string, number>;
    members.set(member, expiresAtSeconds);
    const now = this.now() / 1000;
    for (const [candidate, expiresAt] of members)
      if (expiresAt > 0 && expiresAt < now) members.delete(candidate);
    if (ttlSeconds !== undefined) {
      const wanted = this.expiry(ttlSeconds) as number;
      if (entry.expiresAt === undefined || entry.expiresAt < wanted) entry.expiresAt = wanted;
    }
  }

  async removeFromTimedSet(key: string, member: string): Promise<void> {
    const value = this.live(key)?.value;
    if (value instanceof Map && !(value instanceof StringMap)) value.delete(member);
  }

  async timedSetMembers(key: string): Promise<string[]> {
    const value = this.live(key)?.value;
    if (!(value instanceof Map) || value instanceof StringMap) return [];
    const now = this.now() / 1000;
    return [...value]
      .filter(([, expiresAt]) => expiresAt === 0 || expiresAt >= now)
      .map(([member]) => member);
  }

  async appendLog(key: string, entry: Record<string, string>, maxLength: number): Promise<string> {
    const log = this.logs.get(key) ?? [];
    this.logSequence += 1;
    const id = `${this.now()}-${this.logSequence}`;
    log.push({ id, fields: { ...entry } });
    if (log.length > maxLength) log.splice(0, log.length - maxLength);
    this.logs.set(key, log);
    return id;
  }

  async readLog(key: string, count: number): Promise<LogEntry[]> {
    return (this.logs.get(key) ?? []).slice(-count).reverse();
  }

  async trimLog(key: string, olderThanEpochMs: number): Promise<void> {
    const log = this.logs.get(key);
    if (log)
      this.logs.set(
        key,
        log.filter(({ id }) => Number(id.split('-')[0]) >= olderThanEpochMs),
      );
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private read(key: string): string | null {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : null;
  }

  private expiry(ttlSeconds?: number): number | undefined {
    return ttlSeconds === undefined ? undefined : this.now() + ttlSeconds * 1000;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of this.entries.keys()) this.live(key);
  }
}
