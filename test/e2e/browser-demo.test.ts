import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import {
  type LaunchedChromium,
  launchChromium,
  screenshot,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import { grantConsent } from '../helpers/chromium-journey.js';
import { nextSecondAfter } from '../helpers/demo-journey.js';
import { type DemoStack, startDemoStack } from '../helpers/demo-stack.js';

const citizen = DEMO_CITIZENS.find((candidate) => candidate.case === 'ordinary')!;
const WIDE = [1280];

/**
 * The whole demo in a real browser (headless Chromium): register at the sales site through the
 * provider, complete the personal information, confirm with a fresh SMS code, enter the service
 * site with consent only, sign out there and find both sites signed out. Screenshots of every
 * page go to test-artifacts/screenshots/ (360 px, some also at 1280 px).
 */
describe('browser: the demo sites with the provider (headless Chromium)', function () {
  this.timeout(120_000);
  let stack: DemoStack;
  let chromium: LaunchedChromium;
  let page: Page;

  before(async function () {
    skipWithoutChromium(this);
    stack = await startDemoStack();
    chromium = await launchChromium();
    page = chromium.page;
  });

  after(async () => {
    await chromium?.close();
    await stack?.close();
  });

  /** Presses the form's primary submit button and waits for the next page. */
  const press = async (name: string | RegExp) => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
  };

  const typeSmsCode = async () => {
    const code = stack.harness.sms.lastCodeFor(citizen.mobile);
    expect(code, 'an SMS code was sent').to.be.a('string');
    await page.locator('input[name="code"]').fill(code!);
  };

  const salesUser = () =>
    stack.sites.sales.rp.sessions
      .signedIn()
      .find((s) => s.user?.claims.national_code === citizen.nationalCode)?.user;

  it('registers at the sales site, confirms with a fresh code, enters the service site with consent only, and signs out of both', async () => {
    // Sales site: home.
    await page.goto(`${stack.salesUrl}/`);
    await screenshot(page, '01-sales-home', WIDE);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: 'ورود / ثبت‌نام کاربر' }).click(),
    ]);

    // Provider, step A: mobile (+ captcha, off in tests).
    expect(new URL(page.url()).origin).to.equal(stack.harness.issuer);
    await page.locator('input[name="mobile"]').waitFor();
    await screenshot(page, '02-provider-mobile', WIDE);
    await page.locator('input[name="mobile"]').fill(citizen.mobile);
    await Promise.all([page.waitForNavigation(), page.locator('form.form button[type="submit"]').click()]);

    // Step B: SMS code.
    await page.locator('input[name="code"]').waitFor();
    await screenshot(page, '03-provider-code');
    await typeSmsCode();
    await Promise.all([page.waitForNavigation(), page.locator('form.form button[type="submit"]').click()]);

    // Step C: identity.
    await page.locator('input[name="national_code"]').waitFor();
    await screenshot(page, '04-provider-identity');
    await page.locator('input[name="national_code"]').fill(citizen.nationalCode);
    await page.locator('input[name="birth_date"]').fill(citizen.person.birthDate);
    await Promise.all([page.waitForNavigation(), page.locator('form.form button[type="submit"]').click()]);

    // Step D: consent for the sales site.
    await page.locator('button[name="decision"][value="grant"]').waitFor();
    await screenshot(page, '05-provider-consent-sales', WIDE);
    await grantConsent(page);

    // Sales site: personal information, verified data read-only and pre-filled.
    expect(page.url()).to.equal(`${stack.salesUrl}/profile`);
    expect(await page.getByLabel('نام پدر', { exact: true }).inputValue()).to.equal(
      citizen.person.fatherName,
    );
    expect(await page.getByLabel('کد ملی').getAttribute('readonly')).to.not.equal(null);
    await screenshot(page, '06-sales-profile', WIDE);

    // Server-side validation: a future issue date and a short address.
    await page.getByLabel('تاریخ صدور شناسنامه').fill('1499/01/01');
    await page.getByLabel('نشانی محل سکونت').fill('تهران');
    await press('ذخیره و ادامه');
    expect(await page.locator('.error-summary').textContent()).to.include(
      'تاریخ صدور نمی‌تواند در آینده باشد.',
    );
    expect(await page.getByLabel('تاریخ صدور شناسنامه').getAttribute('aria-invalid')).to.equal('true');
    await screenshot(page, '07-sales-profile-errors', WIDE);

    await page.getByLabel('تاریخ صدور شناسنامه').fill('۱۳۸۸/۰۳/۲۰');
    await page.getByLabel('نشانی محل سکونت').fill('تهران، خیابان آزادی، کوچهٔ نهم، پلاک ۱۲');
    await page.getByLabel('میزان تحصیلات').selectOption('bachelor');
    await press('ذخیره و ادامه');
    expect(page.url()).to.equal(`${stack.salesUrl}/profile/review`);
    await screenshot(page, '08-sales-review', WIDE);

    // Confirm registration: the provider asks for mobile and a new code (prompt=login, max_age=0).
    const loginAuthTime = salesUser()!.authTime!;
    await nextSecondAfter(loginAuthTime);
    const codesBefore = stack.harness.sms.messages.length;
    await press('تأیید و ثبت نهایی');
    expect(new URL(page.url()).origin).to.equal(stack.harness.issuer);
    // A step-up: why, the login_hint's number masked, one button, no captcha.
    expect(await page.locator('main').textContent()).to.include('تأیید دوباره هویت');
    expect(await page.locator('input[name="captcha"]').count()).to.equal(0);
    await screenshot(page, '09-provider-mobile-confirmation');
    await Promise.all([page.waitForNavigation(), page.locator('form.form button[type="submit"]').click()]);
    await page.locator('input[name="code"]').waitFor();
    expect(stack.harness.sms.messages.length).to.equal(codesBefore + 1);
    await typeSmsCode();
    await Promise.all([page.waitForNavigation(), page.locator('form.form button[type="submit"]').click()]);
    // The confirmation asks for registry-verified name and birth date with a purpose: consented
    // to once, on a page that shows the purpose.
    expect(await page.locator('main').textContent()).to.include(
      'ثبت نام و تاریخ تولد شما در قرارداد خرید خودرو',
    );
    await screenshot(page, '09b-provider-consent-verified');
    await grantConsent(page);

    expect(page.url()).to.equal(`${stack.salesUrl}/registered`);
    expect(await page.locator('main').textContent()).to.include('تأیید ثبت احوال');
    expect(await page.locator('main').textContent()).to.include(
      'ثبت‌نام شما در سایت فروش اینترنتی با موفقیت انجام شد',
    );
    const registration = stack.sites.sales.registrations.get(salesUser()!.sub)!;
    expect(registration.confirmedAt).to.be.greaterThan(loginAuthTime);
    await screenshot(page, '10-sales-registered', WIDE);

    // The service site: signed in at the provider already, so only the consent is asked.
    await page.goto(`${stack.serviceUrl}/`);
    await screenshot(page, '11-service-home');
    const codesBeforeService = stack.harness.sms.messages.length;
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: 'ورود با حساب دروازه' }).click(),
    ]);
    await page.locator('button[name="decision"][value="grant"]').waitFor();
    expect(await page.locator('input[name="code"]').count()).to.equal(0);
    await screenshot(page, '12-provider-consent-service', WIDE);
    await grantConsent(page);
    expect(page.url()).to.equal(`${stack.serviceUrl}/`);
    expect(stack.harness.sms.messages.length, 'no code for the second site').to.equal(codesBeforeService);
    const received = (await page.locator('main').textContent()) ?? '';
    expect(received).to.include(citizen.person.firstName);
    expect(received).to.include('کد ملی و نام پدر برای این سایت فرستاده نشده است');
    expect(received).to.not.include(citizen.nationalCode);
    await screenshot(page, '13-service-signed-in', WIDE);

    // Sign out at the service site: the provider's Persian confirmation, then both sites are out.
    await press('خروج');
    expect(new URL(page.url()).origin).to.equal(stack.harness.issuer);
    await page.getByRole('button', { name: 'بله، خارج شوم' }).waitFor();
    await screenshot(page, '14-provider-logout-confirm', WIDE);
    await press('بله، خارج شوم');
    expect(page.url()).to.equal(`${stack.serviceUrl}/logged-out`);
    await screenshot(page, '15-service-logged-out');

    await page.goto(`${stack.salesUrl}/`);
    expect(await page.getByRole('button', { name: 'خروج' }).count()).to.equal(0);
    expect(await page.getByRole('link', { name: 'ورود / ثبت‌نام کاربر' }).count()).to.equal(1);
    await screenshot(page, '16-sales-home-after-logout');
    await page.goto(`${stack.serviceUrl}/`);
    expect(await page.getByRole('button', { name: 'خروج' }).count()).to.equal(0);

    // And the provider session is over: signing in asks for the mobile again.
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: 'ورود با حساب دروازه' }).click(),
    ]);
    expect(await page.locator('input[name="mobile"]').count()).to.equal(1);

    expect(chromium.problems, chromium.problems.join('\n')).to.deep.equal([]);
    // The only error status is the personal information form shown again with its errors.
    expect(chromium.errorResponses).to.deep.equal([`422 POST ${stack.salesUrl}/profile`]);
  });
});
