/**
 * Attack: ask for personal data by name with the `claims` parameter instead of by scope.
 * On 822588c a site allowed only `openid` sent
 * `claims={"id_token":{"national_code":null,"name":null,…}}`: the consent page said no personal
 * data is shared, then the ID token and userinfo carried the national code, name, birth date and
 * mobile. The contract (DESIGN §2.5): claims a person's consent did not cover never leave.
 */
import { expect } from 'chai';
import type { ClientMetadata } from 'oidc-provider';
import * as oidc from 'openid-client';
import { translate } from '../../src/i18n/index.js';
import { pageKind, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { ORDINARY } from '../security/support.js';

const PERSONAL_CLAIMS = [
  'national_code',
  'father_name',
  'name',
  'given_name',
  'birthdate',
  'phone_number',
  'gender',
];
const ALL_BY_NAME = JSON.stringify({
  id_token: Object.fromEntries(PERSONAL_CLAIMS.map((claim) => [claim, null])),
  userinfo: Object.fromEntries(PERSONAL_CLAIMS.map((claim) => [claim, { essential: true }])),
});

describe('attack: personal data through the claims parameter, past scopes and consent', function () {
  this.timeout(60_000);
  let harness: Harness;

  before(async () => {
    const clients = (callbackBase: string): ClientMetadata[] => [
      {
        client_id: 'openid-only',
        client_secret: 'openid-only-secret-0123456789abcdef0123',
        client_name: 'Openid only',
        redirect_uris: [`${callbackBase}/narrow/cb`],
        scope: 'openid',
      },
      {
        client_id: 'wide',
        client_secret: 'wide-secret-0123456789abcdef0123456789ab',
        client_name: 'Wide site',
        redirect_uris: [`${callbackBase}/wide/cb`],
        scope: 'openid profile phone national_id',
      },
    ];
    harness = await startHarness({ clients });
  });
  after(() => harness?.close());

  /** Signs a person in through every step but consent and returns the consent page. */
  async function toConsent(browser: TestBrowser, start: string, citizen = ORDINARY[0]!) {
    let page = await browser.get(start);
    for (let step = 0; step < 6 && pageKind(page) !== 'consent'; step++) {
      const kind = pageKind(page);
      if (kind === 'mobile') page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
      else if (kind === 'code')
        page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
      else if (kind === 'identity')
        page = await browser.submit(page, {
          national_code: citizen.nationalCode,
          birth_date: citizen.person.birthDate,
        });
      else throw new Error(`unexpected page ${page.url}: ${page.html.slice(0, 200)}`);
    }
    expect(pageKind(page)).to.equal('consent');
    return page;
  }

  async function userinfo(client: Harness['clients'][string], accessToken: string) {
    const answer = await fetch(client.config.serverMetadata().userinfo_endpoint!, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return (await answer.json()) as Record<string, unknown>;
  }

  it('a site allowed only openid gets no personal claim by name, and the consent page says so truthfully', async () => {
    const client = harness.clients['openid-only']!;
    if (!client) throw new Error('client missing');
    const request = await authorizationRequest(client, { scope: 'openid', claims: ALL_BY_NAME });
    const browser = browserFor(harness, '198.51.100.21');
    const consent = await toConsent(browser, request.url.toString());
    expect(consent.html).to.include(translate('fa', 'consent.noClaims'));
    const callback = await browser.submit(consent, {}, { name: 'decision', value: 'grant' });
    const tokens = await redeem(client, request, callback);
    const idClaims = tokens.claims()!;
    const info = await userinfo(client, tokens.access_token);
    for (const claim of PERSONAL_CLAIMS) {
      expect(idClaims, `id_token ${claim}`).not.to.have.property(claim);
      expect(info, `userinfo ${claim}`).not.to.have.property(claim);
    }
    expect(JSON.stringify(idClaims) + JSON.stringify(info)).not.to.include(ORDINARY[0]!.nationalCode);
  });

  it('a site allowed national_id that asks for it by name gets it only after the person saw it and granted', async () => {
    const client = harness.clients.wide!;
    const claims = JSON.stringify({ id_token: { national_code: null }, userinfo: { national_code: null } });
    const citizen = ORDINARY[1]!;

    // Denied: the site learns nothing.
    const denied = await authorizationRequest(client, { scope: 'openid', claims });
    const denyingBrowser = browserFor(harness, '198.51.100.22');
    const shown = await toConsent(denyingBrowser, denied.url.toString(), citizen);
    expect(shown.html).to.include(translate('fa', 'claim.national_code'));
    expect(shown.html).not.to.include(translate('fa', 'consent.noClaims'));
    const back = await denyingBrowser.submit(shown, {}, { name: 'decision', value: 'deny' });
    expect(new URL(back.url).searchParams.get('error')).to.equal('access_denied');

    // Granted: exactly the claim shown leaves, nothing else personal.
    const granted = await authorizationRequest(client, { scope: 'openid', claims });
    const browser = browserFor(harness, '198.51.100.23');
    const consent = await toConsent(browser, granted.url.toString(), citizen);
    expect(consent.html).to.include(translate('fa', 'claim.national_code'));
    const callback = await browser.submit(consent, {}, { name: 'decision', value: 'grant' });
    const tokens = await redeem(client, granted, callback);
    expect(tokens.claims()).to.include({ national_code: citizen.nationalCode });
    expect(tokens.claims()).not.to.have.property('name');
    expect(await userinfo(client, tokens.access_token)).to.include({ national_code: citizen.nationalCode });
  });

  it('a claims parameter sent inside a pushed authorization request is limited the same way', async () => {
    const client = harness.clients['openid-only']!;
    const request = await authorizationRequest(client, { scope: 'openid', claims: ALL_BY_NAME });
    const pushed = await fetch(`${harness.issuer}/request`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`openid-only:${client.metadata.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: request.url.searchParams.toString(),
    });
    expect(pushed.status).to.equal(201);
    const { request_uri } = (await pushed.json()) as { request_uri: string };
    const browser = browserFor(harness, '198.51.100.24');
    const start = `${harness.issuer}/auth?${new URLSearchParams({ client_id: 'openid-only', request_uri })}`;
    const consent = await toConsent(browser, start, ORDINARY[2]!);
    expect(consent.html).to.include(translate('fa', 'consent.noClaims'));
    const callback = await browser.submit(consent, {}, { name: 'decision', value: 'grant' });
    const tokens = await oidc.authorizationCodeGrant(client.config, new URL(callback.url), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    for (const claim of PERSONAL_CLAIMS) expect(tokens.claims()).not.to.have.property(claim);
  });
});
