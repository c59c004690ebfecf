/**
 * Silent renewal in a hidden iframe (`prompt=none`): exactly the authorization responses of such
 * a request may be framed, and only by the requesting client's registered origins; every page a
 * person sees stays unframeable.
 */
import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[0]!;

describe('silent renewal framing (prompt=none in an iframe)', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ store: 'memory' });
  });
  after(() => harness?.close());

  const framing = (response: Response) => ({
    ancestors: /frame-ancestors ([^;]+)/.exec(response.headers.get('content-security-policy') ?? '')?.[1],
    xfo: response.headers.get('x-frame-options'),
  });

  it("a prompt=none answer (a code, or login_required) may be framed by the client's origins only", async () => {
    const client = harness.clients.sales!;
    const browser = browserFor(harness, '198.51.100.80');
    const first = await signIn(harness, browser, client, citizen);
    expect(first.atCallback).to.equal(true);
    const cookie = browser.cookieHeader(new URL(harness.issuer));

    const silent = await authorizationRequest(client, { prompt: 'none' });
    const answer = await fetch(silent.url, { redirect: 'manual', headers: { cookie } });
    expect(answer.status).to.equal(303);
    const location = new URL(answer.headers.get('location')!);
    expect(location.origin).to.equal(harness.callbackBase);
    expect(location.searchParams.get('code')).to.be.a('string');
    expect(framing(answer)).to.deep.equal({ ancestors: harness.callbackBase, xfo: null });

    // No session: login_required comes back to the site, framable the same way.
    const anonymous = await fetch((await authorizationRequest(client, { prompt: 'none' })).url, {
      redirect: 'manual',
    });
    expect(new URL(anonymous.headers.get('location')!).searchParams.get('error')).to.equal('login_required');
    expect(framing(anonymous)).to.deep.equal({ ancestors: harness.callbackBase, xfo: null });

    // form_post: the auto-submitting page that posts to the client is the answer itself.
    const posted = await fetch(
      (await authorizationRequest(client, { prompt: 'none', response_mode: 'form_post' })).url,
      {
        redirect: 'manual',
        headers: { cookie },
      },
    );
    expect(posted.status).to.equal(200);
    expect(await posted.text()).to.include(`${harness.callbackBase}/sales/cb`);
    expect(framing(posted).ancestors).to.equal(harness.callbackBase);
  });

  it('every page a person sees stays unframeable', async () => {
    const client = harness.clients.sales!;
    // The start of a sign-in (no prompt=none): a redirect to the journey, then the mobile page.
    const start = await fetch((await authorizationRequest(client)).url, { redirect: 'manual' });
    expect(framing(start)).to.deep.equal({ ancestors: "'none'", xfo: 'DENY' });
    const page = await fetch(new URL(start.headers.get('location')!, harness.issuer), { redirect: 'manual' });
    expect(framing(page)).to.deep.equal({ ancestors: "'none'", xfo: 'DENY' });
    // prompt=none with a redirect_uri that is not registered: an error page, not for framing.
    const bad = await authorizationRequest(client, {
      prompt: 'none',
      redirect_uri: 'https://evil.example/cb',
    });
    const refused = await fetch(bad.url, { redirect: 'manual' });
    expect(refused.status).to.equal(400);
    expect(framing(refused)).to.deep.equal({ ancestors: "'none'", xfo: 'DENY' });
    // prompt=none for an unknown client.
    const unknown = new URL(bad.url);
    unknown.searchParams.set('client_id', 'no-such-client');
    unknown.searchParams.set('redirect_uri', `${harness.callbackBase}/sales/cb`);
    expect(framing(await fetch(unknown, { redirect: 'manual' }))).to.deep.equal({
      ancestors: "'none'",
      xfo: 'DENY',
    });
  });
});
