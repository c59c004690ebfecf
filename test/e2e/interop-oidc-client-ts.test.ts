/**
 * Interop: oidc-client-ts (a library nobody here wrote) in Chromium, as a public single-page
 * client on its own origin, against the running provider through the real journey (captcha, SMS
 * code, identity, consent): PKCE, tokens and userinfo across origins (CORS), silent renewal in a
 * hidden iframe, sign-out that ends the provider session, and a sign-in in a popup.
 */
import { expect } from 'chai';
import type { Page, Request } from 'playwright-core';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import { type LaunchedChromium, launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { chromiumJourney, formSubmitter, grantConsent } from '../helpers/chromium-journey.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { type SpaSite, startSpaSite } from '../helpers/spa-site.js';

const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[1]!;
const SCOPE = 'openid profile phone';

interface Signed {
  profile: Record<string, unknown>;
  scope: string;
  token_type: string;
  access_token: string;
  has_id_token: boolean;
  error?: string;
}
interface SpaWindow {
  rp: {
    manager: {
      signinRedirect(): Promise<void>;
      signinPopup(): Promise<unknown>;
    };
    signinSilent(): Promise<Signed>;
    signOut(): Promise<void>;
    summary(user: unknown): Signed;
    failure(error: unknown): Signed;
  };
  rpResult?: Promise<Signed>;
  rpPopup?: Promise<Signed>;
}

describe('interop: oidc-client-ts in Chromium (public client, PKCE, CORS, silent renew, popup, sign-out)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let site: SpaSite;
  let chromium: LaunchedChromium;
  const captcha = captchaAnswers();

  before(async function () {
    skipWithoutChromium(this);
    site = await startSpaSite();
    harness = await startHarness({
      clients: [site.client('spa', SCOPE) as never],
      ...captcha.harness({ SMS_COOLDOWN_SECONDS: '1' }),
    });
    Object.assign(site.settings, {
      authority: harness.issuer,
      client_id: 'spa',
      redirect_uri: `${site.origin}/callback`,
      silent_redirect_uri: `${site.origin}/silent`,
      popup_redirect_uri: `${site.origin}/popup`,
      post_logout_redirect_uri: `${site.origin}/logged-out`,
      response_type: 'code',
      scope: SCOPE,
      loadUserInfo: true,
      automaticSilentRenew: false,
    });
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await harness?.close();
    await site?.close();
  });

  /** Every request the pages (and their frames and popups) send to the provider. */
  const toProvider: Request[] = [];
  const watch = (page: Page) =>
    page.on('request', (request) => {
      if (request.url().startsWith(harness.issuer)) toProvider.push(request);
    });
  const sent = (path: string) => toProvider.filter((r) => new URL(r.url()).pathname === path);
  /** Runs `fn(window)` in the site's page (the test site's `window.rp`). */
  const evaluate = <T>(page: Page, fn: (w: SpaWindow) => T | Promise<T>): Promise<T> =>
    page.evaluate(`(${fn.toString()})(window)`) as Promise<T>;

  it('signs in with redirect (PKCE), reads userinfo across origins, renews silently, signs out, signs in with a popup', async () => {
    const { page } = chromium;
    watch(page);
    page.on('popup', watch);
    const journey = chromiumJourney(page, harness, {
      locale: 'fa',
      submit: formSubmitter(page),
      captcha: () => captcha.last,
    });

    // 1. Redirect sign-in: the whole journey for a new person, then consent.
    await page.goto(`${site.origin}/`);
    await Promise.all([
      page.waitForURL((url) => url.origin === harness.issuer),
      evaluate(page, (w) => {
        void w.rp.manager.signinRedirect();
      }),
    ]);
    await journey.toIdentity(citizen.mobile);
    await journey.identity(citizen.nationalCode, citizen.person.birthDate);
    await grantConsent(page);
    expect(page.url()).to.match(new RegExp(`^${site.origin}/callback\\?`));
    const signedIn = await evaluate(page, (w) => w.rpResult!);
    expect(signedIn.error, JSON.stringify(signedIn)).to.equal(undefined);
    expect(signedIn.token_type).to.equal('Bearer');
    expect(signedIn.has_id_token).to.equal(true);
    expect(signedIn.scope.split(' ').sort()).to.deep.equal(['openid', 'phone', 'profile']);
    // Claims from the ID token and from userinfo (loadUserInfo), the latter fetched cross-origin.
    expect(signedIn.profile.phone_number).to.equal(`+98${citizen.mobile.slice(1)}`);
    expect(signedIn.profile.family_name).to.equal(citizen.person.lastName);
    expect(signedIn.profile.national_code, 'not in this scope').to.equal(undefined);

    // PKCE: S256 challenge on the way out, the verifier at the token endpoint, no client secret.
    const authorize = new URL(sent('/auth')[0]!.url());
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorize.searchParams.get('code_challenge')).to.match(/^[\w-]{43}$/);
    const tokenRequest = sent('/token').find((r) => r.method() === 'POST')!;
    const form = new URLSearchParams(tokenRequest.postData() ?? '');
    expect(form.get('code_verifier')).to.match(/^[\w-]{43,128}$/);
    expect(form.get('client_id')).to.equal('spa');
    expect(form.get('client_secret')).to.equal(null);
    expect((await tokenRequest.allHeaders()).authorization).to.equal(undefined);
    // CORS: the token and userinfo answers name the site's origin.
    for (const path of ['/token', '/me']) {
      const request = sent(path).find((r) => r.method() !== 'OPTIONS');
      expect(request, `${path} was called`).to.not.equal(undefined);
      expect((await request!.allHeaders()).origin).to.equal(site.origin);
      const response = await request!.response();
      expect(response!.status(), path).to.equal(200);
      expect(response!.headers()['access-control-allow-origin'], path).to.equal(site.origin);
    }

    // 2. Silent renewal: prompt=none in a hidden iframe, answered with a new code, no page shown.
    const codesBefore = harness.sms.messages.length;
    const renewed = await evaluate(page, (w) => w.rp.signinSilent());
    expect(renewed.error, JSON.stringify(renewed)).to.equal(undefined);
    expect(renewed.access_token).to.not.equal(signedIn.access_token);
    expect(renewed.profile.sub).to.equal(signedIn.profile.sub);
    const silent = new URL(sent('/auth').at(-1)!.url());
    expect(silent.searchParams.get('prompt')).to.equal('none');
    expect(silent.searchParams.get('redirect_uri')).to.equal(`${site.origin}/silent`);
    expect(harness.sms.messages.length, 'no SMS for a silent renewal').to.equal(codesBefore);

    // 3. Sign-out: the provider's confirmation, back to the site, and the provider session is over.
    await Promise.all([
      page.waitForURL((url) => url.origin === harness.issuer),
      evaluate(page, (w) => {
        void w.rp.signOut();
      }),
    ]);
    const endSession = new URL(sent('/session/end')[0]!.url());
    expect(endSession.searchParams.get('client_id')).to.equal('spa');
    expect(endSession.searchParams.get('post_logout_redirect_uri')).to.equal(`${site.origin}/logged-out`);
    expect(endSession.searchParams.has('id_token_hint'), 'no ID token in the URL').to.equal(false);
    await Promise.all([page.waitForNavigation(), page.locator('button[name="logout"][value="yes"]').click()]);
    expect(page.url()).to.match(new RegExp(`^${site.origin}/logged-out`));
    const afterLogout = await evaluate(page, (w) => w.rp.signinSilent());
    expect(afterLogout.error).to.equal('login_required');

    // 4. Popup sign-in: a returning person, mobile and code in the popup window.
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      evaluate(page, (w) => {
        w.rpPopup = w.rp.manager.signinPopup().then(w.rp.summary, w.rp.failure);
      }),
    ]);
    // The popup opens blank, then goes to the provider's mobile page.
    await popup.locator('input[name="mobile"]').waitFor();
    expect(new URL(popup.url()).origin).to.equal(harness.issuer);
    const inPopup = chromiumJourney(popup, harness, {
      locale: 'fa',
      submit: formSubmitter(popup),
      captcha: () => captcha.last,
    });
    await inPopup.toCode(citizen.mobile);
    // A known person with the consent remembered: the code is the last step, and the popup closes.
    await popup.locator('input[name="code"]').fill(harness.sms.lastCodeFor(citizen.mobile)!);
    await Promise.all([
      popup.waitForEvent('close'),
      popup.locator('form[action$="/code"] button[type="submit"]').click(),
    ]);
    const popped = await evaluate(page, (w) => w.rpPopup!);
    expect(popped.error, JSON.stringify(popped)).to.equal(undefined);
    expect(popped.profile.sub).to.equal(signedIn.profile.sub);
    expect(popped.profile.phone_number).to.equal(signedIn.profile.phone_number);

    expect(chromium.problems, chromium.problems.join('\n')).to.deep.equal([]);
  });
});
