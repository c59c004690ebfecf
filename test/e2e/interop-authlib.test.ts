/**
 * Interop: the Authlib (Flask) example of docs/integration.md, with Debian's python3-authlib, a
 * relying party nobody here wrote, against the running provider through the real journey in
 * Chromium: PKCE, the ID token's claims, and sign-out by client_id ending the provider session.
 */
import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type AuthlibSite, prepareAuthlibSite, skipWithoutAuthlib } from '../helpers/authlib-site.js';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import { type LaunchedChromium, launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { chromiumJourney, formSubmitter, grantConsent } from '../helpers/chromium-journey.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[3]!;

describe('interop: Authlib with Flask (PKCE, claims, sign-out)', function () {
  this.timeout(90_000);
  let harness: Harness;
  let site: AuthlibSite;
  let chromium: LaunchedChromium;
  const captcha = captchaAnswers();

  before(async function () {
    skipWithoutChromium(this);
    skipWithoutAuthlib(this);
    site = await prepareAuthlibSite();
    harness = await startHarness({ clients: [site.client as never], ...captcha.harness() });
    await site.start(harness.issuer);
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await site?.close();
    await harness?.close();
  });

  it('signs in with PKCE, gets the claims, and signs out at the provider by client_id', async () => {
    const { page } = chromium;
    const toProvider: URL[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(harness.issuer)) toProvider.push(new URL(request.url()));
    });
    const submit = formSubmitter(page);
    const journey = chromiumJourney(page, harness, { locale: 'fa', submit, captcha: () => captcha.last });

    await page.goto(`${site.origin}/login`);
    const authorize = toProvider.find((url) => url.pathname === '/auth')!;
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorize.searchParams.get('nonce')).to.be.a('string');
    await journey.toIdentity(citizen.mobile);
    await journey.identity(citizen.nationalCode, citizen.person.birthDate);
    await grantConsent(page);
    expect(page.url(), site.output()).to.equal(`${site.origin}/`);
    const claims = JSON.parse((await page.locator('#claims').textContent()) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(claims.iss).to.equal(harness.issuer);
    expect(claims.aud).to.equal('authlib');
    expect(claims.family_name).to.equal(citizen.person.lastName);
    expect(claims.phone_number).to.equal(`+98${citizen.mobile.slice(1)}`);

    // Sign-out: the site's form, the provider's confirmation, back to the site; then the
    // provider asks for the mobile again.
    await submit('/logout');
    const endSession = toProvider.find((url) => url.pathname === '/session/end')!;
    expect(endSession.searchParams.get('client_id')).to.equal('authlib');
    expect(endSession.searchParams.has('id_token_hint')).to.equal(false);
    await Promise.all([page.waitForNavigation(), page.locator('button[name="logout"][value="yes"]').click()]);
    expect(page.url()).to.equal(`${site.origin}/logged-out`);
    await page.goto(`${site.origin}/login`);
    expect(new URL(page.url()).origin).to.equal(harness.issuer);
    expect(await page.locator('input[name="mobile"]').count()).to.equal(1);

    expect(chromium.problems, chromium.problems.join('\n')).to.deep.equal([]);
  });
});
