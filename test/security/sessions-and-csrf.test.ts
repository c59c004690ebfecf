/**
 * CSRF, session fixation and session lifetime on the journey. Every step form needs the interaction's CSRF token
 * (on top of SameSite=Lax cookies): a forged post with the victim's own cookies but without the
 * token is refused (403) and changes nothing. A session id planted in a victim's browser before
 * they sign in is worthless afterwards: oidc-provider issues a new session id at sign-in. A session
 * ends SESSION_TTL_SECONDS after the sign-in however busy it is (absolute, not sliding), and one
 * nobody signed in to lives ten minutes.
 */
import { expect } from 'chai';
import { type Page, pageKind, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';
import { uniquePrefix } from '../helpers/redis-server.js';
import { countKeys, ORDINARY, rawRedis, walk } from './support.js';

const citizen = ORDINARY[1]!;

describe('CSRF, session fixation and session lifetime', function () {
  this.timeout(60_000);
  const prefix = uniquePrefix('csrf');
  let harness: Harness;

  before(async () => {
    harness = await startHarness({ env: { REDIS_KEY_PREFIX: prefix } });
  });
  after(async () => harness?.close());

  /** A post to the page's form with the browser's cookies but a forged or missing token. */
  async function forged(browser: TestBrowser, page: Page, action: string, fields: Record<string, string>) {
    const url = new URL(`${new URL(page.url).pathname}${action}`, page.url);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        cookie: browser.cookieHeader(url),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        origin: 'https://evil.example',
      },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    return { status: response.status, html: await response.text() };
  }

  it('refuses every step without the right CSRF token, and nothing happens', async () => {
    const redis = await rawRedis();
    try {
      const browser = browserFor(harness, '198.51.100.160');
      let page = await browser.get((await authorizationRequest(harness.clients.sales!)).url.toString());
      const sends = harness.sms.requestCount;
      for (const csrf of [undefined, '', 'x'.repeat(32), 'A'.repeat(10_000)]) {
        const fields = { mobile: citizen.mobile, captcha: '', ...(csrf === undefined ? {} : { csrf }) };
        const answer = await forged(browser, page, '/mobile', fields);
        expect(answer.status, String(csrf?.length)).to.equal(403);
      }
      expect(harness.sms.requestCount).to.equal(sends);

      page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
      expect(pageKind(page)).to.equal('code');
      const code = harness.sms.lastCodeFor(citizen.mobile)!;
      for (const action of ['/code', '/resend', '/change-mobile']) {
        const answer = await forged(browser, page, action, { code, csrf: 'forged' });
        expect(answer.status, action).to.equal(403);
      }
      expect(harness.sms.requestCount).to.equal(sends + 1);

      page = await browser.submit(page, { code });
      expect(pageKind(page)).to.equal('identity');
      const identity = await forged(browser, page, '/identity', {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
      });
      expect(identity.status).to.equal(403);
      expect(await countKeys(redis, prefix, 'account:')).to.equal(0);

      page = await browser.submit(page, {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
      });
      expect(pageKind(page)).to.equal('consent');
      const grants = await countKeys(redis, prefix, 'oidc:Grant:');
      const consent = await forged(browser, page, '/consent', { decision: 'grant' });
      expect(consent.status).to.equal(403);
      expect(await countKeys(redis, prefix, 'oidc:Grant:')).to.equal(grants);
      // The person's own click still works.
      const done = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
      expect(new URL(done.url).origin).to.equal(harness.callbackBase);
    } finally {
      redis.disconnect();
    }
  });

  it('a session id planted before sign-in does not become the signed-in session', async () => {
    const client = harness.clients.sales!;
    // The attacker gets a session cookie of their own (the logout page makes one for anybody)…
    const attacker = browserFor(harness, '198.51.100.161');
    await attacker.get(`${harness.issuer}/session/end`);
    const planted = attacker.cookieHeader(new URL(harness.issuer));
    expect(planted).to.match(/darvaze\.session=/);

    // …and plants it in the victim's browser, who then signs in.
    const victim = browserFor(harness, '198.51.100.162');
    const cookieJar = planted.split('; ').map((pair) => pair.split('=') as [string, string]);
    const issuer = new URL(harness.issuer);
    (victim as unknown as { jar: Map<string, Map<string, string>> }).jar.set(issuer.host, new Map(cookieJar));
    const request = await authorizationRequest(client);
    const result = await walk(harness, victim, request.url.toString(), ORDINARY[0]!);
    expect(result.atCallback).to.equal(true);
    const victimSession = /darvaze\.session=([^;]+)/.exec(victim.cookieHeader(issuer))?.[1];
    const plantedSession = /darvaze\.session=([^;]+)/.exec(planted)?.[1];
    expect(victimSession).to.be.a('string').and.not.equal(plantedSession);

    // The attacker's copy of the old cookie does not reach the victim's account.
    const silent = await authorizationRequest(client, { prompt: 'none' });
    const answer = await fetch(silent.url, { headers: { cookie: planted }, redirect: 'manual' });
    const location = new URL(answer.headers.get('location')!, harness.issuer);
    expect(location.searchParams.get('error')).to.equal('login_required');
    expect(location.searchParams.get('code')).to.equal(null);
  });

  it('a signed-in session has an absolute lifetime; an anonymous one lives ten minutes', async function () {
    this.timeout(20_000);
    const short = uniquePrefix('session-ttl');
    const local = await startHarness({ env: { REDIS_KEY_PREFIX: short, SESSION_TTL_SECONDS: '60' } });
    const redis = await rawRedis();
    try {
      const ttlOf = async (browser: TestBrowser) => {
        const id = /darvaze\.session=([^;]+)/.exec(browser.cookieHeader(new URL(local.issuer)))![1]!;
        return redis.ttl(`${short}oidc:Session:{${id}}`);
      };
      const browser = browserFor(local, '198.51.100.163');
      const first = await walk(
        local,
        browser,
        (await authorizationRequest(local.clients.sales!)).url.toString(),
        ORDINARY[0]!,
      );
      expect(first.atCallback).to.equal(true);
      expect(await ttlOf(browser)).to.be.within(55, 60);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      // Using the session (SSO to the second site) does not push its end back.
      const second = await walk(
        local,
        browser,
        (await authorizationRequest(local.clients.service!)).url.toString(),
        ORDINARY[0]!,
      );
      expect(second.atCallback).to.equal(true);
      expect(await ttlOf(browser)).to.be.at.most(58);

      const visitor = browserFor(local, '198.51.100.164');
      await visitor.get(`${local.issuer}/session/end`);
      expect(await ttlOf(visitor)).to.be.within(1, 600);
    } finally {
      redis.disconnect();
      await local.close();
    }
  });
});
