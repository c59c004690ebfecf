import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { startTestRedis, type TestRedis, uniquePrefix } from './redis-server.js';

let shared: Promise<TestRedis> | undefined;

/** One private redis-server for the whole test run, started on first use. */
export function sharedTestRedis(): Promise<TestRedis> {
  shared ??= startTestRedis();
  return shared;
}

after(async () => {
  if (shared) await (await shared).stop();
});

export interface StoreFactory {
  name: 'memory' | 'redis';
  create(): Promise<Store>;
}

/** Both store implementations, so one suite can run its cases against each. */
export const storeFactories: StoreFactory[] = [
  { name: 'memory', create: async () => new MemoryStore() },
  {
    name: 'redis',
    create: async () =>
      new RedisStore({ url: (await sharedTestRedis()).url, keyPrefix: uniquePrefix('store') }, Date.now),
  },
];
