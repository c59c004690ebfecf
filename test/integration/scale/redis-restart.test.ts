import { expect } from 'chai';
import { waitUntil } from '../../../scripts/lib/ports.js';
import { translate } from '../../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import { pageKind } from '../../helpers/browser.js';
import { authorizationRequest, redeem } from '../../helpers/harness.js';
import { begin, type Deployment, startDeployment, walk } from '../../helpers/multi-node.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');

async function readiness(url: string): Promise<{ status: number; body: { checks?: { store?: boolean } } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks?: { store?: boolean } } };
}

/**
 * The Redis server of two provider processes crashes (SIGKILL) in the middle of a sign-in and
 * comes back on the same port. Redis runs with AOF (`appendfsync always`), so nothing written
 * before the crash is lost and the sign-in can continue afterwards. The in-memory store plays no
 * part: every node is configured with REDIS_URL only.
 */
describe('scale: Redis crash and restart under two provider processes', function () {
  this.timeout(120_000);
  let deployment: Deployment;
  before(async () => {
    deployment = await startDeployment({
      nodes: 2,
      store: { kind: 'redis-server', args: ['--appendonly', 'yes', '--appendfsync', 'always'] },
    });
  });
  after(async () => deployment?.stop());

  it('answers 503 with the friendly page while Redis is away (no 500, no crash) and resumes by itself', async () => {
    const { multi } = deployment;
    const redis = multi.redis!;
    const citizen = ordinary[0]!;
    const client = deployment.clients.sales!;
    const browser = deployment.browser();
    const start = await begin(browser, client);
    const codePage = await browser.submit(start.page, { mobile: citizen.mobile, captcha: '' });
    expect(pageKind(codePage)).to.equal('code');

    await redis.kill();
    for (const node of multi.nodes) {
      await waitUntil(`${node.label} not ready`, async () => (await readiness(node.url)).status === 503, {
        timeoutMs: 10_000,
      });
      expect((await readiness(node.url)).body.checks?.store).to.equal(false);
    }

    const statuses: number[] = [];
    const unavailable = translate('fa', 'error.unavailable');
    // Each of these reaches both nodes (round robin): the interaction page, the code form, a new
    // authorization request (oidc-provider's own route), discovery (no store needed).
    for (let round = 0; round < 2; round++) {
      const shown = await browser.get(codePage.url);
      const submitted = await browser.submit(codePage, { code: '000000' });
      const fresh = await browser.get((await authorizationRequest(client)).url.toString());
      for (const page of [shown, submitted, fresh]) {
        statuses.push(page.status);
        expect(page.status, page.url).to.equal(503);
        expect(page.headers.get('retry-after')).to.equal('5');
        expect(page.html).to.include('lang="fa"').and.include(unavailable);
        expect(page.html).to.not.match(/at .*\.(js|ts):\d+|Error:/);
      }
      const discovery = await fetch(`${deployment.issuer}/.well-known/openid-configuration`);
      expect(discovery.status).to.equal(200);
    }
    expect(statuses).to.not.include(500);
    expect(
      multi.nodes.every((node) => node.alive()),
      'no node crashed',
    ).to.equal(true);

    await redis.start();
    const restarted = Date.now();
    for (const node of multi.nodes) {
      await waitUntil(`${node.label} ready again`, async () => (await readiness(node.url)).status === 200, {
        timeoutMs: 10_000,
        intervalMs: 100,
      });
    }
    expect(Date.now() - restarted, 'resumed within seconds').to.be.below(10_000);

    // The sign-in started before the crash continues: its interaction and code survived (AOF).
    const outcome = await walk(deployment, browser, citizen, { request: start.request, page: codePage });
    expect(outcome.atCallback, outcome.last.html.slice(0, 400)).to.equal(true);
    expect((await redeem(client, outcome.request, outcome.last)).claims()!.national_code).to.equal(
      citizen.nationalCode,
    );
    expect(multi.nodes.every((node) => node.alive())).to.equal(true);
  });

  it('the token endpoint answers a JSON error, not a hang, while Redis is away', async () => {
    const { multi } = deployment;
    const client = deployment.clients.sales!;
    await multi.redis!.kill();
    try {
      const response = await fetch(`${deployment.issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.metadata.client_id}:${client.metadata.client_secret}`).toString('base64')}`,
        },
        body: 'grant_type=refresh_token&refresh_token=abc',
        signal: AbortSignal.timeout(8000),
      });
      const body = (await response.json()) as { error?: string };
      // The adapter turns a store outage into oidc-provider's temporarily_unavailable (503).
      expect(response.status).to.equal(503);
      expect(body.error).to.equal('temporarily_unavailable');
    } finally {
      await multi.redis!.start();
      for (const node of multi.nodes) {
        await waitUntil(`${node.label} ready`, async () => (await readiness(node.url)).status === 200);
      }
    }
  });
});
