import { expect } from 'chai';
import { DEMO_CITIZENS, type DemoCitizen } from '../../src/identity/demo-citizens.js';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import {
  type LaunchedChromium,
  launchChromium,
  screenshot,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import { chromiumJourney } from '../helpers/chromium-journey.js';
import { defaultClients, type Harness, startHarness } from '../helpers/harness.js';

const byCase = (kind: DemoCitizen['case']) => DEMO_CITIZENS.find((citizen) => citizen.case === kind)!;
const ordinary = DEMO_CITIZENS.filter((candidate) => candidate.case === 'ordinary');
const BOTH = [1280];
const PURPOSE = 'ثبت نام و تاریخ تولد شما در قرارداد خرید خودرو';
/** The request's own purpose (OIDC4IDA's purpose parameter), shown on the consent page. */
const REQUEST_PURPOSE = 'ثبت‌نام شما برای خرید خودرو';

/**
 * The provider's own pages in a real browser, with the captcha on: every state a person can meet
 * — each step, its errors, every refusal, the outage, the limits, the lockout, a step-up, the
 * error pages and sign-out — in Persian and English. Each state is photographed at 360 px
 * (phones) and 1280 px under test-artifacts/screenshots/journey-<locale>-*, and each asserts what
 * the person can do next: a visible link or button that leads somewhere.
 */
describe('browser: every state of the sign-in journey, fa and en (headless Chromium)', function () {
  this.timeout(240_000);
  let harness: Harness;
  const captcha = captchaAnswers();

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness({
      env: { CAPTCHA: 'image', IDENTITY_CHECKS_PER_DAY: '2', SMS_COOLDOWN_SECONDS: '1' },
      // The sales site with its home address: the error page leads back there.
      clients: (base) =>
        defaultClients(base).map((client) =>
          client.client_id === 'sales' ? { ...client, client_uri: `${base}/sales` } : client,
        ),
      overrides: {
        captchaChallenge: captcha.challenge,
      },
    });
  });
  after(async () => harness?.close());

  for (const [index, locale] of (['fa', 'en'] as const).entries()) {
    it(`${locale}: every state, with a way on from each`, async () => {
      const chromium: LaunchedChromium = await launchChromium();
      const { page } = chromium;
      const person = ordinary[index]!;
      const fresh = `0912777${locale === 'fa' ? '3' : '4'}`;
      try {
        const press = (selector: string) =>
          Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
        const submit = (action: string) => press(`form[action$="${action}"] button[type="submit"]`);
        /** Fits a phone, photographed at both widths, and offers each of these ways on. */
        const state = async (name: string, ways: string[]) => {
          expect(await page.getAttribute('html', 'lang'), name).to.equal(locale);
          expect(await page.getAttribute('html', 'dir'), name).to.equal(locale === 'fa' ? 'rtl' : 'ltr');
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(width, `${name}: no sideways scrolling at 360 px`).to.be.at.most(360);
          for (const way of ways) {
            const target = page.locator(`main ${way}`).first();
            expect(await target.isVisible(), `${name}: ${way}`).to.equal(true);
            expect(await target.isDisabled().catch(() => false), `${name}: ${way} enabled`).to.equal(false);
          }
          await screenshot(page, `journey-${locale}-${name}`, BOTH);
        };
        const { start, toCode, toIdentity, identity } = chromiumJourney(page, harness, {
          locale,
          submit,
          captcha: () => captcha.last,
        });
        const anotherNumber = 'form[action$="/change-mobile"] button';
        const cancel = 'a[href$="/abort"]';

        // A: mobile and captcha; a wrong captcha.
        await start({ purpose: REQUEST_PURPOSE });
        await state('01-mobile', ['form[action$="/mobile"] button', cancel, '.captcha__refresh']);
        await page.locator('input[name="mobile"]').fill(person.mobile);
        await page.locator('input[name="captcha"]').fill('00000');
        await submit('/mobile');
        expect(await page.locator('[aria-invalid="true"]').count()).to.equal(1);
        await state('02-mobile-wrong-captcha', ['form[action$="/mobile"] button', cancel]);

        // B: code; a wrong code.
        await toCode(person.mobile);
        expect(await page.locator('input[name="code"]').getAttribute('autocomplete')).to.equal(
          'one-time-code',
        );
        await state('03-code', ['form[action$="/code"] button', anotherNumber, cancel]);
        await page.locator('input[name="code"]').fill('000000');
        await submit('/code');
        await state('04-code-wrong', ['form[action$="/code"] button', cancel]);

        // C: identity; a malformed date; then the consent.
        await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(person.mobile)!);
        await submit('/code');
        expect(await page.locator('input[name="birth_date"]').getAttribute('inputmode')).to.equal('numeric');
        await state('05-identity', ['form[action$="/identity"] button', anotherNumber, cancel]);
        await identity(person.nationalCode, '1365/13/02');
        await state('06-identity-invalid-date', ['form[action$="/identity"] button', anotherNumber, cancel]);
        await identity(person.nationalCode, person.person.birthDate.replace(/\//g, ''));
        expect(await page.locator('main .purpose-general').textContent()).to.equal(REQUEST_PURPOSE);
        await state('07-consent', ['button[value="grant"]', 'button[value="deny"]']);
        const [callback] = await Promise.all([
          page.waitForRequest((candidate) => candidate.url().startsWith(harness.callbackBase)),
          page.locator('button[value="grant"]').click(),
        ]);
        expect(new URL(callback.url()).searchParams.get('code')).to.be.a('string');
        // Nothing listens at the callback: wait for the browser's error page before going on.
        await page.waitForURL(/^chrome-error:/).catch(() => undefined);

        // A step-up of the signed-in person: why, the number masked, no captcha.
        const claims = JSON.stringify({ id_token: { birthdate: { essential: true, purpose: PURPOSE } } });
        await start({ prompt: 'login', max_age: '0', login_hint: person.mobile, claims });
        expect(await page.locator('input[name="captcha"]').count()).to.equal(0);
        expect(await page.locator('main').textContent()).to.include(PURPOSE);
        await state('08-step-up', ['form[action$="/mobile"] button', 'a[href$="?other=1"]', cancel]);

        // The sign-out question, while signed in.
        await page.goto(`${harness.issuer}/session/end?client_id=sales&lang=${locale}`);
        await state('16-logout', ['button[value="yes"]', 'button:not([value])']);

        // Refusals, each with what to do and the ways on.
        await page.context().clearCookies();
        const notOwner = byCase('mobile-not-owned');
        await start();
        await toIdentity(notOwner.mobile);
        await identity(notOwner.nationalCode, notOwner.person.birthDate);
        expect(await page.locator('[role="alert"]').textContent()).to.match(
          locale === 'fa' ? /به نام شما/ : /not registered in your name/,
        );
        await state('09-refused-not-owner', ['form[action$="/identity"] button', anotherNumber, cancel]);

        const deceased = byCase('deceased');
        await page.context().clearCookies();
        await start();
        await toIdentity(deceased.mobile);
        await identity(deceased.nationalCode, deceased.person.birthDate);
        expect(await page.locator('input[name="national_code"]').count()).to.equal(0);
        await state('10-refused-deceased', [anotherNumber, cancel]);

        const failing = byCase('upstream-failure');
        await page.context().clearCookies();
        await start();
        await toIdentity(failing.mobile);
        await identity(failing.nationalCode, failing.person.birthDate);
        await state('11-identity-unavailable', ['form[action$="/identity"] button', anotherNumber, cancel]);

        // The identity-check limit (two a day in this test) for a number nobody owns.
        await page.context().clearCookies();
        await start();
        await toIdentity(`${fresh}001`);
        for (let i = 0; i < 3 && (await page.locator('input[name="national_code"]').count()) > 0; i++)
          await identity(ordinary[3]!.nationalCode, '1300/01/01');
        expect(await page.locator('input[name="national_code"]').count()).to.equal(0);
        await state('12-identity-check-limit', [anotherNumber, cancel]);

        // Five wrong codes: locked, and only that.
        await page.context().clearCookies();
        await start();
        await toCode(`${fresh}002`);
        for (let i = 0; i < 5; i++) {
          await page.locator('input[name="code"]').fill('000000');
          await submit('/code');
        }
        expect(
          await page.locator('input[name="code"], [data-countdown], form[action$="/resend"]').count(),
        ).to.equal(0);
        await state('13-code-locked', [anotherNumber, cancel]);
        // "Sign in with another number" leads to the mobile page.
        await press(`main ${anotherNumber}`);
        expect(await page.locator('input[name="mobile"]').count()).to.equal(1);

        // Error pages: an expired sign-in, whose site is no longer known (what to do, in words:
        // no link), and a bad request from a known site (back to it).
        await page.goto(`${harness.issuer}/interaction/expired-or-unknown?lang=${locale}`);
        expect(await page.locator('main').textContent()).to.match(
          locale === 'fa' ? /دکمه بازگشت مرورگر/ : /back button/,
        );
        await state('14-error-expired', ['.reference code']);
        await page.goto(
          `${harness.issuer}/auth?client_id=sales&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2F&lang=${locale}`,
        );
        await state('15-error-back-to-site', [`a[href="${harness.callbackBase}/sales"]`]);

        // The page after the sign-out question, when the site is known: back to it.
        await page.goto(`${harness.issuer}/session/end/success?client_id=sales&lang=${locale}`);
        await state('17-logged-out', [`a[href="${harness.callbackBase}/sales"]`]);

        expect(chromium.problems.filter((problem) => !problem.includes(harness.callbackBase))).to.deep.equal(
          [],
        );
      } finally {
        await chromium.close();
      }
    });
  }
});
