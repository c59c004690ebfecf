import { expect } from 'chai';
import { createFirstPartySessionStore } from '../../../src/first-party/first-party-sessions.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';
import { type FakeClock, withClockedStore } from '../domain/domain-test-kit.js';

const identity = { sub: 'sub-a', authTime: 1_750_000_000, amr: ['sms', 'otp'], acr: 'urn:darvaze:acr:sms' };

for (const factory of storeFactories) {
  describe(`first-party sessions (${factory.name})`, () => {
    let store: Store;
    let clock: FakeClock;
    withClockedStore(factory, (fresh) => {
      ({ store, clock } = fresh);
    });
    const sessions = () =>
      createFirstPartySessionStore(store, 'darvaze-test', clock.now, {
        idleSeconds: 900,
        absoluteSeconds: 3600,
        pendingSeconds: 600,
      });

    it('keys hold a hash of the id, never the id; a session ends at its absolute timeout however busy', async () => {
      const { id, session } = await sessions().create(identity);
      expect(id).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(session.csrf)
        .to.match(/^[A-Za-z0-9_-]{43}$/)
        .and.not.equal(id);
      expect(await store.get(`first-party:darvaze-test:session:{${id}}`)).to.equal(null);
      expect(await sessions().load(id)).to.deep.include({ sub: 'sub-a', csrf: session.csrf });
      // Busy for 50 minutes (each visit extends the idle timeout)…
      for (let minute = 0; minute < 50; minute += 10) {
        clock.advance(600);
        expect(await sessions().load(id), `minute ${minute + 10}`).to.not.equal(undefined);
      }
      // …and gone after the hour.
      clock.advance(600);
      expect(await sessions().load(id)).to.equal(undefined);
    });

    if (factory.name === 'memory')
      it('an idle session ends after its idle timeout (the memory store follows the fake clock)', async () => {
        const { id } = await sessions().create(identity);
        clock.advance(14 * 60);
        expect(await sessions().load(id)).to.not.equal(undefined);
        clock.advance(16 * 60);
        expect(await sessions().load(id)).to.equal(undefined);
      });

    it('a malformed or unknown id finds nothing; ending one session leaves the others', async () => {
      for (const id of ['', 'short', `${'a'.repeat(43)}`, '../../etc/passwd', 'x'.repeat(5000)])
        expect(await sessions().load(id)).to.equal(undefined);
      const one = await sessions().create(identity);
      const two = await sessions().create(identity);
      await sessions().end(one.id);
      expect(await sessions().load(one.id)).to.equal(undefined);
      expect(await sessions().load(two.id)).to.not.equal(undefined);
    });

    it('ends every session of one person, and only theirs', async () => {
      const mine = [await sessions().create(identity), await sessions().create(identity)];
      const theirs = await sessions().create({ ...identity, sub: 'sub-b' });
      expect(await sessions().endAllOf('sub-a')).to.equal(2);
      for (const { id } of mine) expect(await sessions().load(id)).to.equal(undefined);
      expect(await sessions().load(theirs.id)).to.not.equal(undefined);
    });

    it('a pending sign-in is taken once, whatever the number of concurrent callbacks', async () => {
      const id = await sessions().savePending({
        state: 's',
        nonce: 'n',
        verifier: 'v',
        returnTo: '/account',
      });
      const taken = await Promise.all(Array.from({ length: 20 }, () => sessions().takePending(id)));
      expect(taken.filter(Boolean)).to.have.length(1);
      expect(taken.find(Boolean)).to.deep.equal({
        state: 's',
        nonce: 'n',
        verifier: 'v',
        returnTo: '/account',
      });
    });
  });
}
