import { expect } from 'chai';
import { createConsentIndex } from '../../../src/accounts/consent-index.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { withClockedStore } from './domain-test-kit.js';

for (const factory of storeFactories) {
  describe(`consent index: the person's sites (${factory.name})`, () => {
    let store: Store;
    withClockedStore(factory, (fresh) => {
      store = fresh.store;
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
  });
}
