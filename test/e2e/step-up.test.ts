/**
 * Step-up (issue 12): a signed-in person asked to confirm again (prompt=login, max_age) is told
 * which site asks and why, sees their number masked when the site names it, and needs no
 * captcha for the account's own number — only with a signed-in session for that account, never
 * on a login_hint or a form field alone. The fresh SMS code is still required. JavaScript off.
 */
import { expect } from 'chai';
import { localizeDigits, translate } from '../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { Mobile } from '../../src/validation/mobile.js';
import { type Page, pageKind, parseForms, type TestBrowser } from '../helpers/browser.js';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

const [first, second, third] = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const fa = (key: string, params?: Record<string, string | number>) => translate('fa', key, params);
/** As the Persian page prints it: `…۴۵۶۷`. */
const masked = (mobile: string) => localizeDigits('fa', Mobile.parse(mobile)!.masked);

describe('step-up: confirming again while signed in (JavaScript off, captcha on)', function () {
  this.timeout(60_000);
  let harness: Harness;
  const captcha = captchaAnswers();
  let address = 20;

  before(async () => {
    harness = await startHarness(captcha.harness({ SMS_COOLDOWN_SECONDS: '1' }));
  });
  after(async () => harness?.close());

  const wait = () => new Promise((resolve) => setTimeout(resolve, 1100));

  /** A whole first sign-in with the captcha solved: the browser then has a session. */
  async function signedIn(citizen: typeof first): Promise<TestBrowser> {
    const browser = browserFor(harness, `198.51.100.${address++}`);
    let page = await browser.get((await authorizationRequest(harness.clients.sales!)).url.toString());
    page = await browser.submit(page, { mobile: citizen!.mobile, captcha: captcha.last });
    page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen!.mobile)! });
    if (pageKind(page) === 'identity')
      page = await browser.submit(page, {
        national_code: citizen!.nationalCode,
        birth_date: citizen!.person.birthDate,
      });
    if (pageKind(page) === 'consent')
      page = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
    expect(new URL(page.url).origin).to.equal(harness.callbackBase);
    await wait();
    return browser;
  }

  const stepUp = async (browser: TestBrowser, params: Record<string, string> = {}) =>
    browser.get(
      (await authorizationRequest(harness.clients.sales!, { prompt: 'login', ...params })).url.toString(),
    );
  const hasCaptcha = (page: Page) => page.html.includes('name="captcha"');

  it('with the session and the account’s number as login_hint: why, the number masked, no captcha, a fresh code', async () => {
    const browser = await signedIn(first);
    const page = await stepUp(browser, { login_hint: first!.mobile });
    expect(page.status).to.equal(200);
    expect(page.html).to.include(fa('page.stepUp.title'));
    expect(page.html).to.include(fa('stepUp.reason', { client: 'فروش اینترنتی' }));
    expect(page.html).to.include(masked(first!.mobile)).and.not.include(first!.mobile);
    expect(hasCaptcha(page)).to.equal(false);
    expect(page.html).to.include('/abort"').and.include('?other=1"');
    const sent = harness.sms.messages.length;
    const code = await browser.submit(page, { known: '1' });
    expect(pageKind(code)).to.equal('code');
    expect(harness.sms.messages.length).to.equal(sent + 1);
    const back = await browser.submit(code, { code: harness.sms.lastCodeFor(first!.mobile)! });
    expect(new URL(back.url).origin).to.equal(harness.callbackBase);
    expect(new URL(back.url).searchParams.get('code')).to.be.a('string');
  });

  it('shows the site’s own reason (the claims’ purpose) with max_age=0', async () => {
    const browser = await signedIn(second);
    const purpose = 'امضای قرارداد خرید خودرو';
    const claims = JSON.stringify({ id_token: { birthdate: { essential: true, purpose } } });
    const page = await stepUp(browser, { max_age: '0', prompt: 'login', claims });
    expect(page.html).to.include(fa('stepUp.purpose')).and.include(purpose);
  });

  it('with the session but no login_hint: the own number typed needs no captcha; another number does', async () => {
    const browser = await signedIn(third);
    let page = await stepUp(browser);
    expect(hasCaptcha(page)).to.equal(false);
    const sent = harness.sms.messages.length;
    // Another number: refused until the captcha is solved, and nothing is sent.
    page = await browser.submit(page, { mobile: '09127775551' });
    expect(page.status).to.equal(400);
    expect(page.html).to.include(fa('captcha.required'));
    expect(hasCaptcha(page)).to.equal(true);
    expect(harness.sms.messages.length).to.equal(sent);
    // The account's own number, no captcha: the code is sent.
    page = await browser.submit(page, { mobile: third!.mobile, captcha: '' });
    expect(pageKind(page)).to.equal('code');
    expect(harness.sms.messages.length).to.equal(sent + 1);
  });

  it('a login_hint alone (no session) skips nothing: the captcha is asked and "known=1" sends nothing', async () => {
    const browser = browserFor(harness, `198.51.100.${address++}`);
    let page = await stepUp(browser, { login_hint: first!.mobile });
    expect(page.html).not.to.include(fa('page.stepUp.title'));
    expect(hasCaptcha(page)).to.equal(true);
    const sent = harness.sms.messages.length;
    page = await browser.submit(page, { known: '1', mobile: '', captcha: '' });
    expect(page.status).to.equal(400);
    page = await browser.submit(page, { mobile: first!.mobile, captcha: '' });
    expect(page.status).to.equal(400);
    expect(page.html).to.include(fa('captcha.required'));
    expect(harness.sms.messages.length).to.equal(sent);
  });

  it('a session for one account and a login_hint naming another number: the captcha is asked', async () => {
    const browser = await signedIn(first);
    const page = await stepUp(browser, { login_hint: second!.mobile });
    expect(page.html).not.to.include(masked(second!.mobile));
    const sent = harness.sms.messages.length;
    const refused = await browser.submit(page, { mobile: second!.mobile });
    expect(refused.status).to.equal(400);
    expect(hasCaptcha(refused)).to.equal(true);
    // And "known=1" sends the code to the session's own number only, never the hinted one.
    const own = await browser.submit(refused, { known: '1', mobile: '' });
    expect(pageKind(own)).to.equal('code');
    expect(harness.sms.messages.length).to.equal(sent + 1);
    expect(harness.sms.messages.at(-1)?.receptor).to.equal(first!.mobile);
    expect(parseForms(own.html).length).to.be.greaterThan(0);
  });
});
