import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';

for (const factory of storeFactories) {
  describe(`store contract: ${factory.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => store.close());

    it('sets, gets and deletes; a missing key is null', async () => {
      expect(await store.get('a')).to.equal(null);
      await store.set('a', '1');
      expect(await store.get('a')).to.equal('1');
      expect(await store.ttl('a')).to.equal(-1);
      await store.delete('a');
      expect(await store.get('a')).to.equal(null);
      expect(await store.ttl('a')).to.equal(-2);
    });

    it('honours TTLs', async () => {
      await store.set('short', 'x', 1);
      expect(await store.ttl('short')).to.be.within(0, 1);
      await sleep(1100);
      expect(await store.get('short')).to.equal(null);
    });

    it('reads many keys of one hash tag at once', async () => {
      await store.set('{t}:a', '1');
      await store.set('{t}:c', '3');
      expect(await store.getMany(['{t}:a', '{t}:b', '{t}:c'])).to.deep.equal(['1', null, '3']);
      expect(await store.getMany([])).to.deep.equal([]);
    });

    it('setIfAbsent: of 20 concurrent callers exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setIfAbsent('once', String(i), 60)),
      );
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await store.ttl('once')).to.be.within(59, 60);
    });

    it('take: of 20 concurrent callers exactly one gets the value, then it is gone', async () => {
      await store.set('ticket', 'v', 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.take('ticket')));
      expect(results.filter((value) => value === 'v')).to.have.length(1);
      expect(await store.get('ticket')).to.equal(null);
    });

    it('deleteIfEquals deletes only while the key holds that value', async () => {
      await store.set('lock', 'mine', 60);
      expect(await store.deleteIfEquals('lock', 'theirs')).to.equal(false);
      expect(await store.get('lock')).to.equal('mine');
      expect(await store.deleteIfEquals('lock', 'mine')).to.equal(true);
      expect(await store.get('lock')).to.equal(null);
      expect(await store.deleteIfEquals('lock', 'mine')).to.equal(false);
    });

    it('deleteIfEquals: a late release never deletes the lock another owner took over', async () => {
      // 20 releases by the old owner race 20 takeovers: one release wins, then one takeover,
      // and every later release must leave the new owner's lock alone.
      await store.set('{l}:lock', 'old-owner', 60);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => [
          store.deleteIfEquals('{l}:lock', 'old-owner'),
          store.setIfAbsent('{l}:lock', `new-owner-${i}`, 60),
        ]).flat(),
      );
      const released = results.filter((won, i) => i % 2 === 0 && won);
      const taken = results.map((won, i) => (i % 2 === 1 && won ? i : -1)).filter((i) => i >= 0);
      expect(released).to.have.length(1);
      expect(taken).to.have.length(1);
      expect(await store.get('{l}:lock')).to.equal(`new-owner-${(taken[0]! - 1) / 2}`);
    });

    it('increment creates with a TTL and keeps it (fixed window)', async () => {
      expect(await store.increment('count', 60)).to.equal(1);
      await store.expire('count', 30);
      expect(await store.increment('count', 60, 4)).to.equal(5);
      expect(await store.ttl('count')).to.be.within(29, 30);
      const many = await Promise.all(Array.from({ length: 50 }, () => store.increment('race', 60)));
      expect(Math.max(...many)).to.equal(50);
      expect(new Set(many).size).to.equal(50);
    });

    it('incrementAll counts several counters in one step, each created with its own TTL', async () => {
      await store.increment('{c}:b', 60, 2);
      await store.expire('{c}:b', 30);
      const counters = [
        { key: '{c}:a', ttlSeconds: 60 },
        { key: '{c}:b', ttlSeconds: 600 },
      ];
      expect(await store.incrementAll(counters)).to.deep.equal([1, 3]);
      expect(await store.incrementAll(counters, 5)).to.deep.equal([6, 8]);
      expect(await store.ttl('{c}:a')).to.be.within(59, 60);
      // An existing counter keeps its TTL (fixed windows).
      expect(await store.ttl('{c}:b')).to.be.within(29, 30);
      const many = await Promise.all(Array.from({ length: 50 }, () => store.incrementAll(counters)));
      expect(new Set(many.map(([a]) => a)).size).to.equal(50);
      expect(await store.get('{c}:b')).to.equal('58');
      expect(await store.incrementAll([])).to.deep.equal([]);
    });

    it('prependLine: newest first, capped, a fresh TTL; concurrent writers lose nothing; JSON is left alone', async () => {
      expect(await store.prependLine('lines', 'one', 3, 60)).to.equal(true);
      expect(await store.prependLine('lines', 'two', 3, 60)).to.equal(true);
      expect(await store.get('lines')).to.equal('two\none');
      await store.expire('lines', 10);
      await store.prependLine('lines', 'three', 3, 60);
      await store.prependLine('lines', 'four', 3, 60);
      expect(await store.get('lines')).to.equal('four\nthree\ntwo');
      expect(await store.ttl('lines')).to.be.within(59, 60);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.prependLine('burst', `l${i}`, 50, 60)));
      expect((await store.get('burst'))?.split('\n')).to.have.length(20);
      await store.set('old', '[[1,"a"]]');
      expect(await store.prependLine('old', 'new', 3, 60)).to.equal(false);
      expect(await store.get('old')).to.equal('[[1,"a"]]');
    });

    it('countAttempt: of 1,000 concurrent attempts exactly max are allowed; a lock refuses all', async () => {
      const nowMs = Date.now();
      const limits = { max: 5, windowSeconds: 900, nowMs };
      const results = await Promise.all(
        Array.from({ length: 1000 }, () => store.countAttempt('{m}:wrong', '{m}:lock', limits)),
      );
      const allowed = results.filter((result) => result.allowed);
      expect(allowed.map((result) => (result.allowed ? result.count : 0)).sort()).to.deep.equal([
        1, 2, 3, 4, 5,
      ]);
      for (const result of results.filter((r) => !r.allowed))
        expect(result.allowed ? 0 : result.lockedUntil).to.be.within(nowMs + 899_000, nowMs + 900_000);
      expect(await store.ttl('{m}:wrong')).to.be.within(899, 900);

      await store.delete('{m}:wrong');
      await store.set('{m}:lock', String(nowMs + 60_000), 60);
      expect(await store.countAttempt('{m}:wrong', '{m}:lock', limits)).to.deep.equal({
        allowed: false,
        lockedUntil: nowMs + 60_000,
      });
      expect(await store.get('{m}:wrong'), 'nothing counted while locked').to.equal(null);
      // A lock whose instant has passed (by the caller's clock) no longer refuses.
      const later = { ...limits, nowMs: nowMs + 61_000 };
      expect(await store.countAttempt('{m}:wrong', '{m}:lock', later)).to.deep.equal({
        allowed: true,
        count: 1,
      });
    });

    it('reserveSend: cooldowns, then windows in order; all or nothing; the wait grows', async () => {
      const plan = (holder: string, limits: number[]) => ({
        sendsKey: `{s}:sends:${holder}`,
        sendsTtlSeconds: 600,
        cooldownKey: `{s}:cooldown:${holder}`,
        sharedCooldownKey: '{s}:cooldown:shared',
        holder,
        cooldown: { baseSeconds: 10, growth: 2, maxSeconds: 25 },
        windows: limits.map((limit, i) => ({ key: `{s}:w${i}`, limit, ttlSeconds: 100 })),
      });
      // Of 50 concurrent reservations of one holder exactly one passes (its cooldown is its lock).
      const first = await Promise.all(Array.from({ length: 50 }, () => store.reserveSend(plan('a', [5, 5]))));
      expect(first.filter((outcome) => outcome.allowed)).to.have.length(1);
      expect(first.find((outcome) => !outcome.allowed)).to.deep.include({ refusedBy: 'cooldown' });
      expect(await store.ttl('{s}:cooldown:a')).to.be.within(9, 10);
      expect(await store.get('{s}:cooldown:shared')).to.equal('a');
      expect(await store.getMany(['{s}:w0', '{s}:w1', '{s}:sends:a'])).to.deep.equal(['1', '1', '1']);
      // Another holder meets the shared cooldown and counts nothing.
      const other = await store.reserveSend(plan('b', [5, 5]));
      expect(other).to.deep.include({ allowed: false, refusedBy: 'shared_cooldown' });
      expect(await store.ttl('{s}:cooldown:b')).to.equal(-2);
      // The holder's own cooldown over, its shared claim does not refuse it; the wait doubles.
      await store.delete('{s}:cooldown:a');
      expect(await store.reserveSend(plan('a', [5, 5]))).to.deep.equal({ allowed: true });
      expect(await store.ttl('{s}:cooldown:a')).to.be.within(19, 20);
      await store.delete('{s}:cooldown:a');
      // The second window full: the first is given back, both cooldowns lifted, no send counted.
      expect(await store.reserveSend(plan('a', [5, 2]))).to.deep.equal({
        allowed: false,
        refusedBy: 'window',
        window: 1,
      });
      expect(await store.getMany(['{s}:w0', '{s}:w1', '{s}:sends:a'])).to.deep.equal(['2', '2', '2']);
      expect(await store.get('{s}:cooldown:shared')).to.equal(null);
      expect(await store.ttl('{s}:cooldown:a')).to.equal(-2);
      // The wait stops at its maximum (10 × 2² = 40 > 25).
      expect(await store.reserveSend(plan('a', [5, 5]))).to.deep.equal({ allowed: true });
      expect(await store.ttl('{s}:cooldown:a')).to.be.within(24, 25);
      expect(await store.ttl('{s}:w0')).to.be.within(99, 100);
    });

    it('maps: put, get, remove, list; the TTL only ever grows', async () => {
      await store.putInMap('m', 'a', '1', 60);
      await store.putInMap('m', 'b', '2', 30);
      expect(await store.getFromMap('m', 'a')).to.equal('1');
      expect(await store.getFromMap('m', 'c')).to.equal(null);
      expect(await store.mapEntries('m')).to.deep.equal({ a: '1', b: '2' });
      expect(await store.ttl('m')).to.be.within(59, 60);
      await store.removeFromMap('m', 'a');
      expect(await store.mapEntries('m')).to.deep.equal({ b: '2' });
      await store.removeFromMap('m', 'b');
      expect(await store.mapEntries('m')).to.deep.equal({});
      expect(await store.getFromMap('absent', 'a')).to.equal(null);
    });

    it('expire reports whether the key existed', async () => {
      expect(await store.expire('nothing', 10)).to.equal(false);
      await store.set('thing', '1');
      expect(await store.expire('thing', 10)).to.equal(true);
      expect(await store.ttl('thing')).to.be.within(9, 10);
    });

    it('sets: add, list, remove; the TTL only ever grows', async () => {
      await store.addToSet('s', 'a', 100);
      await store.addToSet('s', 'b', 10);
      expect((await store.setMembers('s')).sort()).to.deep.equal(['a', 'b']);
      expect(await store.ttl('s')).to.be.within(99, 100);
      await store.removeFromSet('s', 'a');
      expect(await store.setMembers('s')).to.deep.equal(['b']);
      expect(await store.setMembers('none')).to.deep.equal([]);
    });

    it('logs: append-only, capped, newest first', async () => {
      for (let i = 0; i < 5; i++) await store.appendLog('log', { n: String(i) }, 1000);
      const entries = await store.readLog('log', 3);
      expect(entries.map((entry) => entry.fields.n)).to.deep.equal(['4', '3', '2']);
      expect(entries[0]?.id).to.be.a('string').and.not.equal('');
    });

    it('logs: trimmed by age', async () => {
      await store.appendLog('aged', { n: 'old' }, 1000);
      await sleep(5);
      const cut = Date.now();
      await sleep(5);
      await store.appendLog('aged', { n: 'new' }, 1000);
      await store.trimLog('aged', cut);
      expect((await store.readLog('aged', 10)).map((entry) => entry.fields.n)).to.deep.equal(['new']);
    });

    it('pings', async () => {
      await store.ping();
    });
  });
}
