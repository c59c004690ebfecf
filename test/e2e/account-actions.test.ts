/**
 * The person's page actions over HTTP (a browser with JavaScript off): passkeys renamed and
 * removed, the last one only after an SMS code, and every change in the audit trail.
 */
import { expect } from 'chai';
import { createPersonalDataCipher } from '../../src/accounts/personal-data-cipher.js';
import { parseEncryptionKeys, parseIndexKey } from '../../src/composition/secrets.js';
import { createFirstPartySessionStore } from '../../src/first-party/first-party-sessions.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { createPasskeyCredentials, type PasskeyCredentials } from '../../src/passkeys/passkey-credentials.js';
import { type Page, parseForms, TestBrowser } from '../helpers/browser.js';
import { type Citizen, signInToAccountPage } from '../helpers/demo-journey.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[2] as unknown as Citizen;

describe('the person’s page: passkeys and the audit trail', function () {
  this.timeout(60_000);
  let harness: Harness;
  let passkeys: PasskeyCredentials;
  let browser: TestBrowser;
  let page: Page;
  let sub: string;

  const passkey = (id: string, name: string) => ({
    id,
    sub,
    publicKey: 'pQECAyYgASFYIA',
    counter: 0,
    transports: ['internal'],
    deviceType: 'singleDevice' as const,
    name,
    createdAt: Math.floor(Date.now() / 1000) - 86_400,
    lastUsedAt: Math.floor(Date.now() / 1000) - 3600,
  });
  const csrf = () => parseForms(page.html).find((form) => form.fields.csrf)!.fields.csrf!;
  const auditTypes = async () =>
    (await harness.app.store.readLog('audit:security', 50)).map((entry) => entry.fields.type);

  before(async () => {
    // The first sign-in's identity check is one of two a day.
    harness = await startHarness({ env: { IDENTITY_CHECKS_PER_DAY: '2' } });
    const secrets = harness.app.secrets;
    passkeys = createPasskeyCredentials(
      harness.app.store,
      createPersonalDataCipher({
        keys: parseEncryptionKeys(secrets.dataEncryptionKeys),
        indexKey: parseIndexKey(secrets.dataIndexKey),
      }),
    );
    browser = new TestBrowser(() => false, { 'x-forwarded-for': '198.51.100.31' });
    page = await signInToAccountPage({ harness }, browser, citizen);
    const exported = await browser.post(`${harness.issuer}/account/export`, { csrf: csrf() });
    sub = (JSON.parse(exported.html) as { account: { sub: string } }).account.sub;
    await passkeys.add(passkey('passkey-one-AAAAAAAAAAAAAAAAAAAAAAAA', 'گوشی من'));
    await passkeys.add(passkey('passkey-two-AAAAAAAAAAAAAAAAAAAAAAAA', 'laptop'));
    page = await browser.get(`${harness.issuer}/account`);
  });
  after(() => harness?.close());

  it('lists the passkeys with their names and dates', () => {
    const section = page.html.slice(page.html.indexOf('id="passkeys"'), page.html.indexOf('id="activity"'));
    expect(section).to.include('گوشی من').and.include('laptop');
    expect(section).to.include('ساخته‌شده:').and.include('آخرین استفاده:');
  });

  it('renames one (escaped, trimmed, control characters out), audited', async () => {
    page = await browser.submit(
      page,
      { id: 'passkey-two-AAAAAAAAAAAAAAAAAAAAAAAA', name: '  <b>office</b>\u0007 laptop ' },
      undefined,
    );
    expect(page.url).to.include('/account?done=passkey-renamed');
    expect((await passkeys.find('passkey-two-AAAAAAAAAAAAAAAAAAAAAAAA'))?.name).to.equal(
      '<b>office</b> laptop',
    );
    expect(page.html).to.include('&lt;b&gt;office&lt;/b&gt; laptop').and.not.include('<b>office</b>');
    expect(await auditTypes()).to.include('passkey.renamed');
  });

  it('removes one while another is left, audited', async () => {
    const answer = await browser.post(`${harness.issuer}/account/passkeys/remove`, {
      csrf: csrf(),
      id: 'passkey-two-AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(answer.url).to.include('/account?done=passkey-removed');
    expect(await passkeys.listFor(sub)).to.have.length(1);
    expect(await auditTypes()).to.include('passkey.removed');
  });

  it('the last one, from a session signed in with a passkey, asks for an SMS code first', async () => {
    // A session of the page as a passkey sign-in leaves it (amr without sms).
    const sessions = createFirstPartySessionStore(harness.app.store, 'darvaze-account', Date.now, {
      idleSeconds: 600,
      absoluteSeconds: 3600,
      pendingSeconds: 600,
    });
    const { id, session } = await sessions.create({
      sub,
      authTime: Math.floor(Date.now() / 1000),
      amr: ['hwk', 'user'],
    });
    const response = await fetch(`${harness.issuer}/account/passkeys/remove`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `darvaze.account=${id}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf: session.csrf,
        id: 'passkey-one-AAAAAAAAAAAAAAAAAAAAAAAA',
      }).toString(),
    });
    expect(response.status).to.equal(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).to.equal('/auth');
    expect(location.searchParams.get('prompt')).to.equal('login');
    expect(location.searchParams.get('max_age')).to.equal('300');
    expect(await passkeys.listFor(sub)).to.have.length(1);
  });

  it('the last one, from this SMS sign-in, goes', async () => {
    const answer = await browser.post(`${harness.issuer}/account/passkeys/remove`, {
      csrf: csrf(),
      id: 'passkey-one-AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(answer.url).to.include('/account?done=passkey-removed');
    expect(await passkeys.listFor(sub)).to.deep.equal([]);
    expect(answer.html).to.include('کلید عبوری ندارید');
  });

  it('"check again with the registry" asks again under the daily limit, and says when it is reached', async () => {
    page = await browser.get(`${harness.issuer}/account`);
    const before = (await harness.app.store.readLog('audit:security', 50)).length;
    page = await browser.submitTo(page, '/account/recheck');
    expect(page.url).to.include('/account?done=rechecked');
    expect(page.html).to.include('notice--success').and.include('استعلام دوباره انجام شد');
    const entries = await harness.app.store.readLog('audit:security', 50);
    expect(entries.length).to.be.greaterThan(before);
    expect(entries.find((entry) => entry.fields.type === 'identity.verified')?.fields).to.include({
      sub,
      via: 'account',
    });
    page = await browser.submitTo(page, '/account/recheck');
    expect(page.url).to.include('/account?done=recheck-identity-checks');
    expect(page.html).to.include('notice--error').and.include('سقف استعلام هویت');
  });

  it('the activity list shows the person’s own events with the network in coarse form', async () => {
    page = await browser.get(`${harness.issuer}/account`);
    const activity = page.html.slice(page.html.indexOf('id="activity"'), page.html.indexOf('id="mine"'));
    expect(activity).to.include('حذف کلید عبور').and.include('تغییر نام کلید عبور');
    expect(activity).to.include('198.51.100.0/24');
    expect(activity).to.not.include('198.51.100.31');
  });
});
