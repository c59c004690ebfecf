/**
 * Attack (issue 10, item 5): the integration guide told sites to log out with
 * `GET /session/end?id_token_hint=<ID token>`. The ID token holds the national code; it lands in
 * browser history and proxy logs, and the logout page copied the whole hint into its
 * language-switch link. Replayed over HTTP (a cookie-keeping fetch with manual redirects):
 * whatever a logout or authorization URL carries, no page prints the token, any part of it or
 * the person's data; and a site can log out with a form POST (client_id, or the ID token in the
 * body) that lands on its post_logout_redirect_uri with no token in any URL on the way.
 */
import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type Page, parseForms, TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { leaksIn, personalNeedles } from '../security/support.js';

const citizen = DEMO_CITIZENS.find((c) => c.nationalCode === '0499370899');
if (!citizen) throw new Error('demo citizen missing');

describe('attack: personal data in logout and authorization URLs echoed into pages', function () {
  this.timeout(60_000);
  let harness: Harness;
  let returnTo: string;

  before(async () => {
    harness = await startHarness({ store: 'memory' });
    returnTo = `${harness.callbackBase}/sales/bye`;
  });
  after(async () => harness?.close());

  /** A signed-in browser and the ID token the sales site got for it. */
  async function signedIn(address: string): Promise<{ browser: TestBrowser; idToken: string }> {
    const browser = browserFor(harness, address);
    const sales = harness.clients.sales;
    if (!sales) throw new Error('sales client missing');
    const outcome = await signIn(harness, browser, sales, citizen as NonNullable<typeof citizen>);
    expect(outcome.atCallback, outcome.pages.join(' > ')).to.equal(true);
    const tokens = await redeem(sales, outcome.request, outcome.last);
    if (!tokens.id_token) throw new Error('no ID token');
    return { browser, idToken: tokens.id_token };
  }

  /** Everything of the token or the person a page must not contain. */
  function needles(idToken: string): string[] {
    const parts = idToken.split('.').filter((part) => part.length >= 16);
    return [idToken, ...parts, ...personalNeedles(citizen as NonNullable<typeof citizen>)];
  }

  function expectClean(page: Page, idToken: string, what: string): void {
    expect(leaksIn(page.html, needles(idToken)), what).to.deep.equal([]);
    expect(leaksIn(page.headers.get('location') ?? '', needles(idToken)), `${what}: Location`).to.deep.equal(
      [],
    );
  }

  it('the logout page asked for with an id_token_hint prints none of it, in either language', async () => {
    const { browser, idToken } = await signedIn('198.51.100.150');
    const url = new URL('/session/end', harness.issuer);
    url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('post_logout_redirect_uri', returnTo);
    url.searchParams.set('state', 'site-state-1');
    for (const lang of ['fa', 'en']) {
      url.searchParams.set('lang', lang);
      const page = await browser.get(url.toString());
      expect(page.status, lang).to.equal(200);
      expect(parseForms(page.html).length, `${lang}: the confirmation form`).to.be.greaterThan(0);
      expectClean(page, idToken, `logout page (${lang})`);
      // The language switch still leads to this site's logout, by client_id.
      expect(page.html).to.match(/href="\/session\/end\?client_id=sales&amp;post_logout_redirect_uri=/);
    }
  });

  it('an error page of a logout or sign-in request prints none of its hints', async () => {
    const { browser, idToken } = await signedIn('198.51.100.151');
    const logout = new URL('/session/end', harness.issuer);
    logout.searchParams.set('id_token_hint', idToken);
    logout.searchParams.set('post_logout_redirect_uri', 'https://attacker.example/bye');
    const logoutError = await browser.get(logout.toString());
    expect(logoutError.status).to.equal(400);
    expectClean(logoutError, idToken, 'logout error page');

    const sales = harness.clients.sales;
    if (!sales) throw new Error('sales client missing');
    const auth = (
      await authorizationRequest(sales, { id_token_hint: idToken, login_hint: citizen?.mobile ?? '' })
    ).url;
    auth.searchParams.set('redirect_uri', 'https://attacker.example/cb');
    const authError = await new TestBrowser().get(auth.toString());
    expect(authError.status).to.equal(400);
    expectClean(authError, idToken, 'authorization error page');
  });

  for (const [how, form] of [
    ['client_id', (_idToken: string) => ({ client_id: 'sales' })],
    ['the ID token in the body', (idToken: string) => ({ id_token_hint: idToken })],
  ] as const) {
    it(`a site logs out by form POST with ${how}: no token in any URL, back at its post_logout_redirect_uri`, async () => {
      const { browser, idToken } = await signedIn(`198.51.100.${how === 'client_id' ? 152 : 153}`);
      // The site's logout form, posted cross-site by the browser; redirects followed by hand.
      const posted = await fetch(new URL('/session/end', harness.issuer), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: browser.cookieHeader(new URL(harness.issuer)),
        },
        body: new URLSearchParams({ ...form(idToken), post_logout_redirect_uri: returnTo, state: 's-42' }),
        redirect: 'manual',
      });
      expect(posted.status).to.equal(303);
      const next = posted.headers.get('location') ?? '';
      expect(leaksIn(next, needles(idToken)), 'redirect').to.deep.equal([]);
      expect(new URL(next, harness.issuer).searchParams.get('client_id')).to.equal('sales');

      const confirm = await browser.get(new URL(next, harness.issuer).toString());
      expect(confirm.status).to.equal(200);
      expectClean(confirm, idToken, 'confirmation page');
      const landed = await browser.submit(confirm, {}, { name: 'logout', value: 'yes' });
      const at = new URL(landed.url);
      expect(`${at.origin}${at.pathname}`).to.equal(returnTo);
      expect(at.searchParams.get('state')).to.equal('s-42');

      // The provider session is over: a new sign-in starts at the mobile page again.
      const sales = harness.clients.sales;
      if (!sales) throw new Error('sales client missing');
      const again = await browser.get((await authorizationRequest(sales)).url.toString());
      expect(again.html).to.match(/name="mobile"/);
    });
  }
});
