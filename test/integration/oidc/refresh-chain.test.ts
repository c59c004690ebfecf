import { expect } from 'chai';
import { Redis } from 'ioredis';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import { nextChainToken, parseChainToken } from '../../../src/oidc/refresh-chain.js';
import { StoreAdapter } from '../../../src/oidc/store-adapter.js';
import {
  accountSessionsKey,
  isChainIndexMember,
  keyOfGrantIndexMember,
} from '../../../src/oidc/store-keys.js';
import type { Store } from '../../../src/store/store.js';
import {
  browserFor,
  type Harness,
  startHarness,
  type TestClient,
  tokenRequest,
} from '../../helpers/harness.js';
import { signIn } from '../../helpers/journey.js';
import { uniquePrefix } from '../../helpers/redis-server.js';
import { sharedTestRedis, storeFactories } from '../../helpers/stores.js';

const citizen = DEMO_CITIZENS.find((c) => c.case === 'ordinary')!;

for (const factory of storeFactories) {
  describe(`refresh-token chains in the oidc adapter on the ${factory.name} store`, () => {
    let store: Store;
    let refresh: StoreAdapter;
    beforeEach(async () => {
      store = await factory.create();
      refresh = new StoreAdapter(store, 'RefreshToken', Date.now);
    });
    afterEach(async () => store.close());

    /** Issues the first token of a chain, then rotates it `times` times as oidc-provider does. */
    async function chainOf(grantId: string, times: number): Promise<string[]> {
      const values = [nextChainToken()];
      await refresh.upsert(values[0]!, { grantId, kind: 'RefreshToken' }, 600);
      for (let i = 0; i < times; i++) {
        const current = values.at(-1)!;
        await refresh.consume(current);
        const next = nextChainToken(current);
        await refresh.upsert(next, { grantId, kind: 'RefreshToken', rotations: i + 1 }, 600);
        values.push(next);
      }
      return values;
    }

    it('a rotation continues its chain; every earlier value reads as used, the current one as live', async () => {
      const values = await chainOf('g-chain', 5);
      expect(new Set(values.map((value) => parseChainToken(value)?.chainId)).size).to.equal(1);
      expect(values.map((value) => parseChainToken(value)?.generation)).to.deep.equal([0, 1, 2, 3, 4, 5]);
      for (const old of values.slice(0, -1)) expect((await refresh.find(old))?.consumed).to.be.a('number');
      const current = await refresh.find(values.at(-1)!);
      expect(current).to.deep.include({ grantId: 'g-chain', jti: values.at(-1) });
      expect(current?.consumed).to.equal(undefined);
    });

    it('a value with the chain id but another secret or a later generation is unknown, not a replay', async () => {
      const values = await chainOf('g-forged', 2);
      const current = values.at(-1)!;
      const { chainId, generation } = parseChainToken(current)!;
      const otherSecret = `${chainId}${'A'.repeat(43)}${generation}`;
      expect(await refresh.find(otherSecret)).to.equal(undefined);
      expect(await refresh.find(`${chainId}${'A'.repeat(43)}${generation + 1}`)).to.equal(undefined);
      expect(await refresh.find(current)).to.not.equal(undefined);
    });

    it('of 20 concurrent consumes of a rotated token exactly one wins; the losers revoke the grant', async () => {
      const values = await chainOf('g-chain-race', 3);
      const access = new StoreAdapter(store, 'AccessToken', Date.now);
      await access.upsert('at-live', { grantId: 'g-chain-race' }, 600);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => refresh.consume(values.at(-1)!)),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(1);
      expect(await access.find('at-live')).to.equal(undefined);
      expect(await refresh.find(values.at(-1)!)).to.equal(undefined);
    });

    it('destroying an earlier value leaves the chain; destroying the current one ends it', async () => {
      const values = await chainOf('g-destroy', 2);
      await refresh.destroy(values[0]!);
      expect(await refresh.find(values[2]!)).to.not.equal(undefined);
      await refresh.destroy(values[2]!);
      expect(await refresh.find(values[2]!)).to.equal(undefined);
      expect(await store.timedSetMembers('oidc:grant-index:{g-destroy}')).to.deep.equal([]);
    });

    it('a person’s chain is indexed in their set, not the grant’s; revoking or destroying the grant ends it', async () => {
      const grants = new StoreAdapter(store, 'Grant', Date.now);
      const access = new StoreAdapter(store, 'AccessToken', Date.now);
      const issue = async (grantId: string) => {
        await grants.upsert(grantId, { accountId: 'p-1', clientId: 'sales' }, 600);
        await access.upsert(`at-${grantId}`, { grantId, accountId: 'p-1' }, 600);
        const value = nextChainToken();
        await refresh.upsert(value, { grantId, accountId: 'p-1', kind: 'RefreshToken' }, 600);
        return value;
      };
      const [revoked, destroyed, kept] = [await issue('g-a'), await issue('g-b'), await issue('g-c')];
      const members = await store.timedSetMembers(accountSessionsKey('p-1'));
      expect(members.filter(isChainIndexMember)).to.have.length(3);
      expect(
        (await store.timedSetMembers('oidc:grant-index:{g-a}')).filter((m) => m.startsWith('C:')),
      ).to.deep.equal([]);
      // oidc-provider revokes a grant's tokens and destroys the grant at once: either finds the chain.
      await refresh.revokeByGrantId('g-a');
      await grants.destroy('g-b');
      expect(await refresh.find(revoked)).to.equal(undefined);
      expect(await refresh.find(destroyed)).to.equal(undefined);
      expect(await refresh.find(kept)).to.not.equal(undefined);
      expect(
        (await store.timedSetMembers(accountSessionsKey('p-1'))).filter(isChainIndexMember),
      ).to.have.length(1);
      // Destroying the chain's current token drops its entry too.
      await refresh.destroy(kept);
      expect(await store.timedSetMembers(accountSessionsKey('p-1'))).to.deep.equal([]);
    });

    it('a grant refreshed 200 times keeps two keys for its chain', async () => {
      await chainOf('g-count', 200);
      const members = await store.timedSetMembers('oidc:grant-index:{g-count}');
      expect(members).to.have.length(1);
      // `C:` is the refresh-chain family in a grant index (store-keys.ts).
      expect(members[0]).to.match(/^C:\{/);
    });
  });
}

/**
 * Every key under `prefix` but the access tokens (they lapse in minutes), with MEMORY USAGE, the
 * grant index aside: it also lists the live access tokens, each dropped by the next add once it
 * lapses, so only its other members are compared.
 */
async function footprint(redis: Redis, prefix: string) {
  const keys = (await redis.keys(`${prefix}*`)).filter((key) => !key.includes(':AccessToken:')).sort();
  const sizes: Record<string, number> = {};
  const indexMembers: string[] = [];
  for (const key of keys) {
    if (key.includes('oidc:grant-index:')) {
      const members = await redis.zrange(key, '0', '-1');
      const isAccessToken = (member: string) => keyOfGrantIndexMember(member).startsWith('oidc:AccessToken:');
      indexMembers.push(...members.filter((member) => !isAccessToken(member)));
      // Every access-token member names a live access token.
      for (const member of members.filter(isAccessToken))
        expect(await redis.exists(`${prefix}${keyOfGrantIndexMember(member)}`)).to.equal(1);
    } else {
      // A refresh chain is indexed in its person's set (chain-index.ts).
      if (key.includes('oidc:account-sessions:'))
        indexMembers.push(...(await redis.zrange(key, '0', '-1')).filter(isChainIndexMember));
      sizes[key.slice(prefix.length)] = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    }
  }
  return { keys, sizes, indexMembers: indexMembers.sort() };
}

describe('refresh grants end to end on Redis: a constant footprint, replay detection across restarts', function () {
  this.timeout(120_000);
  const prefix = uniquePrefix('chain');
  let harness: Harness;
  let client: TestClient;
  let redis: Redis;
  before(async () => {
    harness = await startHarness({ store: 'redis', env: { REDIS_KEY_PREFIX: prefix } });
    client = harness.clients.sales!;
    redis = new Redis((await sharedTestRedis()).url);
  });
  after(async () => {
    redis?.disconnect();
    await harness?.close();
  });

  const token = (params: Record<string, string>) => tokenRequest(harness, client, params);

  async function firstRefreshToken(): Promise<string> {
    const outcome = await signIn(harness, browserFor(harness), client, citizen, {
      params: { scope: 'openid profile offline_access', prompt: 'consent' },
    });
    const code = new URL(outcome.last.url).searchParams.get('code')!;
    const tokens = await token({
      grant_type: 'authorization_code',
      code,
      code_verifier: outcome.request.verifier,
      redirect_uri: client.metadata.redirect_uris![0]!,
    });
    expect(tokens.status).to.equal(200);
    return tokens.body.refresh_token!;
  }

  const rotate = async (value: string) => {
    const answer = await token({ grant_type: 'refresh_token', refresh_token: value });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.refresh_token!;
  };

  it('N rotations keep the grant’s Redis footprint (keys and MEMORY USAGE) constant', async () => {
    let value = await firstRefreshToken();
    expect(parseChainToken(value)?.generation).to.equal(0);
    // Compared at generations 10 and 70: the same number of digits in the generation and the
    // rotation count, the only fields that grow (a digit more can cross an allocation size).
    // And a second later than the chain's first token: a record leaves out the chain's first issue
    // time while it equals the token's own (refresh-chain-record.ts), which a fast run would see.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let i = 0; i < 10; i++) value = await rotate(value);
    const early = await footprint(redis, prefix);
    for (let i = 0; i < 60; i++) value = await rotate(value);
    const late = await footprint(redis, prefix);
    expect(parseChainToken(value)?.generation).to.equal(70);
    expect(late.keys).to.deep.equal(early.keys);
    expect(late.indexMembers).to.deep.equal(early.indexMembers);
    // The one chain, in its person's set (chain-index.ts), not in the grant's index.
    expect(late.indexMembers.filter(isChainIndexMember)).to.have.length(1);
    // Byte for byte the same: the chain's record is overwritten, its counter counts in place.
    expect(late.sizes).to.deep.equal(early.sizes);
  });

  it('a value from generations ago, presented after a restart, revokes the grant', async () => {
    const values = [await firstRefreshToken()];
    for (let i = 0; i < 5; i++) values.push(await rotate(values.at(-1)!));
    await harness.restart();
    values.push(await rotate(values.at(-1)!));
    const replay = await token({ grant_type: 'refresh_token', refresh_token: values[2]! });
    expect(replay.status).to.equal(400);
    expect(replay.body.error).to.equal('invalid_grant');
    const current = await token({ grant_type: 'refresh_token', refresh_token: values.at(-1)! });
    expect(current.body.error).to.equal('invalid_grant');
  });

  it('of 20 concurrent refreshes with a rotated token exactly one wins, and the grant is then revoked', async () => {
    let value = await firstRefreshToken();
    value = await rotate(value);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => token({ grant_type: 'refresh_token', refresh_token: value })),
    );
    const winners = results.filter((result) => result.status === 200);
    expect(winners).to.have.length(1);
    const after = await token({
      grant_type: 'refresh_token',
      refresh_token: winners[0]!.body.refresh_token!,
    });
    expect(after.body.error).to.equal('invalid_grant');
  });
});
