/**
 * Shared bits of the domain suites: a clock tests can move, a store per test that follows that
 * clock where it can, and a store wrapper that remembers everything written through it.
 */
import { loadConfig } from '../../../config/load.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { SendReservation, Store } from '../../../src/store/store.js';
import type { StoreFactory } from '../../helpers/stores.js';

/** The shipped limits, read from configuration (their one source) with nothing set. */
export const DEFAULT_LIMITS = loadConfig({}).limits;

export interface FakeClock {
  now: () => number;
  advance(seconds: number): void;
}

/** Starts at 2025-06-15 10:00:00 UTC (on the hour, so window arithmetic is easy to read). */
export function fakeClock(start = Date.UTC(2025, 5, 15, 10, 0, 0)): FakeClock {
  let at = start;
  return {
    now: () => at,
    advance(seconds) {
      at += seconds * 1000;
    },
  };
}

/**
 * The factory's store; the memory one runs on the fake clock so its TTLs follow it. Redis keeps
 * real time: tests that need a TTL to lapse on both use short TTLs and a real wait.
 */
export async function storeFor(factory: StoreFactory, clock: FakeClock): Promise<Store> {
  return factory.name === 'memory' ? new MemoryStore(clock.now) : factory.create();
}

/**
 * Gives each test of the enclosing suite a new fake clock and a store of the factory's kind on it
 * (handed to `assign`), and closes that store after the test.
 */
export function withClockedStore(
  factory: StoreFactory,
  assign: (fresh: { store: Store; clock: FakeClock }) => void,
): void {
  let current: Store | undefined;
  beforeEach(async () => {
    const clock = fakeClock();
    current = await storeFor(factory, clock);
    assign({ store: current, clock });
  });
  afterEach(async () => current?.close());
}

export interface RecordingStore extends Store {
  /** Every key written to and every value written, in order. */
  readonly writes: Array<{ key: string; value: string }>;
}

const WRITING_METHODS = new Set(['set', 'setIfAbsent', 'increment', 'addToSet', 'appendLog']);

/** Passes every call through to `inner` and records what was written. */
export function recording(inner: Store): RecordingStore {
  const writes: Array<{ key: string; value: string }> = [];
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'writes') return writes;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (WRITING_METHODS.has(String(property))) {
          writes.push({ key: String(args[0]), value: JSON.stringify(args[1] ?? '') });
        }
        // One call writes many keys: each key it may write, with the whole plan as its value.
        if (property === 'reserveSend') {
          const plan = args[0] as SendReservation;
          const keys = [
            plan.sendsKey,
            plan.cooldownKey,
            plan.sharedCooldownKey,
            ...plan.windows.map((w) => w.key),
          ];
          for (const key of keys) writes.push({ key, value: JSON.stringify(plan) });
        }
        return value.apply(target, args);
      };
    },
  }) as RecordingStore;
}

/** Everything the store held under the recorded keys, plus the keys themselves, as one text. */
export async function rawContents(store: RecordingStore): Promise<string> {
  const keys = [...new Set(store.writes.map((write) => write.key))];
  const values = await Promise.all(keys.map(async (key) => (await store.get(key).catch(() => null)) ?? ''));
  return [...keys, ...values, ...store.writes.map((write) => write.value)].join('\n');
}
