import { expect } from 'chai';
import { createConsentIndex } from '../../../src/accounts/consent-index.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { type FakeClock, withClockedStore } from './domain-test-kit.js';

for (const factory of storeFactories) {
  describe(`consent index: the person's sites (${factory.name})`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => {
      store = fresh.store;
      clock = fresh.clock;
    });

    it('lists each person’s own sites with what they got and when, and forgets one', async () => {
      const consents = createConsentIndex(store);
      await consents.remember(
        'sub-a',
        'sales',
        { grantId: 'g1', scope: 'openid profile', claims: [], grantedAt: 100 },
        60,
      );
      await consents.remember('sub-a', 'service', { grantId: 'g2', scope: 'openid phone', claims: [] }, 60);
      await consents.remember('sub-b', 'sales', { grantId: 'g3', scope: 'openid', claims: [] }, 60);
      expect(await consents.listFor('sub-a')).to.deep.equal([
        {
          clientId: 'sales',
          consent: { grantId: 'g1', scope: 'openid profile', claims: [], grantedAt: 100 },
        },
        { clientId: 'service', consent: { grantId: 'g2', scope: 'openid phone', claims: [] } },
      ]);
      await consents.forget('sub-a', 'sales');
      expect((await consents.listFor('sub-a')).map((site) => site.clientId)).to.deep.equal(['service']);
      expect((await consents.listFor('sub-b')).map((site) => site.clientId)).to.deep.equal(['sales']);
      expect(await consents.listFor('sub-c')).to.deep.equal([]);
    });

    it('keeps one map per person; each record ends on its own', async () => {
      const consents = createConsentIndex(store, clock.now);
      await consents.remember('sub-a', 'sales', { grantId: 'g1', scope: 'openid', claims: [] }, 60);
      await consents.remember('sub-a', 'service', { grantId: 'g2', scope: 'openid', claims: [] }, 600);
      expect(Object.keys(await store.mapEntries('consents:{sub-a}')).sort()).to.deep.equal([
        'sales',
        'service',
      ]);
      // Short enough for Redis's compact form of a small hash (values of at most 64 bytes).
      expect((await store.getFromMap('consents:{sub-a}', 'sales'))?.length).to.be.at.most(64);
      clock.advance(61);
      expect(await consents.find('sub-a', 'sales')).to.equal(undefined);
      expect((await consents.listFor('sub-a')).map((site) => site.clientId)).to.deep.equal(['service']);
      expect(await consents.find('sub-a', 'service')).to.deep.equal({
        grantId: 'g2',
        scope: 'openid',
        claims: [],
      });
    });

    it('still reads and forgets the records kept before the map (a key per site and a set)', async () => {
      const consents = createConsentIndex(store, clock.now);
      await store.set(
        'consent:{sub-a}:old',
        JSON.stringify({ grantId: 'g0', scope: 'openid', claims: [] }),
        60,
      );
      await store.addToSet('consent:{sub-a}', 'old', 60);
      await consents.remember('sub-a', 'new', { grantId: 'g1', scope: 'openid', claims: [] }, 60);
      expect(await consents.find('sub-a', 'old')).to.deep.equal({
        grantId: 'g0',
        scope: 'openid',
        claims: [],
      });
      expect((await consents.listFor('sub-a')).map((site) => site.clientId)).to.deep.equal(['new', 'old']);
      await consents.forget('sub-a', 'old');
      expect(await consents.find('sub-a', 'old')).to.equal(undefined);
      expect((await consents.listFor('sub-a')).map((site) => site.clientId)).to.deep.equal(['new']);
    });
  });
}
