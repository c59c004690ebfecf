import type { Store } from '../store/store.js';

/** A named limit: at most `limit` events per `seconds`-long window. */
export interface LimitWindow {
  /** Part of the store key, e.g. `sms:mobile:hour`. */
  name: string;
  limit: number;
  seconds: number;
}

/** One counted event; keep it to take the event back from exactly the window it went into. */
export interface WindowHit {
  readonly key: string;
  readonly window: LimitWindow;
  /** The count including this event. */
  readonly count: number;
  readonly exceeded: boolean;
  /** Seconds until the window closes and the count starts again. */
  readonly retryAfterSeconds: number;
}

export interface FixedWindowCounter {
  /** Counts one event for `subject` in `window`. */
  hit(window: LimitWindow, subject: string): Promise<WindowHit>;
  /** Takes back an event counted by `hit` (a refused or released reservation). */
  undo(hit: WindowHit): Promise<void>;
  /**
   * Takes back one event of the current window, for callers that kept no `WindowHit`. Never
   * goes below zero, so an event counted in a window that has since closed is simply dropped.
   */
  undoCurrent(window: LimitWindow, subject: string): Promise<void>;
  /** Events counted so far in the current window. */
  count(window: LimitWindow, subject: string): Promise<number>;
  /**
   * Where `hit` would count now, for a caller that counts through a Store primitive of its own
   * (Store.reserveSend): the key, the TTL a new counter gets, the seconds until the window ends.
   */
  current(
    window: LimitWindow,
    subject: string,
  ): { key: string; ttlSeconds: number; retryAfterSeconds: number };
}

// A key outlives its window by a little, so that a node whose clock runs slightly behind still
// finds the counter of the window it believes is current.
const CLOCK_SKEW_SLACK_SECONDS = 60;

/**
 * Fixed windows aligned to the clock (hour windows start on the hour, UTC), counted with
 * `store.increment`. The window index is part of the key and comes from the injected clock, so
 * tests can move time on both stores and every node of a cluster agrees on the boundaries.
 */
export function createFixedWindowCounter(deps: { store: Store; now?: () => number }): FixedWindowCounter {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  function locate(window: LimitWindow, subject: string) {
    const windowMs = window.seconds * 1000;
    const at = now();
    const index = Math.floor(at / windowMs);
    const remainingSeconds = Math.max(1, Math.ceil(((index + 1) * windowMs - at) / 1000));
    return { key: `limit:${window.name}:${subject}:${index}`, remainingSeconds };
  }

  async function decrement(key: string, window: LimitWindow): Promise<void> {
    const ttl = window.seconds + CLOCK_SKEW_SLACK_SECONDS;
    const count = await store.increment(key, ttl, -1);
    // Below zero means the counter had already expired and this call created it: put it back
    // to zero rather than hand out a free event.
    if (count < 0) await store.increment(key, ttl, -count);
  }

  return {
    async hit(window, subject) {
      const { key, remainingSeconds } = locate(window, subject);
      const count = await store.increment(key, remainingSeconds + CLOCK_SKEW_SLACK_SECONDS);
      return { key, window, count, exceeded: count > window.limit, retryAfterSeconds: remainingSeconds };
    },

    undo: (hit) => decrement(hit.key, hit.window),

    undoCurrent: (window, subject) => decrement(locate(window, subject).key, window),

    current(window, subject) {
      const { key, remainingSeconds } = locate(window, subject);
      return {
        key,
        ttlSeconds: remainingSeconds + CLOCK_SKEW_SLACK_SECONDS,
        retryAfterSeconds: remainingSeconds,
      };
    },

    async count(window, subject) {
      return Number((await store.get(locate(window, subject).key)) ?? 0);
    },
  };
}

/**
 * Counts one event in each window in turn and stops at the first one that is over its limit.
 * All-or-nothing: when one window refuses, the events already counted in the others are taken
 * back, so a refused attempt spends nobody's quota.
 */
export async function hitAll(
  counter: FixedWindowCounter,
  hits: ReadonlyArray<{ window: LimitWindow; subject: string }>,
): Promise<{ ok: true; hits: WindowHit[] } | { ok: false; refusedBy: WindowHit }> {
  const taken: WindowHit[] = [];
  let refusedBy: WindowHit | undefined;
  try {
    for (const { window, subject } of hits) {
      const hit = await counter.hit(window, subject);
      taken.push(hit);
      if (hit.exceeded) {
        refusedBy = hit;
        break;
      }
    }
  } catch (error) {
    // The store failed half-way: give back what was counted if it still answers.
    await undoAll(counter, taken).catch(() => {});
    throw error;
  }
  if (refusedBy) {
    await undoAll(counter, taken);
    return { ok: false, refusedBy };
  }
  return { ok: true, hits: taken };
}

async function undoAll(counter: FixedWindowCounter, hits: readonly WindowHit[]): Promise<void> {
  await Promise.all(hits.map((hit) => counter.undo(hit)));
}
