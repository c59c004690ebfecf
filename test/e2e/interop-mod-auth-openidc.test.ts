/**
 * Interop: Apache httpd with mod_auth_openidc (Debian's libapache2-mod-auth-openidc), a relying
 * party nobody here wrote, in front of a CGI app, against the running provider through the real
 * journey in Chromium: the claims reach the app, the session is reused, the access token is
 * refreshed, RP-initiated logout ends the provider session, and signing out at the provider ends
 * Apache's session through back-channel logout.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type ApacheSite, prepareApacheSite, skipWithoutModAuthOpenidc } from '../helpers/apache-openidc.js';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import { type LaunchedChromium, launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { chromiumJourney, formSubmitter, grantConsent } from '../helpers/chromium-journey.js';
import type { BackchannelOutcome } from '../helpers/demo-stack.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[2]!;

/** The app's page: one `NAME=value` a line, as the CGI script prints its environment. */
async function received(page: Page): Promise<Record<string, string>> {
  const text = (await page.locator('body').textContent()) ?? '';
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('interop: Apache mod_auth_openidc (claims, session, refresh, RP-initiated and back-channel logout)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let apache: ApacheSite;
  let chromium: LaunchedChromium;
  const captcha = captchaAnswers();
  const backchannel: BackchannelOutcome[] = [];

  before(async function () {
    skipWithoutChromium(this);
    skipWithoutModAuthOpenidc(this);
    apache = await prepareApacheSite();
    harness = await startHarness({
      clients: [apache.client as never],
      ...captcha.harness({ SMS_COOLDOWN_SECONDS: '1' }),
    });
    harness.app.provider.on('backchannel.success', (_ctx: unknown, client: { clientId: string }) => {
      backchannel.push({ clientId: client.clientId, ok: true, at: Date.now() });
    });
    harness.app.provider.on(
      'backchannel.error',
      (_ctx: unknown, error: Error, client: { clientId: string }) => {
        backchannel.push({ clientId: client.clientId, ok: false, error: error.message, at: Date.now() });
      },
    );
    await apache.start(harness.issuer);
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await apache?.close();
    await harness?.close();
  });

  /** Fails with Apache's error log attached, which says why mod_auth_openidc refused. */
  const withLog = async (what: string, check: () => Promise<void> | void) => {
    try {
      await check();
    } catch (error) {
      throw new Error(
        `${what}: ${(error as Error).message}\n--- apache error.log ---\n${await apache.errorLog()}`,
      );
    }
  };

  it('passes the claims to the app, reuses the session, refreshes, and ends sessions both ways', async () => {
    const { page } = chromium;
    const toProvider: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(harness.issuer)) toProvider.push(request.url());
    });
    const submit = formSubmitter(page);
    const journey = chromiumJourney(page, harness, { locale: 'fa', submit, captcha: () => captcha.last });
    const atMobilePage = async () =>
      new URL(page.url()).origin === harness.issuer &&
      (await page.locator('input[name="mobile"]').count()) === 1;

    // 1. The app sends the person to the provider: the whole journey, consent, and back.
    await page.goto(apache.appUrl);
    expect(await atMobilePage(), 'sent to the provider').to.equal(true);
    const authorize = new URL(toProvider.find((url) => new URL(url).pathname === '/auth')!);
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    await journey.toIdentity(citizen.mobile);
    await journey.identity(citizen.nationalCode, citizen.person.birthDate);
    await grantConsent(page);
    let claims: Record<string, string> = {};
    await withLog('claims reach the app', async () => {
      expect(page.url()).to.equal(apache.appUrl);
      claims = await received(page);
      expect(claims.OIDC_CLAIM_phone_number).to.equal(`+98${citizen.mobile.slice(1)}`);
    });
    expect(claims.OIDC_CLAIM_family_name).to.equal(citizen.person.lastName);
    expect(claims.OIDC_CLAIM_given_name).to.equal(citizen.person.firstName);
    expect(claims.OIDC_CLAIM_sub).to.be.a('string');
    expect(claims.REMOTE_USER).to.equal(`${claims.OIDC_CLAIM_sub}@${harness.issuer}`);
    expect(claims.OIDC_CLAIM_national_code, 'not in the scope').to.equal(undefined);
    expect(claims.OIDC_access_token).to.be.a('string');

    // 2. The session is reused: the app again, not a single request to the provider.
    const before = toProvider.length;
    await page.goto(apache.appUrl);
    expect((await received(page)).OIDC_CLAIM_sub).to.equal(claims.OIDC_CLAIM_sub);
    expect(toProvider.length, 'no new sign-in').to.equal(before);

    // 3. Refresh: mod_auth_openidc's refresh endpoint redeems the refresh token, back to the app.
    const refresh = new URL(apache.redirectUri);
    refresh.searchParams.set('refresh', apache.appUrl);
    refresh.searchParams.set('access_token', claims.OIDC_access_token!);
    await page.goto(refresh.toString());
    let refreshed: Record<string, string> = {};
    await withLog('refresh', async () => {
      expect(page.url()).to.equal(apache.appUrl);
      refreshed = await received(page);
      expect(refreshed.OIDC_access_token).to.be.a('string').and.not.equal(claims.OIDC_access_token);
    });
    expect(refreshed.OIDC_CLAIM_sub).to.equal(claims.OIDC_CLAIM_sub);
    const userinfo = await fetch(`${harness.issuer}/me`, {
      headers: { authorization: `Bearer ${refreshed.OIDC_access_token}` },
    });
    expect(userinfo.status, 'the refreshed access token works').to.equal(200);
    expect(toProvider.length, 'refreshed server to server').to.equal(before);

    // 4. RP-initiated logout: Apache ends its session and sends the person to the provider,
    //    which confirms, ends its own session and returns to the site.
    const logout = new URL(apache.redirectUri);
    logout.searchParams.set('logout', apache.loggedOutUrl);
    await page.goto(logout.toString());
    await withLog('RP-initiated logout', () => {
      expect(new URL(page.url()).pathname).to.equal('/session/end');
    });
    await Promise.all([page.waitForNavigation(), page.locator('button[name="logout"][value="yes"]').click()]);
    expect(page.url()).to.equal(apache.loggedOutUrl);
    await page.goto(apache.appUrl);
    expect(await atMobilePage(), 'signed out at Apache and at the provider').to.equal(true);

    // 5. Back-channel logout: signed in again, the person signs out at the provider itself; the
    //    provider tells Apache server to server, and Apache's session is over.
    await journey.toIdentity(citizen.mobile);
    if ((await page.locator('input[name="national_code"]').count()) === 1)
      await journey.identity(citizen.nationalCode, citizen.person.birthDate);
    await grantConsent(page);
    expect(page.url()).to.equal(apache.appUrl);
    const sid = (await received(page)).OIDC_CLAIM_sid;
    expect(sid, 'ID token carries sid').to.be.a('string');
    const since = Date.now();
    await page.goto(`${harness.issuer}/session/end`);
    await Promise.all([page.waitForNavigation(), page.locator('button[name="logout"][value="yes"]').click()]);
    await withLog('back-channel logout delivered', () => {
      expect(backchannel.filter((b) => b.at >= since)).to.deep.equal([
        { clientId: 'apache', ok: true, at: backchannel.at(-1)?.at },
      ]);
    });
    await page.goto(apache.appUrl);
    await withLog('Apache session ended by back-channel logout', async () => {
      expect(await atMobilePage()).to.equal(true);
    });

    expect(chromium.problems, chromium.problems.join('\n')).to.deep.equal([]);
  });
});
