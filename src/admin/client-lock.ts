import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store/store.js';
import { clientLockKey } from './keys.js';

/**
 * A short per-client lock, so that two changes of one client (read, modify, write), from two
 * requests or two nodes, do not overwrite each other. It expires by itself (`lockSeconds`) should
 * its holder die; its release deletes it only while it still holds the holder's own token, in one
 * atomic step, so a change that outlived its lock never releases the next holder's.
 */

export interface ClientLockTiming {
  /** How long a lock lives if its holder never releases it. */
  lockSeconds: number;
  retryMs: number;
  /** Retries before giving up with ClientBusyError. */
  attempts: number;
}

/** About five seconds of waiting; an admin change takes milliseconds. */
const DEFAULT_TIMING: ClientLockTiming = { lockSeconds: 10, retryMs: 100, attempts: 50 };

/** Thrown when the client stayed locked through every attempt. */
export class ClientBusyError extends Error {
  override readonly name = 'ClientBusyError';
}

export type ClientLock = <T>(clientId: string, work: () => Promise<T>) => Promise<T>;

export function createClientLock(store: Store, timing: ClientLockTiming = DEFAULT_TIMING): ClientLock {
  const { lockSeconds, retryMs, attempts } = timing;
  return async (clientId, work) => {
    const key = clientLockKey(clientId);
    const token = randomBytes(8).toString('hex');
    for (let attempt = 0; ; attempt++) {
      if (await store.setIfAbsent(key, token, lockSeconds)) break;
      if (attempt >= attempts) throw new ClientBusyError(`client ${clientId} is locked`);
      await sleep(retryMs);
    }
    try {
      return await work();
    } finally {
      await store.deleteIfEquals(key, token);
    }
  };
}
