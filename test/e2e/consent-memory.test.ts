/**
 * "Your choice will be remembered": a person's consent to a site outlives the session it was
 * given in. oidc-provider revokes a signed-out session's grants (and their tokens) for sites
 * without offline access; the consent is kept apart and carried by a new grant.
 */
import { expect } from 'chai';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { ORDINARY, walk } from '../security/support.js';

describe('consent is remembered per site until the person withdraws it', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.close());

  async function signInAt(clientId: string, scope: string, address: string) {
    const client = harness.clients[clientId]!;
    const request = await authorizationRequest(client, { scope });
    const browser = browserFor(harness, address);
    const result = await walk(harness, browser, request.url.toString(), ORDINARY[3]!);
    expect(result.atCallback, result.last.html.slice(0, 300)).to.equal(true);
    return { ...result, browser, request, client };
  }

  it('after signing out, signing in again at the same site asks no consent; asking for more does', async () => {
    const first = await signInAt('service', 'openid profile', '198.51.100.61');
    expect(first.pages).to.include('consent');
    const tokens = await redeem(first.client, first.request, first.last);
    expect(tokens.claims()).to.have.property('name');

    const logout = await first.browser.get(`${harness.issuer}/session/end?client_id=service`);
    const bye = await first.browser.submit(logout, { logout: 'yes' });
    expect(bye.status).to.be.below(400);

    const again = await signInAt('service', 'openid profile', '198.51.100.62');
    expect(again.pages).to.deep.equal(['mobile', 'code']);
    const renewed = await redeem(again.client, again.request, again.last);
    expect(renewed.claims()).to.have.property('name');
    // The renewed grant carries what was consented, nothing more.
    expect(renewed.claims()).not.to.have.property('phone_number');

    const more = await signInAt('service', 'openid profile phone', '198.51.100.63');
    expect(more.pages).to.deep.equal(['mobile', 'code', 'consent']);
  });
});
