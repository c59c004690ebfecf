/**
 * Attack: on the person's page (/account), person A asks for person B's things by id — withdraw
 * a site only B allowed, rename or remove B's passkey — over raw HTTP with A's own valid session
 * and CSRF token; and every /account action is tried with another spelling of its path, with no
 * session, with a stale sign-in and with a wrong CSRF token. Nothing of B's may change or show.
 */
import { expect } from 'chai';
import { createConsentIndex } from '../../src/accounts/consent-index.js';
import { createPersonalDataCipher } from '../../src/accounts/personal-data-cipher.js';
import { parseEncryptionKeys, parseIndexKey } from '../../src/composition/secrets.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { createPasskeyCredentials, type PasskeyCredentials } from '../../src/passkeys/passkey-credentials.js';
import { type Page, parseForms, TestBrowser } from '../helpers/browser.js';
import type { Citizen } from '../helpers/demo-journey.js';
import { walkProvider } from '../helpers/demo-journey.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { rawRequest, spellingsOf } from './raw-http.js';

const [ali, zahra] = DEMO_CITIZENS.filter((c) => c.case === 'ordinary') as unknown as [Citizen, Citizen];

describe('attack: one person reaches another’s things on /account', function () {
  this.timeout(120_000);
  let harness: Harness;
  let offsetMs = 0;
  let passkeys: PasskeyCredentials;
  let a: { browser: TestBrowser; page: Page; sub: string };
  let b: { browser: TestBrowser; page: Page; sub: string };
  const B_PASSKEY = 'b-passkey-credential-id-AAAAAAAAAAAAAAAAAAAA';
  const A_PASSKEY = 'a-passkey-credential-id-AAAAAAAAAAAAAAAAAAAA';

  /** Signs the person in at one site (consent granted), then opens /account in the same browser. */
  async function person(citizen: Citizen, site: 'sales' | 'service', address: string) {
    const browser = new TestBrowser((url) => url.origin === harness.callbackBase, {
      'x-forwarded-for': address,
    });
    const atSite = await signIn(harness, browser, harness.clients[site]!, citizen);
    expect(atSite.atCallback).to.equal(true);
    const page = await browser.get(`${harness.issuer}/account`);
    const walked = await walkProvider({ harness }, browser, page, citizen);
    expect(walked.page.url).to.equal(`${harness.issuer}/account`);
    return { browser, page: walked.page };
  }

  const csrfOf = (page: Page) => parseForms(page.html).find((form) => form.fields.csrf)!.fields.csrf!;
  const post = (who: { browser: TestBrowser }, path: string, fields: Record<string, string>) =>
    rawRequest(harness.issuer, {
      method: 'POST',
      path,
      headers: {
        cookie: who.browser.cookieHeader(new URL(harness.issuer)),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
    });

  before(async () => {
    harness = await startHarness({ overrides: { now: () => Date.now() + offsetMs } });
    const secrets = harness.app.secrets;
    const cipher = createPersonalDataCipher({
      keys: parseEncryptionKeys(secrets.dataEncryptionKeys),
      indexKey: parseIndexKey(secrets.dataIndexKey),
    });
    passkeys = createPasskeyCredentials(harness.app.store, cipher);
    const first = await person(ali, 'sales', '198.51.100.21');
    const second = await person(zahra, 'service', '198.51.100.22');
    a = { ...first, sub: await subFromExport(first.browser, first.page) };
    b = { ...second, sub: await subFromExport(second.browser, second.page) };
    const passkey = (id: string, sub: string) => ({
      id,
      sub,
      publicKey: 'pQECAyYgASFYIA',
      counter: 0,
      transports: ['internal'],
      deviceType: 'multiDevice' as const,
      name: `phone-of-${id.slice(0, 1)}`,
      createdAt: Math.floor(Date.now() / 1000),
    });
    expect(await passkeys.add(passkey(B_PASSKEY, b.sub))).to.equal(true);
    expect(await passkeys.add(passkey(A_PASSKEY, a.sub))).to.equal(true);
    a.page = await a.browser.get(`${harness.issuer}/account`);
  });
  after(() => harness?.close());

  async function subFromExport(browser: TestBrowser, page: Page): Promise<string> {
    const answer = await post({ browser }, '/account/export', { csrf: csrfOf(page) });
    expect(answer.status).to.equal(200);
    return (JSON.parse(answer.body) as { account: { sub: string } }).account.sub;
  }

  const consents = () => createConsentIndex(harness.app.store);

  it('A’s page shows A’s site and passkey, never B’s', async () => {
    const html = a.page.html;
    expect(html).to.include('فروش اینترنتی');
    expect(html).to.include('phone-of-a');
    expect(html).to.not.include('خدمات پس از فروش');
    expect(html).to.not.include('phone-of-b');
    expect(html).to.not.include(zahra.person.fatherName);
  });

  it('A cannot withdraw a site only B allowed: 404, B keeps it', async () => {
    const answer = await post(a, '/account/sites/withdraw', { csrf: csrfOf(a.page), client_id: 'service' });
    expect(answer.status).to.equal(404);
    expect(await consents().find(b.sub, 'service')).to.not.equal(undefined);
  });

  it('A cannot rename or remove B’s passkey: 404, it stays as it was', async () => {
    const csrf = csrfOf(a.page);
    const renamed = await post(a, '/account/passkeys/rename', { csrf, id: B_PASSKEY, name: 'stolen' });
    expect(renamed.status).to.equal(404);
    const removed = await post(a, '/account/passkeys/remove', { csrf, id: B_PASSKEY });
    expect(removed.status).to.equal(404);
    const still = await passkeys.find(B_PASSKEY);
    expect(still?.sub).to.equal(b.sub);
    expect(still?.name).to.equal('phone-of-b');
  });

  it('B’s CSRF token does not work in A’s session, nor does none', async () => {
    for (const csrf of [csrfOf(b.page), '', 'x'.repeat(43)]) {
      const answer = await post(a, '/account/passkeys/rename', { csrf, id: A_PASSKEY, name: 'renamed' });
      expect(answer.status).to.equal(403);
    }
    expect((await passkeys.find(A_PASSKEY))?.name).to.equal('phone-of-a');
  });

  it('no other spelling of an /account action path changes anything, with or without a session', async () => {
    const csrf = csrfOf(a.page);
    const actions: [string, Record<string, string>][] = [
      ['/account/sites/withdraw', { csrf, client_id: 'sales' }],
      ['/account/passkeys/rename', { csrf, id: A_PASSKEY, name: 'renamed' }],
      ['/account/passkeys/remove', { csrf, id: A_PASSKEY }],
      ['/account/recheck', { csrf }],
      ['/account/export', { csrf }],
      ['/account/sign-out-everywhere', { csrf }],
      ['/account/delete', { csrf }],
    ];
    const reached: string[] = [];
    for (const [path, fields] of actions) {
      for (const spelling of spellingsOf(path).filter(
        // The same path with a query, a fragment or a trailing slash is the route itself.
        (s) => s !== path && s !== `${path}/` && !s.includes('?') && !s.includes('#'),
      )) {
        for (const who of [a, { browser: new TestBrowser() }]) {
          const answer = await post(who, spelling, fields);
          if (
            answer.status < 300 ||
            (answer.status === 303 && String(answer.headers.location).startsWith('/account'))
          )
            reached.push(`${spelling} → ${answer.status}`);
        }
      }
      // The real path without a session: sent to sign in, nothing done.
      const stranger = await post({ browser: new TestBrowser() }, path, fields);
      expect(stranger.status, path).to.equal(303);
      expect(String(stranger.headers.location)).to.include('/auth?');
    }
    expect(reached).to.deep.equal([]);
    expect(await consents().find(a.sub, 'sales')).to.not.equal(undefined);
    expect((await passkeys.find(A_PASSKEY))?.name).to.equal('phone-of-a');
  });

  it('a sign-in older than 5 minutes sends A through the provider again (max_age) before anything changes', async () => {
    offsetMs = 6 * 60_000;
    try {
      const answer = await post(a, '/account/passkeys/rename', {
        csrf: csrfOf(a.page),
        id: A_PASSKEY,
        name: 'late',
      });
      expect(answer.status).to.equal(303);
      const location = new URL(String(answer.headers.location));
      expect(location.pathname).to.equal('/auth');
      expect(location.searchParams.get('max_age')).to.equal('300');
      expect((await passkeys.find(A_PASSKEY))?.name).to.equal('phone-of-a');
    } finally {
      offsetMs = 0;
    }
  });

  it('A withdrawing A’s own site works (the same request, A’s own id)', async () => {
    const answer = await post(a, '/account/sites/withdraw', { csrf: csrfOf(a.page), client_id: 'sales' });
    expect(answer.status).to.equal(303);
    expect(await consents().find(a.sub, 'sales')).to.equal(undefined);
    expect(await consents().find(b.sub, 'service')).to.not.equal(undefined);
  });
});
