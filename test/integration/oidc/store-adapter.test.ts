import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { taggedSessionUid } from '../../../src/oidc/session-uids.js';
import { StoreAdapter } from '../../../src/oidc/store-adapter.js';
import { accountSessionsKey, keyOfGrantIndexMember, sessionUidKey } from '../../../src/oidc/store-keys.js';
import type { Store } from '../../../src/store/store.js';
import { storeFactories } from '../../helpers/stores.js';

const MODELS = [
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'Client',
  'InitialAccessToken',
  'RegistrationAccessToken',
  'Interaction',
  'ReplayDetection',
  'PushedAuthorizationRequest',
  'Grant',
  'BackchannelAuthenticationRequest',
];

for (const factory of storeFactories) {
  describe(`oidc adapter on the ${factory.name} store`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => store.close());

    for (const model of MODELS) {
      it(`${model}: upsert, find, destroy`, async () => {
        const adapter = new StoreAdapter(store, model, Date.now);
        await adapter.upsert('id-1', { kind: model, jti: 'id-1', grantId: 'g-1' }, 60);
        expect(await adapter.find('id-1')).to.deep.include({ kind: model, jti: 'id-1' });
        await adapter.destroy('id-1');
        expect(await adapter.find('id-1')).to.equal(undefined);
      });
    }

    it('honours expiresIn', async () => {
      const adapter = new StoreAdapter(store, 'AccessToken', Date.now);
      await adapter.upsert('short', { jti: 'short' }, 1);
      await sleep(1100);
      expect(await adapter.find('short')).to.equal(undefined);
    });

    it('finds sessions by uid and device codes by user code', async () => {
      const sessions = new StoreAdapter(store, 'Session', Date.now);
      await sessions.upsert('session-id', { uid: 'uid-1', accountId: 'a' }, 60);
      expect(await sessions.findByUid('uid-1')).to.deep.include({ accountId: 'a' });
      await sessions.destroy('session-id');
      expect(await sessions.findByUid('uid-1')).to.equal(undefined);

      const devices = new StoreAdapter(store, 'DeviceCode', Date.now);
      await devices.upsert('device-id', { userCode: 'ABCD-EFGH', grantId: 'g' }, 60);
      expect(await devices.findByUserCode('ABCD-EFGH')).to.deep.include({ userCode: 'ABCD-EFGH' });
      expect(await devices.findByUserCode('NOPE')).to.equal(undefined);
    });

    it('finds a session of a tagged uid through its person alone, and the older kind as before', async () => {
      const sessions = new StoreAdapter(store, 'Session', Date.now);
      const uid = taggedSessionUid('acct-1');
      await sessions.upsert('sid-1', { uid, accountId: 'acct-1' }, 60);
      await sessions.upsert('sid-old', { uid: 'plain-uid', accountId: 'acct-1' }, 60);
      expect(await sessions.findByUid(uid)).to.deep.include({ accountId: 'acct-1', jti: 'sid-1' });
      expect(await store.get(sessionUidKey(uid)), 'no uid key of its own').to.equal(null);
      expect(await store.get(sessionUidKey('plain-uid'))).to.equal('sid-old');
      const members = await store.timedSetMembers(accountSessionsKey('acct-1'));
      expect(members.sort()).to.deep.equal([`${uid.split('.')[1]} sid-1`, 'plain-uid'].sort());
      // At most 64 bytes: the person's set stays in Redis's compact form.
      for (const member of members) expect(member.length).to.be.at.most(64);
      // A new id for the same session (sign-in): oidc-provider destroys the old id, then saves.
      await sessions.destroy('sid-1');
      await sessions.upsert('sid-2', { uid, accountId: 'acct-1' }, 60);
      expect(await sessions.findByUid(uid)).to.deep.include({ jti: 'sid-2' });
      // A uid this person's sessions never had finds nothing.
      expect(await sessions.findByUid(taggedSessionUid('acct-1'))).to.equal(undefined);
      await sessions.destroy('sid-2');
      await sessions.destroy('sid-old');
      expect(await sessions.findByUid(uid)).to.equal(undefined);
      expect(await store.timedSetMembers(accountSessionsKey('acct-1'))).to.deep.equal([]);
    });

    it('consume marks once; a second consume fails with invalid_grant', async () => {
      const codes = new StoreAdapter(store, 'AuthorizationCode', Date.now);
      await codes.upsert('code-1', { grantId: 'g-9' }, 60);
      await codes.consume('code-1');
      expect((await codes.find('code-1'))?.consumed).to.be.a('number');
      let failure: unknown;
      await codes.consume('code-1').catch((error) => {
        failure = error;
      });
      expect(failure).to.have.property('error', 'invalid_grant');
    });

    it('of 20 concurrent consumes of one code exactly one wins, and the replay revokes the grant', async () => {
      const codes = new StoreAdapter(store, 'AuthorizationCode', Date.now);
      const tokens = new StoreAdapter(store, 'AccessToken', Date.now);
      const grants = new StoreAdapter(store, 'Grant', Date.now);
      await grants.upsert('g-race', { accountId: 'a' }, 600);
      await codes.upsert('code-race', { grantId: 'g-race' }, 60);
      await tokens.upsert('at-issued', { grantId: 'g-race' }, 600);
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => codes.consume('code-race')));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(1);
      expect(await tokens.find('at-issued')).to.equal(undefined);
      expect(await grants.find('g-race')).to.equal(undefined);
    });

    it('a used code stays used after its grant is revoked or it is destroyed (no second win)', async () => {
      const codes = new StoreAdapter(store, 'AuthorizationCode', Date.now);
      await codes.upsert('code-rev', { grantId: 'g-rev' }, 60);
      await codes.consume('code-rev');
      await codes.revokeByGrantId('g-rev');
      const again = await codes.consume('code-rev').then(
        () => 'won',
        (error: { error?: string }) => error.error,
      );
      expect(again).to.equal('invalid_grant');
      await codes.upsert('code-des', { grantId: 'g-des' }, 60);
      await codes.consume('code-des');
      await codes.destroy('code-des');
      expect(
        await codes.consume('code-des').then(
          () => 'won',
          () => 'refused',
        ),
      ).to.equal('refused');
    });

    it('a rotating refresh token is single use under concurrency too', async () => {
      const refresh = new StoreAdapter(store, 'RefreshToken', Date.now);
      await refresh.upsert('rt-1', { grantId: 'g-rt' }, 600);
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => refresh.consume('rt-1')));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(1);
    });

    it('revokeByGrantId removes every token of the grant and nothing else', async () => {
      const access = new StoreAdapter(store, 'AccessToken', Date.now);
      const refresh = new StoreAdapter(store, 'RefreshToken', Date.now);
      const codes = new StoreAdapter(store, 'AuthorizationCode', Date.now);
      await access.upsert('at-1', { grantId: 'g-a' }, 600);
      await refresh.upsert('rt-1', { grantId: 'g-a' }, 600);
      await codes.upsert('ac-1', { grantId: 'g-a' }, 60);
      await access.upsert('at-other', { grantId: 'g-b' }, 600);
      await access.revokeByGrantId('g-a');
      expect(await access.find('at-1')).to.equal(undefined);
      expect(await refresh.find('rt-1')).to.equal(undefined);
      expect(await codes.find('ac-1')).to.equal(undefined);
      expect(await access.find('at-other')).to.not.equal(undefined);
    });

    it('keeps a used refresh token one day for replay detection, not for its whole chain', async () => {
      const refresh = new StoreAdapter(store, 'RefreshToken', Date.now);
      await refresh.upsert('rt-long', { grantId: 'g-long' }, 30 * 24 * 3600);
      await refresh.consume('rt-long');
      const keys = (await store.timedSetMembers('oidc:grant-index:{g-long}')).map(keyOfGrantIndexMember);
      expect(keys).to.have.length(1);
      expect(await store.ttl(keys[0]!)).to.be.within(24 * 3600 - 5, 24 * 3600);
      expect(await store.ttl(`${keys[0]}:consumed`)).to.be.within(24 * 3600 - 5, 24 * 3600);
    });

    it('drops expired members from a grant index as new tokens are added', async () => {
      const access = new StoreAdapter(store, 'AccessToken', Date.now);
      const past = Math.floor(Date.now() / 1000) - 10;
      await access.upsert('at-expired', { grantId: 'g-prune', exp: past }, 60);
      await access.upsert('at-live', { grantId: 'g-prune', exp: past + 3600 }, 3600);
      await access.upsert('at-7', { grantId: 'g-prune', exp: past + 3600 }, 3600);
      const members = await store.timedSetMembers('oidc:grant-index:{g-prune}');
      expect(members).to.have.length(2);
      await access.revokeByGrantId('g-prune');
      expect(await access.find('at-7')).to.equal(undefined);
    });
  });
}
