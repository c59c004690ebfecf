/**
 * WCAG 2.1 AA in a real browser: axe-core runs on every page and state of the journey, in
 * Persian and English, at a phone's width. Any violation fails the test with its rule, impact and
 * the elements it found.
 */
import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { violations } from '../helpers/axe.js';
import { type LaunchedChromium, launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { chromiumJourney } from '../helpers/chromium-journey.js';
import { type DemoStack, startDemoStack } from '../helpers/demo-stack.js';
import { authorizationRequest, defaultClients, type Harness, startHarness } from '../helpers/harness.js';
import { ORDINARY, UNKNOWN_MOBILE } from '../security/support.js';

const byCase = (kind: string) => DEMO_CITIZENS.find((citizen) => citizen.case === kind)!;

describe('accessibility: WCAG 2.1 AA on every page of the journey (axe-core, Chromium)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let chromium: LaunchedChromium;
  const found: Record<string, string[]> = {};

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness({
      env: { CAPTCHA: 'off', IDENTITY_CHECKS_PER_DAY: '2' },
      // A home address for the sales site: the error and signed-out pages lead back to it.
      clients: (base) =>
        defaultClients(base).map((client) =>
          client.client_id === 'sales' ? { ...client, client_uri: `${base}/sales` } : client,
        ),
    });
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await harness?.close();
  });

  async function check(name: string) {
    found[name] = await violations(chromium.page);
  }

  const submit = (action: string) =>
    Promise.all([
      chromium.page.waitForNavigation(),
      chromium.page.locator(`form[action$="${action}"] button[type="submit"]`).first().click(),
    ]);

  for (const locale of ['fa', 'en'] as const) {
    it(`${locale}: mobile, code, identity, consent, logout and error pages`, async () => {
      const { page } = chromium;
      const person = ORDINARY[locale === 'fa' ? 0 : 1]!;
      await page.goto(`${harness.issuer}/.well-known/openid-configuration`);
      await page.context().clearCookies();
      const request = await authorizationRequest(harness.clients.sales!, { ui_locales: locale });
      await page.goto(request.url.toString());
      await check(`${locale} mobile`);
      await submit('/mobile');
      await check(`${locale} mobile, empty`);
      await page.locator('input[name="mobile"]').fill('0912');
      await submit('/mobile');
      await check(`${locale} mobile, invalid`);
      await page.locator('input[name="mobile"]').fill(person.mobile);
      await submit('/mobile');
      await check(`${locale} code`);
      await page.locator('input[name="code"]').fill('000000');
      await submit('/code');
      await check(`${locale} code, wrong`);
      await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(person.mobile)!);
      await submit('/code');
      await check(`${locale} identity`);
      await page.locator('input[name="national_code"]').fill('123');
      await page.locator('input[name="birth_date"]').fill('1370/13/40');
      await submit('/identity');
      await check(`${locale} identity, invalid`);
      await page.locator('input[name="national_code"]').fill(person.nationalCode);
      await page.locator('input[name="birth_date"]').fill(person.person.birthDate);
      await submit('/identity');
      await check(`${locale} consent`);

      await page.goto(`${harness.issuer}/session/end?client_id=sales&ui_locales=${locale}&lang=${locale}`);
      await check(`${locale} logout`);
      await page.goto(`${harness.issuer}/auth?client_id=nobody&lang=${locale}`);
      await check(`${locale} error`);

      // A locked mobile: the page a person meets after five wrong codes.
      await page.context().clearCookies();
      const again = await authorizationRequest(harness.clients.sales!, { ui_locales: locale });
      await page.goto(again.url.toString());
      await page.locator('input[name="mobile"]').fill(locale === 'fa' ? UNKNOWN_MOBILE : '09127777778');
      await submit('/mobile');
      for (let i = 0; i < 5; i++) {
        await page.locator('input[name="code"]').fill('000000');
        await submit('/code');
      }
      await check(`${locale} code, locked`);
    });
  }

  for (const locale of ['fa', 'en'] as const) {
    it(`${locale}: refusals, outage, check limit, step-up, error page with its way back, signed out`, async () => {
      const { page } = chromium;
      const fresh = `0912888${locale === 'fa' ? '1' : '2'}`;
      const journey = chromiumJourney(page, harness, { locale, submit });
      const { start, identity } = journey;
      const toIdentity = async (mobile: string) => {
        await page.context().clearCookies();
        await start();
        await journey.toIdentity(mobile);
      };
      for (const kind of ['mobile-not-owned', 'deceased', 'upstream-failure']) {
        const citizen = byCase(kind);
        await toIdentity(citizen.mobile);
        await identity(citizen.nationalCode, citizen.person.birthDate);
        await check(`${locale} identity, ${kind}`);
      }
      await toIdentity(`${fresh}001`);
      for (let i = 0; i < 3 && (await page.locator('input[name="national_code"]').count()) > 0; i++)
        await identity(ORDINARY[2]!.nationalCode, '1300/01/01');
      await check(`${locale} identity, check limit`);

      // Signed in, then asked to confirm again: the step-up page.
      // Not yet granted to the sales site, so the sign-in ends at the consent page.
      const person = ORDINARY[locale === 'fa' ? 3 : 0]!;
      await page.context().clearCookies();
      await start();
      await page.locator('input[name="mobile"]').fill(person.mobile);
      await submit('/mobile');
      await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(person.mobile)!);
      await submit('/code');
      if ((await page.locator('input[name="national_code"]').count()) > 0)
        await identity(person.nationalCode, person.person.birthDate);
      // Nothing listens at the callback: the browser's own error page ends the sign-in.
      await Promise.all([
        page.waitForEvent('requestfailed', (request) => request.url().startsWith(harness.callbackBase)),
        page.locator('button[value="grant"]').click(),
      ]);
      await page.waitForURL(/^chrome-error:/).catch(() => undefined);
      const purpose = 'ثبت نام و تاریخ تولد شما در قرارداد خرید خودرو';
      const claims = JSON.stringify({ id_token: { birthdate: { essential: true, purpose } } });
      await start({ prompt: 'login', max_age: '0', login_hint: person.mobile, claims });
      expect(await page.locator('main').textContent()).to.include(purpose);
      await check(`${locale} step-up`);
      await page.goto(`${page.url()}?other=1`);
      await check(`${locale} step-up, another number`);

      await page.goto(
        `${harness.issuer}/auth?client_id=sales&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2F&lang=${locale}`,
      );
      await check(`${locale} error, back to the site`);
      await page.goto(`${harness.issuer}/session/end/success?client_id=sales&lang=${locale}`);
      await check(`${locale} signed out, back to the site`);
    });
  }

  it('the demo sites: home pages, the personal information form, the after-sales data page', async () => {
    const stack: DemoStack = await startDemoStack();
    const browser = await launchChromium();
    try {
      const { page } = browser;
      const citizen = ORDINARY[0]!;
      const go = (selector: string) =>
        Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
      await page.goto(`${stack.salesUrl}/`);
      found['demo sales home'] = await violations(page);
      await go('main a[href="/login"]');
      await page.locator('input[name="mobile"]').fill(citizen.mobile);
      await go('form[action$="/mobile"] button[type="submit"]');
      await page.locator('input[name="code"]').fill(stack.harness.sms.lastCodeFor(citizen.mobile)!);
      await go('form[action$="/code"] button[type="submit"]');
      await page.locator('input[name="national_code"]').fill(citizen.nationalCode);
      await page.locator('input[name="birth_date"]').fill(citizen.person.birthDate);
      await go('form[action$="/identity"] button[type="submit"]');
      await go('button[value="grant"]');
      expect(page.url()).to.equal(`${stack.salesUrl}/profile`);
      found['demo sales personal information'] = await violations(page);
      await go('main form button[type="submit"]');
      found['demo sales personal information, errors'] = await violations(page);
      await page.goto(`${stack.serviceUrl}/`);
      found['demo service home'] = await violations(page);
      await go('main a[href="/login"]');
      await go('button[value="grant"]');
      expect(page.url()).to.equal(`${stack.serviceUrl}/`);
      found['demo service data'] = await violations(page);
    } finally {
      await browser.close();
      await stack.close();
    }
  });

  it('would see a violation if there were one (an image without a text alternative)', async () => {
    await chromium.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="/x.png">'));
    expect((await violations(chromium.page)).join('\n')).to.include('image-alt');
  });

  it('found no violation anywhere', () => {
    const failing = Object.fromEntries(Object.entries(found).filter(([, list]) => list.length));
    expect(Object.keys(found).length).to.be.greaterThan(20);
    expect(failing).to.deep.equal({});
  });
});
