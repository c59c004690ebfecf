import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { generateDigitChallenge } from '../../src/captcha/captcha.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import {
  type LaunchedChromium,
  launchChromium,
  screenshot,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import { authorizationRequest, type Harness, startHarness } from '../helpers/harness.js';

const citizen = DEMO_CITIZENS.find(
  (candidate) => candidate.case === 'ordinary' && candidate.mobile.startsWith('0935'),
)!;
const notOwner = DEMO_CITIZENS.find((candidate) => candidate.case === 'mobile-not-owned')!;
const BOTH = [1280];

/**
 * The provider's own pages in a real browser, in Persian, with the captcha on: every step, the
 * error states a person meets, and the friendly error page — a screenshot of each at 360 px
 * (phones) and 1280 px under test-artifacts/screenshots/journey-*.
 */
describe('browser: the sign-in journey in Persian (headless Chromium)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let chromium: LaunchedChromium;
  let page: Page;
  let captchaAnswer = '';

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness({
      env: { CAPTCHA: 'image' },
      overrides: {
        captchaChallenge: () => {
          const challenge = generateDigitChallenge();
          captchaAnswer = challenge.text;
          return challenge;
        },
      },
    });
    chromium = await launchChromium();
    page = chromium.page;
  });
  after(async () => {
    await chromium?.close();
    await harness?.close();
  });

  const press = async (name: string | RegExp) => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).first().click()]);
  };
  /** Nothing wider than the phone's screen: no sideways scrolling at 360 px. */
  const fitsThePhone = async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).to.be.at.most(360);
  };

  it('walks mobile > code > identity > consent, with the errors a person meets on the way', async () => {
    const request = await authorizationRequest(harness.clients.sales!);
    await page.goto(request.url.toString());
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    expect(await page.locator('svg').count()).to.be.greaterThan(0);
    await fitsThePhone();
    await screenshot(page, 'journey-01-mobile', BOTH);

    await page.getByLabel(/شماره تلفن همراه/).fill('۰۹۳۵۲۳۴۵۶۷۸');
    await page.locator('input[name="captcha"]').fill('00000');
    await press(/ادامه/);
    expect(await page.locator('[aria-invalid="true"]').count()).to.equal(1);
    await screenshot(page, 'journey-02-mobile-wrong-captcha', BOTH);

    await page.locator('input[name="captcha"]').fill(captchaAnswer);
    await press(/ادامه/);
    expect(await page.locator('input[name="code"]').count()).to.equal(1);
    expect(await page.locator('input[name="code"]').getAttribute('autocomplete')).to.equal('one-time-code');
    await fitsThePhone();
    await screenshot(page, 'journey-03-code', BOTH);

    await page.locator('input[name="code"]').fill('000000');
    await press(/تأیید|ادامه/);
    await screenshot(page, 'journey-04-code-wrong', BOTH);

    await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(citizen.mobile)!);
    await press(/تأیید|ادامه/);
    expect(await page.locator('input[name="national_code"]').count()).to.equal(1);
    await fitsThePhone();
    await screenshot(page, 'journey-05-identity', BOTH);

    await page.locator('input[name="national_code"]').fill(citizen.nationalCode);
    await page.locator('input[name="birth_date"]').fill('1365/13/02');
    await press(/تأیید|ادامه/);
    await screenshot(page, 'journey-06-identity-invalid-date', BOTH);

    await page.locator('input[name="birth_date"]').fill(citizen.person.birthDate);
    await press(/تأیید|ادامه/);
    expect(await page.locator('button[name="decision"]').count()).to.equal(2);
    await fitsThePhone();
    await screenshot(page, 'journey-07-consent', BOTH);

    const [callback] = await Promise.all([
      page.waitForRequest((candidate) => candidate.url().startsWith(harness.callbackBase)),
      page.getByRole('button', { name: /اعطای مجوز/ }).click(),
    ]);
    expect(new URL(callback.url()).searchParams.get('code')).to.be.a('string');
    // Only the relying party's callback may fail here: no site listens at it in this test.
    expect(chromium.problems.filter((problem) => !problem.includes(harness.callbackBase))).to.deep.equal([]);
  });

  it('one clean sign-in of a new person, as a person on a phone would do it', async () => {
    const person = DEMO_CITIZENS.filter((candidate) => candidate.case === 'ordinary')[2]!;
    const fresh = await launchChromium();
    try {
      const p = fresh.page;
      await p.goto((await authorizationRequest(harness.clients.sales!)).url.toString());
      await p.locator('input[name="mobile"]').fill(person.mobile);
      await p.locator('input[name="captcha"]').fill(captchaAnswer);
      await Promise.all([
        p.waitForNavigation(),
        p.locator('form[action$="/mobile"] button[type="submit"]').click(),
      ]);
      await p.locator('input[name="code"]').fill(harness.sms.lastCodeFor(person.mobile)!);
      await Promise.all([
        p.waitForNavigation(),
        p.locator('form[action$="/code"] button[type="submit"]').click(),
      ]);
      await p.locator('input[name="national_code"]').fill(person.nationalCode);
      await p.locator('input[name="birth_date"]').fill(person.person.birthDate);
      await Promise.all([
        p.waitForNavigation(),
        p.locator('form[action$="/identity"] button[type="submit"]').click(),
      ]);
      const [callback] = await Promise.all([
        p.waitForRequest((candidate) => candidate.url().startsWith(harness.callbackBase)),
        p.locator('button[name="decision"][value="grant"]').click(),
      ]);
      // The site gets a code and no error: the whole journey worked in a real browser. (How long
      // it takes is measured by `npm run bench`, not here.)
      const answer = new URL(callback.url()).searchParams;
      expect(answer.get('error')).to.equal(null);
      expect(answer.get('code')).to.be.a('string');
      expect(fresh.problems.filter((problem) => !problem.includes(harness.callbackBase))).to.deep.equal([]);
    } finally {
      await fresh.close();
    }
  });

  it('shows the refusal for a mobile registered to someone else, and the English pages', async () => {
    const other = await launchChromium();
    try {
      const request = await authorizationRequest(harness.clients.sales!);
      await other.page.goto(request.url.toString());
      await other.page.locator('input[name="mobile"]').fill(notOwner.mobile);
      await other.page.locator('input[name="captcha"]').fill(captchaAnswer);
      await Promise.all([
        other.page.waitForNavigation(),
        other.page.locator('form button[type="submit"]').first().click(),
      ]);
      await other.page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(notOwner.mobile)!);
      await Promise.all([
        other.page.waitForNavigation(),
        other.page.locator('form button[type="submit"]').nth(1).click(),
      ]);
      await other.page.locator('input[name="national_code"]').fill(notOwner.nationalCode);
      await other.page.locator('input[name="birth_date"]').fill(notOwner.person.birthDate);
      await Promise.all([
        other.page.waitForNavigation(),
        other.page.locator('form button[type="submit"]').first().click(),
      ]);
      expect(await other.page.locator('[role="alert"]').textContent()).to.match(/به نام شما/);
      await screenshot(other.page, 'journey-08-identity-not-owner', BOTH);

      await other.page.goto(
        `${(await authorizationRequest(harness.clients.sales!, { ui_locales: 'en' })).url}`,
      );
      expect(await other.page.getAttribute('html', 'dir')).to.equal('ltr');
      await screenshot(other.page, 'journey-09-mobile-english', BOTH);

      await other.page.goto(`${harness.issuer}/interaction/expired-or-unknown`);
      await screenshot(other.page, 'journey-10-expired', BOTH);
      expect(other.problems).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });
});
