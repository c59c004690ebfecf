import { expect } from 'chai';
import * as oidc from 'openid-client';
import { firstPartyClientSecret } from '../../src/first-party/first-party-clients.js';
import { translate } from '../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { pageKind, TestBrowser } from '../helpers/browser.js';
import { type Citizen, signInToAccountPage, walkProvider } from '../helpers/demo-journey.js';
import { browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const ADMIN_TOKEN = 'first-party-admin-token-0123456789abcdef';
const [ali, zahra] = DEMO_CITIZENS.filter((c) => c.case === 'ordinary') as unknown as [Citizen, Citizen];

/**
 * The first-party sign-in (src/first-party/): /account is a relying party of the provider
 * itself. Over raw HTTP, like a browser with JavaScript off.
 */
describe('first-party sign-in (/account as a relying party of the provider)', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { ADMIN_TOKEN } });
  });
  after(async () => harness?.close());

  const fresh = () =>
    new TestBrowser(() => false, { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250) + 1}` });

  it('sends a stranger to /auth with PKCE S256, state, nonce and a short-lived path-scoped pending cookie', async () => {
    const response = await fetch(`${harness.issuer}/account`, { redirect: 'manual' });
    expect(response.status).to.equal(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).to.equal('/auth');
    const params = location.searchParams;
    expect(params.get('client_id')).to.equal('darvaze-account');
    expect(params.get('redirect_uri')).to.equal(`${harness.issuer}/account/callback`);
    expect(params.get('scope')).to.equal('openid');
    expect(params.get('code_challenge_method')).to.equal('S256');
    expect(params.get('state')).to.have.length.above(20);
    expect(params.get('nonce')).to.have.length.above(20);
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('darvaze.account.pending='))!;
    expect(cookie)
      .to.match(/path=\/account/i)
      .and.match(/httponly/i)
      .and.match(/samesite=lax/i);
    expect(cookie).to.match(/expires=/i);
  });

  it('signs a person in through the journey without a consent page and keeps a path-scoped session', async () => {
    const browser = fresh();
    const start = await browser.get(`${harness.issuer}/account`);
    expect(pageKind(start)).to.equal('mobile');
    const walk = await walkProvider({ harness }, browser, start, ali);
    // First sign-in ever: mobile, code, identity; never a consent page for the provider itself.
    expect(walk.pages).to.deep.equal(['mobile', 'code', 'identity']);
    expect(walk.page.url).to.equal(`${harness.issuer}/account`);
    expect(walk.page.status).to.equal(200);
    expect(walk.page.html).to.include('حساب کاربری من');
    // A second visit needs nothing: the session holds.
    const again = await browser.get(`${harness.issuer}/account`);
    expect(again.url).to.equal(`${harness.issuer}/account`);
    expect(again.status).to.equal(200);
  });

  it('a callback can be used once: replaying it (same pending cookie) is refused', async () => {
    const browser = new TestBrowser((url) => url.pathname === '/account/callback', {
      'x-forwarded-for': '198.51.100.77',
    });
    const start = await browser.get(`${harness.issuer}/account`);
    const stopped = await walkProvider({ harness }, browser, start, zahra);
    const callback = stopped.page.url;
    expect(new URL(callback).pathname).to.equal('/account/callback');
    const jar = browser.cookieHeader(new URL(harness.issuer));
    const first = await fetch(callback, { headers: { cookie: jar }, redirect: 'manual' });
    expect(first.status).to.equal(303);
    expect(first.headers.get('location')).to.equal('/account');
    const second = await fetch(callback, { headers: { cookie: jar }, redirect: 'manual' });
    expect(second.status).to.equal(400);
    // Without the pending cookie (a code sent to someone else's browser): refused too.
    const stranger = await fetch(callback, { redirect: 'manual' });
    expect(stranger.status).to.equal(400);
  });

  it('a failed callback is answered by the page it belongs to (its title, its way back)', async () => {
    for (const [path, title] of [
      ['/account', translate('en', 'page.account.title')],
      ['/admin', translate('en', 'admin.title')],
    ] as const) {
      const answer = await fetch(`${harness.issuer}${path}/callback?code=x&state=y&ui_locales=en`, {
        headers: { 'accept-language': 'en' },
        redirect: 'manual',
      });
      expect(answer.status).to.equal(400);
      const html = await answer.text();
      expect(html).to.contain(title);
      expect(html).to.contain(`href="${path}"`);
    }
  });

  it('sign-out needs the session CSRF token', async () => {
    const browser = fresh();
    const accountPage = await signInToAccountPage({ harness }, browser, ali);
    const refused = await browser.post(`${harness.issuer}/account/sign-out`, { csrf: 'wrong' });
    expect(refused.status).to.equal(403);
    const out = await browser.submitTo(accountPage, '/account/sign-out');
    expect(out.status).to.equal(200);
    expect(out.html).to.include('از این صفحه خارج شدید');
    // Signed out of /account: the next visit goes through the provider (its session still holds:
    // no journey page, straight back).
    const back = await browser.get(`${harness.issuer}/account`);
    expect(back.url).to.equal(`${harness.issuer}/account`);
  });

  it('the client secret is derived from the app secrets, not a constant', async () => {
    const secret = firstPartyClientSecret('one key', 'darvaze-account');
    expect(secret).to.not.equal(firstPartyClientSecret('another key', 'darvaze-account'));
    // The token endpoint refuses the client with a guessed secret.
    const config = await oidc.discovery(new URL(harness.issuer), 'darvaze-account', secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    let error: unknown;
    await oidc.clientCredentialsGrant(config).catch((e: unknown) => {
      error = e;
    });
    expect((error as { error?: string }).error).to.equal('invalid_client');
  });

  describe('no registered client can claim to be first party', () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${harness.issuer}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it('the admin API neither gives out the id darvaze-account nor lets it be replaced', async () => {
      const created = await admin('POST', '/admin/api/clients', {
        client_id: 'darvaze-account',
        client_name: 'impostor',
        redirect_uris: [`${harness.callbackBase}/impostor/cb`],
        first_party: true,
      });
      const body = (await created.json()) as { client_id?: string };
      if (created.status === 201) expect(body.client_id).to.not.equal('darvaze-account');
      else expect(created.status).to.equal(400);
      const replaced = await admin('PUT', '/admin/api/clients/darvaze-account', {
        client_name: 'impostor',
        redirect_uris: [`${harness.callbackBase}/impostor/cb`],
      });
      expect(replaced.status).to.equal(404);
    });

    for (const via of ['admin API', '/reg'] as const) {
      it(`a client registered through the ${via} with first-party-looking metadata still meets the consent page`, async () => {
        const metadata = {
          client_name: 'Darvaze account',
          redirect_uris: [`${harness.callbackBase}/impostor/cb`],
          scope: 'openid phone',
          first_party: true,
          darvaze_first_party: true,
          software_id: 'darvaze-account',
        };
        let response: Response;
        if (via === 'admin API') response = await admin('POST', '/admin/api/clients', metadata);
        else {
          const minted = await admin('POST', '/admin/api/initial-access-tokens', { expires_in: 600 });
          const { initial_access_token: token } = (await minted.json()) as { initial_access_token: string };
          response = await fetch(`${harness.issuer}/reg`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(metadata),
          });
        }
        const body = (await response.json()) as { client_id: string; client_secret: string };
        expect(response.status, JSON.stringify(body)).to.equal(201);
        expect(body.client_id).to.not.equal('darvaze-account');
        const config = await oidc.discovery(
          new URL(harness.issuer),
          body.client_id,
          body.client_secret,
          undefined,
          {
            execute: [oidc.allowInsecureRequests],
          },
        );
        const client = { metadata: { ...metadata, client_id: body.client_id }, config };
        const outcome = await signIn(harness, browserFor(harness), client, ali);
        expect(outcome.pages).to.include('consent');
        expect(outcome.atCallback).to.equal(true);
        const tokens = await redeem(client, outcome.request, outcome.last);
        expect(tokens.claims()!.sub).to.be.a('string');
      });
    }
  });
});
