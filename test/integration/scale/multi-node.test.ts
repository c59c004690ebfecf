import { expect } from 'chai';
import * as oidc from 'openid-client';
import { translate } from '../../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import { pageKind } from '../../helpers/browser.js';
import { redeem } from '../../helpers/harness.js';
import { begin, type Deployment, startDeployment, walk } from '../../helpers/multi-node.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const fa = (key: string) => translate('fa', key);

/**
 * Two provider processes (`src/main.ts`, their own Node processes) on one Redis, same keys and
 * secrets, behind the round-robin proxy of scripts/multi-node.ts. The proxy alternates nodes per
 * request, so every step of a sign-in lands on a different process than the one before it.
 * (Journey refusals, lockouts and caps on one node: test/e2e/journey-refusals.test.ts.)
 */
describe('scale: two provider processes behind a round-robin proxy', function () {
  this.timeout(120_000);
  let deployment: Deployment;
  before(async () => {
    deployment = await startDeployment({ nodes: 2, env: { IDENTITY_CHECKS_PER_DAY: '2' } });
  });
  after(async () => deployment?.stop());

  const served = () => ({ ...deployment.multi.proxy.stats.perUpstream });
  const delta = (before: Record<string, number>) =>
    deployment.multi.nodes.map(
      (node) => (deployment.multi.proxy.stats.perUpstream[node.url] ?? 0) - (before[node.url] ?? 0),
    );

  it('a sign-in started on node A continues on node B at every step; tokens work on either node', async () => {
    const citizen = ordinary[0]!;
    const client = deployment.clients.sales!;
    const before = served();
    const browser = deployment.browser();
    const outcome = await walk(
      deployment,
      browser,
      citizen,
      await begin(browser, client, { prompt: 'consent' }),
    );
    expect(outcome.pages).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    expect(outcome.atCallback, outcome.last.html.slice(0, 400)).to.equal(true);
    const [a, b] = delta(before) as [number, number];
    // Round robin over two ready nodes: the requests split evenly (±1), so consecutive ones alternate.
    expect(Math.abs(a - b), `${a} vs ${b}`).to.be.at.most(1);
    expect(a).to.be.greaterThan(3);

    const tokens = await redeem(client, outcome.request, outcome.last);
    expect(tokens.claims()!.national_code).to.equal(citizen.nationalCode);
    const userinfo = await oidc.fetchUserInfo(client.config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.phone_number).to.equal(`+98${citizen.mobile.slice(1)}`);
    const rotated = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    expect(rotated.access_token).to.be.a('string');
    const again = await oidc.refreshTokenGrant(client.config, rotated.refresh_token!);
    expect(again.access_token).to.be.a('string');
    expect(deployment.multi.proxy.stats.failed).to.equal(0);
  });

  it('a node killed with kill -9 mid-journey: the user continues on the other node, and the node rejoins', async () => {
    const citizen = ordinary[1]!;
    const client = deployment.clients.sales!;
    const browser = deployment.browser('198.51.100.21');
    const start = await begin(browser, client);
    const codePage = await browser.submit(start.page, { mobile: citizen.mobile, captcha: '' });
    expect(pageKind(codePage)).to.equal('code');

    const victim = deployment.multi.nodes[0]!;
    await deployment.multi.killNode(0, 'SIGKILL');
    expect(await victim.exited).to.equal('SIGKILL');

    const outcome = await walk(deployment, browser, citizen, { request: start.request, page: codePage });
    expect(outcome.atCallback, outcome.last.html.slice(0, 400)).to.equal(true);
    expect((await redeem(client, outcome.request, outcome.last)).claims()!.national_code).to.equal(
      citizen.nationalCode,
    );
    expect(deployment.multi.proxy.stats.failed, 'no request was lost').to.equal(0);
    expect(deployment.multi.nodes[1]!.alive()).to.equal(true);

    await deployment.multi.restartNode(0);
    const before = served();
    const other = deployment.browser('198.51.100.22');
    const next = await walk(deployment, other, ordinary[2]!, await begin(other, client));
    expect(next.atCallback).to.equal(true);
    expect(
      delta(before).every((count) => count > 0),
      'both nodes serve again',
    ).to.equal(true);
  });

  it('an identity-service outage: clear 503 page from every node, no quota charged; the same sign-in completes once it is back', async () => {
    const citizen = ordinary[3]!;
    const client = deployment.clients.sales!;
    const browser = deployment.browser('198.51.100.23');
    const start = await begin(browser, client);
    let page = await browser.submit(start.page, { mobile: citizen.mobile, captcha: '' });
    page = await browser.submit(page, { code: deployment.lastCodeFor(citizen.mobile)! });
    expect(pageKind(page)).to.equal('identity');

    deployment.multi.identity.setFailureRate(1);
    const before = served();
    // Three tries, more than IDENTITY_CHECKS_PER_DAY=2: a failed upstream call must not use up the quota.
    for (let attempt = 0; attempt < 3; attempt++) {
      page = await browser.submit(page, {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
      });
      expect(page.status).to.equal(503);
      expect(pageKind(page)).to.equal('identity');
      expect(page.html).to.include(fa('identity.unavailable'));
    }
    expect(
      delta(before).every((count) => count > 0),
      'both nodes saw the outage',
    ).to.equal(true);

    deployment.multi.identity.setFailureRate(0);
    const outcome = await walk(deployment, browser, citizen, { request: start.request, page });
    expect(outcome.pages).to.deep.equal(['identity', 'consent']);
    expect(outcome.atCallback).to.equal(true);
  });
});
