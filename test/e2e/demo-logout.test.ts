import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../examples/shared/backchannel.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, TestBrowser } from '../helpers/browser.js';
import { type Citizen, signedIn, signInAt } from '../helpers/demo-journey.js';
import { type DemoStack, startDemoStack } from '../helpers/demo-stack.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const [ali, zahra, mohammadreza, fatemeh] = ordinary as unknown as [Citizen, Citizen, Citizen, Citizen];

let addressCounter = 0;
const newBrowser = () => new TestBrowser(() => false, { 'x-forwarded-for': `203.0.113.${++addressCounter}` });

/** Signs the person in at both sites in one browser: codes at the sales site, consent only at the other. */
async function signInAtBoth(stack: DemoStack, citizen: Citizen): Promise<TestBrowser> {
  const browser = newBrowser();
  const sales = await signInAt(stack, browser, stack.salesUrl, citizen);
  expect(new URL(sales.page.url).origin).to.equal(stack.salesUrl);
  const service = await signInAt(stack, browser, stack.serviceUrl, citizen);
  expect(service.pages).to.deep.equal(['consent']);
  expect(signedIn(service.page)).to.equal(true);
  return browser;
}

const sessionsOf = (stack: DemoStack, site: 'sales' | 'service', citizen: Citizen) =>
  stack.sites[site].rp.sessions
    .signedIn()
    .filter((session) => session.user?.claims.given_name === citizen.person.firstName);

/** Presses the site's sign-out button, then «بله، خارج شوم» on the provider's confirmation page. */
async function signOutAt(browser: TestBrowser, siteUrl: string): Promise<{ confirm: Page; done: Page }> {
  const home = await browser.get(`${siteUrl}/`);
  expect(signedIn(home), 'signed in before signing out').to.equal(true);
  const confirm = await browser.submitTo(home, '/logout');
  expect(confirm.url).to.include('/session/end');
  const done = await browser.submit(confirm, { logout: 'yes' });
  return { confirm, done };
}

const delivered = (stack: DemoStack, since: number) =>
  stack.backchannel.filter((outcome) => outcome.at >= since);

describe('demo sites: single logout (RP-initiated + back-channel)', function () {
  this.timeout(60_000);
  let stack: DemoStack;
  before(async () => {
    stack = await startDemoStack();
  });
  after(async () => stack?.close());

  it('signing out at the sales site ends the provider session and, through back-channel logout, both sites', async () => {
    const browser = await signInAtBoth(stack, ali);
    expect(sessionsOf(stack, 'sales', ali)).to.have.length(1);
    expect(sessionsOf(stack, 'service', ali)).to.have.length(1);
    const since = Date.now();
    const { confirm, done } = await signOutAt(browser, stack.salesUrl);
    // The provider's own Persian confirmation page, naming the site.
    expect(confirm.html).to.include('lang="fa"');
    expect(confirm.html).to.include('آیا می‌خواهید از حساب کاربری خود در دروازه خارج شوید؟');
    expect(confirm.html).to.include(stack.clients.sales.clientName);
    expect(done.url).to.equal(`${stack.salesUrl}/logged-out`);
    expect(done.html).to.include('از حساب کاربری خود در این سایت خارج شدید.');
    const outcomes = delivered(stack, since);
    expect(outcomes, JSON.stringify(outcomes)).to.deep.include.members([
      { clientId: 'demo-sales', ok: true, at: outcomes.find((o) => o.clientId === 'demo-sales')?.at },
      { clientId: 'demo-service', ok: true, at: outcomes.find((o) => o.clientId === 'demo-service')?.at },
    ]);
    expect(sessionsOf(stack, 'sales', ali)).to.have.length(0);
    expect(sessionsOf(stack, 'service', ali)).to.have.length(0);
    expect(signedIn(await browser.get(`${stack.serviceUrl}/`))).to.equal(false);
    expect(signedIn(await browser.get(`${stack.salesUrl}/`))).to.equal(false);
    // The provider session is gone too: signing in asks for the mobile again.
    expect(pageKind(await browser.get(`${stack.serviceUrl}/login`))).to.equal('mobile');
  });

  it('signing out at the service site signs the person out of the sales site too', async () => {
    const browser = await signInAtBoth(stack, zahra);
    const since = Date.now();
    const { done } = await signOutAt(browser, stack.serviceUrl);
    expect(done.url).to.equal(`${stack.serviceUrl}/logged-out`);
    const outcomes = delivered(stack, since);
    expect(
      outcomes.filter((o) => o.ok).map((o) => o.clientId),
      JSON.stringify(outcomes),
    ).to.have.members(['demo-sales', 'demo-service']);
    expect(sessionsOf(stack, 'sales', zahra)).to.have.length(0);
    expect(signedIn(await browser.get(`${stack.salesUrl}/`))).to.equal(false);
  });

  it('a person signed in on two devices: a logout token with only sub ends both; other people stay', async () => {
    const phone = newBrowser();
    await signInAt(stack, phone, stack.salesUrl, mohammadreza);
    const laptop = newBrowser();
    await signInAt(stack, laptop, stack.salesUrl, mohammadreza);
    const bystander = newBrowser();
    await signInAt(stack, bystander, stack.salesUrl, fatemeh);
    const sub = sessionsOf(stack, 'sales', mohammadreza)[0]!.user!.sub;
    expect(sessionsOf(stack, 'sales', mohammadreza)).to.have.length(2);
    const token = await providerSigned(stack, { sub, aud: 'demo-sales' });
    expect((await postLogoutToken(stack.salesUrl, token)).status).to.equal(200);
    expect(sessionsOf(stack, 'sales', mohammadreza)).to.have.length(0);
    expect(sessionsOf(stack, 'sales', fatemeh)).to.have.length(1);
  });

  describe('logout tokens that fail validation are refused (400) and end no session', () => {
    let browser: TestBrowser;
    let sid: string;
    let sub: string;
    before(async () => {
      browser = newBrowser();
      await signInAt(stack, browser, stack.salesUrl, fatemeh);
      const session = sessionsOf(stack, 'sales', fatemeh).at(-1)!;
      sid = session.user!.sid!;
      sub = session.user!.sub;
      expect(sid).to.be.a('string');
    });

    const refused = async (token: string | Record<string, string> | undefined, reason: RegExp) => {
      const before = sessionsOf(stack, 'sales', fatemeh).length;
      const response =
        token === undefined
          ? await postLogoutToken(stack.salesUrl, undefined)
          : typeof token === 'string'
            ? await postLogoutToken(stack.salesUrl, token)
            : await fetch(`${stack.salesUrl}/backchannel-logout`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(token),
              });
      expect(response.status).to.equal(400);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).to.equal('invalid_request');
      expect(body.error_description).to.match(reason);
      expect(sessionsOf(stack, 'sales', fatemeh)).to.have.length(before);
      expect(signedIn(await browser.get(`${stack.salesUrl}/`))).to.equal(true);
    };

    it('a bad signature (right kid, another key)', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT(logoutClaims(stack, { sid, sub }))
        .setProtectedHeader({ alg: 'RS256', kid: rsaKey(stack).kid, typ: 'logout+jwt' })
        .sign(privateKey);
      await refused(token, /signature/);
    });

    it('a token signed by a key the provider does not publish', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT(logoutClaims(stack, { sid, sub }))
        .setProtectedHeader({ alg: 'RS256', kid: 'not-a-provider-key', typ: 'logout+jwt' })
        .sign(privateKey);
      await refused(token, /no matching key/);
    });

    it('the wrong audience (another site’s token)', async () => {
      await refused(await providerSigned(stack, { sid, sub, aud: 'demo-service' }), /aud/);
    });

    it('the wrong issuer', async () => {
      await refused(await providerSigned(stack, { sid, sub, iss: 'https://evil.example' }), /iss/);
    });

    it('no events claim, or events without the back-channel logout event', async () => {
      await refused(await providerSigned(stack, { sid, sub, events: undefined }), /events/);
      await refused(
        await providerSigned(stack, { sid, sub, events: { 'http://example.com/other-event': {} } }),
        /events/,
      );
      await refused(
        await providerSigned(stack, { sid, sub, events: { [BACKCHANNEL_LOGOUT_EVENT]: true } }),
        /events/,
      );
    });

    it('a nonce (an ID token is never a logout token)', async () => {
      await refused(await providerSigned(stack, { sid, sub, nonce: 'n-0S6_WzA2Mj' }), /nonce/);
    });

    it('neither sid nor sub', async () => {
      await refused(await providerSigned(stack, { sid: undefined, sub: undefined }), /neither sid nor sub/);
    });

    it('no iat, no jti, expired, issued too long ago', async () => {
      await refused(await providerSigned(stack, { sid, sub, iat: undefined }), /iat/);
      await refused(await providerSigned(stack, { sid, sub, jti: undefined }), /jti/);
      const hourAgo = Math.floor(Date.now() / 1000) - 3600;
      await refused(await providerSigned(stack, { sid, sub, iat: hourAgo, exp: hourAgo + 120 }), /expired/);
      await refused(await providerSigned(stack, { sid, sub, iat: hourAgo, exp: hourAgo + 7200 }), /iat/);
    });

    it('a token typed as something else (typ: JWT)', async () => {
      await refused(await providerSigned(stack, { sid, sub }, 'JWT'), /typ/);
    });

    it('no token, not a JWT, or not form-encoded', async () => {
      await refused(undefined, /logout_token missing/);
      await refused('not-a-jwt', /JWT|ERR_JWS_INVALID|invalid/i);
      await refused({ logout_token: await providerSigned(stack, { sid, sub }) }, /form-encoded/);
    });

    it('control: the same token, valid, ends exactly that session', async () => {
      const response = await postLogoutToken(stack.salesUrl, await providerSigned(stack, { sid, sub }));
      expect(response.status).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      expect(signedIn(await browser.get(`${stack.salesUrl}/`))).to.equal(false);
    });
  });
});

describe('demo sites: a site that is down or hangs does not block logout', function () {
  this.timeout(60_000);
  let stack: DemoStack;
  let blackHole: Server | undefined;
  const sockets = new Set<Socket>();
  before(async () => {
    stack = await startDemoStack({ store: 'memory' });
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    blackHole?.close();
    await stack?.close();
  });

  it('with the service site down, signing out at the sales site completes; the provider only reports an error', async () => {
    const browser = await signInAtBoth(stack, ali);
    await stack.sites.service.rp.stop();
    const since = Date.now();
    const started = performance.now();
    const { done } = await signOutAt(browser, stack.salesUrl);
    const took = performance.now() - started;
    expect(done.url).to.equal(`${stack.salesUrl}/logged-out`);
    expect(took).to.be.lessThan(2000);
    const outcomes = delivered(stack, since);
    expect(outcomes.find((o) => o.clientId === 'demo-sales')?.ok, JSON.stringify(outcomes)).to.equal(true);
    const failed = outcomes.find((o) => o.clientId === 'demo-service');
    expect(failed?.ok).to.equal(false);
    expect(failed?.error).to.match(/fetch failed|ECONNREFUSED/);
    expect(sessionsOf(stack, 'sales', ali)).to.have.length(0);
    expect(pageKind(await browser.get(`${stack.salesUrl}/login`))).to.equal('mobile');
  });

  it('with the service site hanging, logout still completes once oidc-provider gives up (2.5 s)', async () => {
    const port = Number(new URL(stack.serviceUrl).port);
    await stack.sites.service.rp.listen(port, '127.0.0.1'); // back up after the previous test
    const browser = await signInAtBoth(stack, zahra);
    await stack.sites.service.rp.stop();
    blackHole = createServer((socket) => {
      sockets.add(socket); // accepts the connection, never answers
    });
    await new Promise<void>((resolve) => blackHole!.listen(port, '127.0.0.1', resolve));
    const since = Date.now();
    const started = performance.now();
    const { done } = await signOutAt(browser, stack.salesUrl);
    const took = performance.now() - started;
    expect(done.url).to.equal(`${stack.salesUrl}/logged-out`);
    expect(took).to.be.greaterThan(2000).and.lessThan(6000);
    const outcomes = delivered(stack, since);
    expect(outcomes.find((o) => o.clientId === 'demo-sales')?.ok, JSON.stringify(outcomes)).to.equal(true);
    const failed = outcomes.find((o) => o.clientId === 'demo-service');
    expect(failed?.ok).to.equal(false);
    expect(failed?.error).to.match(/abort|timeout/i);
    expect(sessionsOf(stack, 'sales', zahra)).to.have.length(0);
  });
});

function rsaKey(stack: DemoStack): JWK & { kid: string } {
  const key = stack.harness.app.secrets.signingKeys.keys.find((candidate) => candidate.alg === 'RS256');
  if (!key) throw new Error('the provider has no RS256 key');
  return key;
}

function logoutClaims(stack: DemoStack, claims: Record<string, unknown>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = {
    iss: stack.harness.issuer,
    aud: 'demo-sales',
    iat: now,
    exp: now + 120,
    jti: `test-${Math.random().toString(36).slice(2)}`,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...claims,
  };
  for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
  return all;
}

/** A logout token signed with the provider's own RS256 key, with `claims` overriding the defaults. */
async function providerSigned(
  stack: DemoStack,
  claims: Record<string, unknown>,
  typ = 'logout+jwt',
): Promise<string> {
  const jwk = rsaKey(stack);
  const key = await importJWK(jwk, 'RS256');
  return new SignJWT(logoutClaims(stack, claims))
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ })
    .sign(key);
}

async function postLogoutToken(siteUrl: string, token: string | undefined): Promise<Response> {
  return fetch(`${siteUrl}/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(token === undefined ? {} : { logout_token: token }).toString(),
  });
}
