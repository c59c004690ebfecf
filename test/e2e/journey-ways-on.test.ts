/**
 * No dead ends (issue 12): every refusal, outage, limit and lockout page offers a way on (sign in
 * with another number, try again) and a way out (back to the site with access_denied), with
 * JavaScript off.
 */
import { expect } from 'chai';
import { translate } from '../../src/i18n/index.js';
import { DEMO_CITIZENS, type DemoCitizen } from '../../src/identity/demo-citizens.js';
import { CANCELLED_DESCRIPTION } from '../../src/interaction/consent-step.js';
import { type Page, pageKind, parseForms, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

const byCase = (kind: DemoCitizen['case']) => DEMO_CITIZENS.find((citizen) => citizen.case === kind)!;
const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const fa = (key: string, params?: Record<string, string | number>) => translate('fa', key, params);

/** The page's "cancel and return to the site" link, followed: the site hears access_denied. */
async function cancelFrom(harness: Harness, browser: TestBrowser, page: Page): Promise<URLSearchParams> {
  const href = /href="([^"]*\/abort)"/.exec(page.html)?.[1];
  expect(href, 'a way back to the site').to.be.a('string');
  const back = await browser.get(new URL(href!, page.url).toString());
  expect(new URL(back.url).origin).to.equal(harness.callbackBase);
  return new URL(back.url).searchParams;
}

const hasAnotherNumber = (page: Page) =>
  parseForms(page.html).some((form) => form.action.endsWith('/change-mobile'));

describe('ways on and out of every state of the journey (JavaScript off)', function () {
  this.timeout(60_000);
  let harness: Harness;
  let address = 10;
  before(async () => {
    // A one-second resend cooldown: a new number in the same sign-in waits out the cooldown.
    harness = await startHarness({ env: { IDENTITY_CHECKS_PER_DAY: '2', SMS_COOLDOWN_SECONDS: '1' } });
  });
  after(async () => harness?.close());

  async function reachIdentity(citizen: DemoCitizen) {
    const browser = browserFor(harness, `203.0.113.${address++}`);
    const request = await authorizationRequest(harness.clients.sales!);
    let page = await browser.get(request.url.toString());
    page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
    expect(pageKind(page)).to.equal('identity');
    return { browser, page, request };
  }

  it('the identity page itself offers another number and the way back', async () => {
    const { browser, page } = await reachIdentity(ordinary[0]!);
    expect(hasAnotherNumber(page)).to.equal(true);
    const answer = await cancelFrom(harness, browser, page);
    expect(answer.get('error')).to.equal('access_denied');
    expect(answer.get('error_description')).to.equal(CANCELLED_DESCRIPTION);
  });

  it('"not registered in your name": what to do, the form kept, another number (empty field), the way back', async () => {
    const citizen = byCase('mobile-not-owned');
    const { browser, page } = await reachIdentity(citizen);
    const refused = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.include(fa('identity.mobile_not_owned'));
    expect(refused.html).to.include(fa('refusal.askOperator')).and.include(fa('refusal.useOwnNumber'));
    expect(pageKind(refused)).to.equal('identity');
    expect(hasAnotherNumber(refused)).to.equal(true);
    const mobilePage = await browser.submitTo(refused, '/change-mobile');
    expect(pageKind(mobilePage)).to.equal('mobile');
    expect(parseForms(mobilePage.html).find((f) => 'mobile' in f.fields)?.fields.mobile).to.equal('');
    // The new number gets its own code and the journey goes on.
    const other = ordinary[1]!;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const code = await browser.submit(mobilePage, { mobile: other.mobile, captcha: '' });
    expect(pageKind(code)).to.equal('code');
    const answer = await cancelFrom(harness, browser, code);
    expect(answer.get('error')).to.equal('access_denied');
  });

  it('"deceased": no form to fill again, what to do at the civil registry, and both ways', async () => {
    const citizen = byCase('deceased');
    const { browser, page } = await reachIdentity(citizen);
    const refused = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.include(fa('identity.deceased')).and.include(fa('refusal.deceasedRegistry'));
    expect(refused.html).not.to.include('name="national_code"');
    expect(hasAnotherNumber(refused)).to.equal(true);
    expect((await cancelFrom(harness, browser, refused)).get('error')).to.equal('access_denied');
  });

  it('the identity service down: "try again" with what was typed, and both ways', async () => {
    const citizen = byCase('upstream-failure');
    const { browser, page } = await reachIdentity(citizen);
    const failed = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(failed.status).to.equal(503);
    expect(failed.html).to.include(fa('identity.unavailable')).and.include(fa('identity.submitAgain'));
    expect(failed.html).to.include(`value="${citizen.nationalCode}"`);
    expect(hasAnotherNumber(failed)).to.equal(true);
    expect((await cancelFrom(harness, browser, failed)).get('error')).to.equal('access_denied');
  });

  it('the identity-check limit: when to come back, no form, and both ways', async () => {
    const citizen = ordinary[2]!;
    const { browser, page } = await reachIdentity(citizen);
    let answer = page;
    for (let i = 0; i < 3; i++) {
      answer = await browser.submit(answer, {
        national_code: citizen.nationalCode,
        birth_date: '1300/01/01',
      });
    }
    expect(answer.status).to.equal(429);
    expect(answer.html).to.include(fa('refusal.limitLater'));
    expect(answer.html).not.to.include('name="national_code"');
    expect(hasAnotherNumber(answer)).to.equal(true);
    expect((await cancelFrom(harness, browser, answer)).get('error')).to.equal('access_denied');
  });

  it('"change mobile number" on the code page keeps the number in the field', async () => {
    const browser = browserFor(harness, `203.0.113.${address++}`);
    const request = await authorizationRequest(harness.clients.sales!);
    let page = await browser.get(request.url.toString());
    page = await browser.submit(page, { mobile: '۰۹۱۲ ۷۷۷ ۶۶۶۱', captcha: '' });
    expect(pageKind(page)).to.equal('code');
    expect(page.html).to.include('/abort"');
    page = await browser.submitTo(page, '/change-mobile');
    expect(pageKind(page)).to.equal('mobile');
    expect(parseForms(page.html).find((f) => 'mobile' in f.fields)?.fields.mobile).to.equal('09127776661');
  });

  it('locked after five wrong codes: only when to come back and the ways on, also after a reload', async () => {
    const browser = browserFor(harness, `203.0.113.${address++}`);
    const request = await authorizationRequest(harness.clients.sales!);
    let page = await browser.get(request.url.toString());
    page = await browser.submit(page, { mobile: '09127776662', captcha: '' });
    for (let i = 0; i < 5; i++) page = await browser.submit(page, { code: '000000' });
    expect(page.status).to.equal(429);
    for (const shown of [page, await browser.get(page.url.replace(/\/code$/, ''))]) {
      expect(shown.html).to.include(fa('page.locked.title'));
      expect(shown.html).to.include(fa('code.lockedExplain', { minutes: 15 }));
      expect(shown.html).not.to.include('name="code"');
      expect(shown.html).not.to.include('/resend"');
      expect(shown.html).not.to.include('data-countdown');
      expect(hasAnotherNumber(shown)).to.equal(true);
    }
    const mobilePage = await browser.submitTo(page, '/change-mobile');
    expect(pageKind(mobilePage)).to.equal('mobile');
    expect((await cancelFrom(harness, browser, mobilePage)).get('error')).to.equal('access_denied');
  });
});
