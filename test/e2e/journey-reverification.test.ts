import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[3]!;
const DAY_MS = 24 * 3600 * 1000;

describe('re-verification after IDENTITY_MAX_AGE_DAYS', function () {
  this.timeout(60_000);
  let harness: Harness;
  let offset = 0;
  before(async () => {
    harness = await startHarness({
      env: { IDENTITY_MAX_AGE_DAYS: '30' },
      overrides: { now: () => Date.now() + offset },
    });
  });
  after(async () => harness?.close());

  it('asks a returning person for the identity step again once their verification is too old, keeping their sub', async () => {
    const client = harness.clients.sales!;
    const first = await signIn(harness, browserFor(harness), client, citizen);
    const sub = (await redeem(client, first.request, first.last)).claims()!.sub;

    offset = 29 * DAY_MS;
    const fresh = await signIn(harness, browserFor(harness, '203.0.113.40'), client, citizen);
    expect(fresh.pages).to.deep.equal(['mobile', 'code']);

    offset = 31 * DAY_MS;
    const stale = await signIn(harness, browserFor(harness, '203.0.113.41'), client, citizen);
    expect(stale.pages).to.deep.equal(['mobile', 'code', 'identity']);
    expect((await redeem(client, stale.request, stale.last)).claims()!.sub).to.equal(sub);
  });
});
