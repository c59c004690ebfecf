import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisStore } from '../../../src/store/redis-store.js';
import { uniquePrefix } from '../../helpers/redis-server.js';
import { sharedTestRedis } from '../../helpers/stores.js';

/**
 * The store's Lua scripts run by SHA (EVALSHA) and fall back to their source when Redis does not
 * know them: after a restart, a failover to a fresh replica or SCRIPT FLUSH.
 */
describe('Redis store: Lua scripts by SHA', () => {
  let store: RedisStore;
  let raw: Redis;
  let prefix: string;

  beforeEach(async () => {
    const { url } = await sharedTestRedis();
    prefix = uniquePrefix('scripts');
    store = new RedisStore({ url, keyPrefix: prefix }, Date.now);
    raw = new Redis(url);
  });
  afterEach(async () => {
    await store.close();
    raw.disconnect();
  });

  it('still runs every script after Redis forgot them all (SCRIPT FLUSH), with the same results', async () => {
    expect(await store.increment('{c}:n', 60)).to.equal(1);
    await raw.script('FLUSH');
    expect(await store.increment('{c}:n', 60)).to.equal(2);
    await raw.script('FLUSH');
    expect(
      await store.incrementAll([
        { key: '{c}:n', ttlSeconds: 60 },
        { key: '{c}:m', ttlSeconds: 60 },
      ]),
    ).to.deep.equal([3, 1]);
    await raw.script('FLUSH');
    expect(await store.deleteIfEquals('{c}:m', '1')).to.equal(true);
    expect(await store.prependLine('{c}:lines', 'a', 3, 60)).to.equal(true);
    await raw.script('FLUSH');
    const counted = await store.countAttempt('{c}:wrong', '{c}:lock', {
      nowMs: Date.now(),
      max: 5,
      windowSeconds: 60,
    });
    expect(counted).to.deep.equal({ allowed: true, count: 1 });
  });

  it("prefixes a script's keys, whatever their number (here 12 counters of one hash tag)", async () => {
    const counters = Array.from({ length: 12 }, (_, i) => ({ key: `{many}:k${i}`, ttlSeconds: 60 }));
    expect(await store.incrementAll(counters, 2)).to.deep.equal(Array(12).fill(2));
    expect(await raw.get(`${prefix}{many}:k11`)).to.equal('2');
    expect(await raw.ttl(`${prefix}{many}:k0`)).to.be.within(59, 60);
    expect(await raw.exists('{many}:k0')).to.equal(0);
  });

  it('200 concurrent first calls after a flush: every one answers, each increment counted once', async () => {
    await raw.script('FLUSH');
    const values = await Promise.all(Array.from({ length: 200 }, () => store.increment('{race}:n', 60)));
    expect([...values].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});
