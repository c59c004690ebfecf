import { expect } from 'chai';
import { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import { sharedTestCluster } from '../../helpers/cluster.js';
import { browserFor, type Harness, redeem, startHarness } from '../../helpers/harness.js';
import { signIn } from '../../helpers/journey.js';
import { uniquePrefix } from '../../helpers/redis-server.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');

/**
 * The provider on a Redis Cluster (REDIS_CLUSTER_NODES, 3 masters + 3 replicas) with a key
 * prefix: the whole journey, SSO, refresh rotation and replay revocation must work without a
 * CROSSSLOT error (which would surface as a 503 page), and the keys must spread over the masters.
 */
describe('scale: the journey on a Redis Cluster', function () {
  this.timeout(90_000);
  let harness: Harness;
  let prefix: string;
  let nodes: string[];
  before(async () => {
    const cluster = await sharedTestCluster();
    nodes = cluster.nodes;
    prefix = uniquePrefix('cluster');
    harness = await startHarness({
      env: { REDIS_CLUSTER_NODES: cluster.env.REDIS_CLUSTER_NODES, REDIS_KEY_PREFIX: prefix },
    });
  });
  after(async () => harness?.close());

  it('new user, returning user and a second site via SSO all reach the callback', async () => {
    const [citizen] = ordinary as [(typeof ordinary)[number]];
    const sales = harness.clients.sales!;
    const first = await signIn(harness, browserFor(harness), sales, citizen);
    expect(first.pages).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    expect(first.atCallback, first.last.html.slice(0, 300)).to.equal(true);
    const claims = (await redeem(sales, first.request, first.last)).claims()!;
    expect(claims.national_code).to.equal(citizen.nationalCode);

    const browser = browserFor(harness);
    const again = await signIn(harness, browser, sales, citizen);
    expect(again.pages).to.deep.equal(['mobile', 'code']);
    expect((await redeem(sales, again.request, again.last)).claims()!.sub).to.equal(claims.sub);

    const service = harness.clients.service!;
    const sso = await signIn(harness, browser, service, citizen);
    expect(sso.pages).to.deep.equal(['consent']);
    expect(sso.atCallback).to.equal(true);
  });

  it('refresh tokens rotate; a replayed one revokes the grant across slots', async () => {
    const citizen = ordinary[1]!;
    const sales = harness.clients.sales!;
    const outcome = await signIn(harness, browserFor(harness), sales, citizen, {
      params: { prompt: 'consent' },
    });
    const tokens = await redeem(sales, outcome.request, outcome.last);
    expect(tokens.refresh_token).to.be.a('string');
    const rotated = await oidc.refreshTokenGrant(sales.config, tokens.refresh_token!);
    expect(rotated.refresh_token).to.be.a('string').and.not.equal(tokens.refresh_token);
    let replay: unknown;
    try {
      await oidc.refreshTokenGrant(sales.config, tokens.refresh_token!);
    } catch (error) {
      replay = error;
    }
    expect((replay as { error?: string }).error).to.equal('invalid_grant');
    // The replay revoked the grant: the rotated token (another slot) is dead too.
    let revoked: unknown;
    try {
      await oidc.refreshTokenGrant(sales.config, rotated.refresh_token!);
    } catch (error) {
      revoked = error;
    }
    expect((revoked as { error?: string }).error).to.equal('invalid_grant');
  });

  it('keys carry the prefix once, outside the hash tag, and spread over the masters', async () => {
    const perMaster: number[] = [];
    for (const address of nodes) {
      const client = new Redis(`redis://${address}`);
      try {
        if (!(await client.info('replication')).includes('role:master')) continue;
        const keys = await client.keys(`${prefix}*`);
        perMaster.push(keys.length);
        for (const key of keys) {
          expect(key.startsWith(`${prefix}${prefix}`), key).to.equal(false);
          if (key.includes('{')) expect(key.indexOf('{'), key).to.be.greaterThan(prefix.length - 1);
        }
      } finally {
        client.disconnect();
      }
    }
    expect(perMaster).to.have.length(3);
    expect(perMaster.filter((count) => count > 0).length).to.be.greaterThan(1);
  });
});
