import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { ClientBusyError, createClientLock } from '../../../src/admin/client-lock.js';
import { clientLockKey } from '../../../src/admin/keys.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';

for (const factory of storeFactories) {
  describe(`client lock: ${factory.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => store.close());

    it('runs the changes of one client one at a time, and lets other clients through', async () => {
      const lock = createClientLock(store, { lockSeconds: 10, retryMs: 5, attempts: 200 });
      let inside = 0;
      let most = 0;
      const change = () =>
        lock('c1', async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(10);
          inside--;
        });
      await Promise.all([change(), change(), change(), change(), change()]);
      expect(most).to.equal(1);
      expect(await store.get(clientLockKey('c1'))).to.equal(null);
      // Another client is never held up by c1's lock.
      await store.set(clientLockKey('c1'), 'someone', 10);
      expect(await lock('c2', async () => 'done')).to.equal('done');
    });

    it('gives up with ClientBusyError while another holds the client, and releases after a failed change', async () => {
      const lock = createClientLock(store, { lockSeconds: 10, retryMs: 5, attempts: 3 });
      await store.set(clientLockKey('busy'), 'someone-else', 10);
      let ran = false;
      const refused = await lock('busy', async () => {
        ran = true;
      }).catch((error: unknown) => error);
      expect(refused).to.be.instanceOf(ClientBusyError);
      expect(ran).to.equal(false);
      expect(await store.get(clientLockKey('busy'))).to.equal('someone-else');

      const failed = await lock('free', async () => {
        throw new Error('change failed');
      }).catch((error: Error) => error.message);
      expect(failed).to.equal('change failed');
      expect(await store.get(clientLockKey('free'))).to.equal(null);
    });

    it("a change that outlived its lock does not release the next holder's", async () => {
      const lock = createClientLock(store, { lockSeconds: 1, retryMs: 5, attempts: 3 });
      await lock('slow', async () => {
        await sleep(1100); // the lock lapses meanwhile and another change takes it
        expect(await store.setIfAbsent(clientLockKey('slow'), 'next-holder', 10)).to.equal(true);
      });
      expect(await store.get(clientLockKey('slow'))).to.equal('next-holder');
    });
  });
}
