import { expect } from 'chai';
import {
  createFixedWindowCounter,
  hitAll,
  type LimitWindow,
} from '../../../src/limits/fixed-window-counter.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { type FakeClock, withClockedStore } from './domain-test-kit.js';

const hourly: LimitWindow = { name: 'test:hour', limit: 2, seconds: 3600 };
const daily: LimitWindow = { name: 'test:day', limit: 3, seconds: 86_400 };

for (const factory of storeFactories) {
  describe(`fixed-window counter: ${factory.name}`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
    });

    it('counts per subject in clock-aligned windows', async () => {
      const counter = createFixedWindowCounter({ store, now: clock.now });
      clock.advance(59 * 60); // 10:59
      expect(await counter.hit(hourly, 'a')).to.include({ count: 1, exceeded: false, retryAfterSeconds: 60 });
      expect(await counter.hit(hourly, 'a')).to.include({ count: 2, exceeded: false });
      expect(await counter.hit(hourly, 'a')).to.include({ count: 3, exceeded: true });
      expect(await counter.count(hourly, 'b')).to.equal(0);
      clock.advance(60); // 11:00, a new window
      expect(await counter.count(hourly, 'a')).to.equal(0);
      expect(await counter.hit(hourly, 'a')).to.include({ count: 1, retryAfterSeconds: 3600 });
    });

    it('undo takes back from the window the event went into, never below zero', async () => {
      const counter = createFixedWindowCounter({ store, now: clock.now });
      const hit = await counter.hit(hourly, 'a');
      await counter.undo(hit);
      await counter.undo(hit);
      expect(await counter.count(hourly, 'a')).to.equal(0);
      await counter.undoCurrent(hourly, 'never-counted');
      expect(await counter.count(hourly, 'never-counted')).to.equal(0);
      expect(await counter.hit(hourly, 'never-counted')).to.include({ count: 1 });
    });

    it('hitAll is all or nothing', async () => {
      const counter = createFixedWindowCounter({ store, now: clock.now });
      const both = [
        { window: daily, subject: 'a' },
        { window: hourly, subject: 'a' },
      ];
      expect((await hitAll(counter, both)).ok).to.equal(true);
      expect((await hitAll(counter, both)).ok).to.equal(true);
      const refused = await hitAll(counter, both);
      expect(refused.ok === false && refused.refusedBy.window).to.equal(hourly);
      expect(await counter.count(daily, 'a')).to.equal(2);
      expect(await counter.count(hourly, 'a')).to.equal(2);
    });
  });
}
