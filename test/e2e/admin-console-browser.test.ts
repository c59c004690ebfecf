/**
 * The admin console in Chromium (issue 16's "done when"): an allow-listed admin signs in through
 * the journey, creates a site, a person signs in at that site with the new client
 * (openid-client), the admin rotates its secret and deletes it; a person not on the list meets a
 * clear refusal. Every console page is checked with axe-core (WCAG 2.1 AA) in Persian and
 * English, and has no CSP violation. The screenshots in docs/images/admin-*.png come from here.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { violations } from '../helpers/axe.js';
import {
  type LaunchedChromium,
  launchChromium,
  SCREENSHOT_DIR,
  screenshot,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import { chromiumJourney } from '../helpers/chromium-journey.js';
import { browserFor, type Harness, redeem, startHarness, type TestClient } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { toPalettePng } from '../helpers/png-palette.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const admin = ordinary[0]!;
const person = ordinary[1]!;
const stranger = ordinary[2]!;
// The docs' screenshots change with every run (times, ids): they are rewritten in docs/images/
// only when asked (DOCS_SCREENSHOTS=1 npx mocha test/e2e/admin-console-browser.test.ts).
const DOCS_IMAGES =
  process.env.DOCS_SCREENSHOTS === '1'
    ? join(process.cwd(), 'docs', 'images')
    : join(SCREENSHOT_DIR, '..', 'docs-images');

/** The visible window (not the whole page) as a small indexed-colour PNG for the docs. */
async function docsImage(page: Page, name: string, widths: number[]): Promise<void> {
  await mkdir(DOCS_IMAGES, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const original = page.viewportSize()!;
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 600 ? 760 : 820 });
    await writeFile(join(DOCS_IMAGES, `${name}-${width}.png`), toPalettePng(await page.screenshot()));
  }
  await page.setViewportSize(original);
}

describe('admin console in Chromium: sign in, create a site, use it, rotate, delete', function () {
  this.timeout(180_000);
  let harness: Harness;
  let chromium: LaunchedChromium;
  const found: Record<string, string[]> = {};

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness({ env: { ADMIN_NATIONAL_CODES: admin.nationalCode } });
    chromium = await launchChromium({ width: 1280, height: 820 });
  });
  after(async () => {
    await chromium?.close();
    await harness?.close();
  });

  const click = (selector: string) =>
    Promise.all([chromium.page.waitForNavigation(), chromium.page.locator(selector).first().click()]);
  const submit = (action: string) => click(`form[action$="${action}"] button[type="submit"]`);
  const check = async (name: string) => {
    found[name] = await violations(chromium.page);
  };
  const shownSecret = async () => (await chromium.page.locator('#secret').textContent())?.trim() ?? '';

  /** The journey in Chromium, from a console address to the console page it comes back to. */
  async function signInThroughJourney(citizen: typeof admin, path: string) {
    const { page } = chromium;
    const journey = chromiumJourney(page, harness, { locale: 'fa', submit });
    await page.goto(`${harness.issuer}${path}`);
    expect(new URL(page.url()).pathname).to.match(/^\/interaction\//);
    await journey.toIdentity(citizen.mobile);
    await journey.identity(citizen.nationalCode, citizen.person.birthDate);
  }

  let clientId = '';
  let client: TestClient;

  it('an allow-listed admin signs in through the journey and lands on the sites', async () => {
    await signInThroughJourney(admin, '/admin');
    const { page } = chromium;
    expect(page.url()).to.equal(`${harness.issuer}/admin/sites`);
    expect(await page.locator('h1').textContent()).to.equal('سایت‌ها');
    await check('fa sites');
    await screenshot(page, 'admin-sites-fa', [360]);
  });

  it('creates a site with the same validation as the API; the secret is shown once', async () => {
    const { page } = chromium;
    await click('a[href="/admin/sites/new"]');
    await check('fa new site');
    // A wildcard: refused with the registry's own words, the field marked.
    await page.locator('#name').fill('فروشگاه آزمایشی');
    await page.locator('#name_en').fill('Test shop');
    await page.locator('#redirect_uris').fill('https://*.example/cb');
    await submit('/admin/sites');
    expect(await page.locator('.admin-refusal').textContent()).to.include('wildcards');
    expect(await page.locator('#redirect_uris').getAttribute('aria-invalid')).to.equal('true');
    await check('fa new site, refused');
    await screenshot(page, 'admin-site-new-refused-fa', [360]);
    await page.locator('#redirect_uris').fill(`${harness.callbackBase}/shop/cb`);
    await page.locator('input[name="scope"][value="national_id"]').check();
    await submit('/admin/sites');
    expect(await page.locator('h1').textContent()).to.equal('سایت ثبت شد');
    const secret = await shownSecret();
    clientId = (await page.locator('dd code').first().textContent())?.trim() ?? '';
    expect(secret).to.have.length.above(40);
    await check('fa secret shown once');
    await docsImage(page, 'admin-secret', [360]);
    await screenshot(page, 'admin-secret-fa', [360]);

    client = {
      metadata: {
        client_id: clientId,
        client_secret: secret,
        redirect_uris: [`${harness.callbackBase}/shop/cb`],
        scope: 'openid profile phone national_id',
      },
      config: await oidc.discovery(new URL(harness.issuer), clientId, secret, undefined, {
        execute: [oidc.allowInsecureRequests],
      }),
    };
  });

  it('a person signs in at the new site with openid-client', async () => {
    const outcome = await signIn(harness, browserFor(harness, '198.51.100.91'), client, person);
    expect(outcome.atCallback).to.equal(true);
    expect(outcome.pages).to.include('consent');
    const tokens = await redeem(client, outcome.request, outcome.last);
    expect(tokens.claims()?.national_code).to.equal(person.nationalCode);
  });

  it('rotates the secret (the new one works at once) and shows who changed what', async () => {
    const { page } = chromium;
    await page.goto(`${harness.issuer}/admin/sites/${clientId}`);
    await check('fa site');
    await docsImage(page, 'admin-site', [1280, 360]);
    await screenshot(page, 'admin-site-fa', [360]);
    await submit(`/admin/sites/${clientId}/secret`);
    const rotated = await shownSecret();
    expect(rotated).to.have.length.above(40).and.not.equal(client.metadata.client_secret);
    const renewed: TestClient = {
      metadata: { ...client.metadata, client_secret: rotated },
      config: await oidc.discovery(new URL(harness.issuer), clientId, rotated, undefined, {
        execute: [oidc.allowInsecureRequests],
      }),
    };
    const outcome = await signIn(harness, browserFor(harness, '198.51.100.92'), renewed, person);
    expect(outcome.atCallback).to.equal(true);
    expect((await redeem(renewed, outcome.request, outcome.last)).claims()?.sub).to.be.a('string');
    await click('a.btn--primary');
    expect(await page.locator('#history-title + ul').textContent()).to.include('client.secret.rotate');
    // The list with the site on it, for the docs, in both languages.
    await page.goto(`${harness.issuer}/admin/sites`);
    await docsImage(page, 'admin-sites', [1280, 360]);
    await page.goto(`${harness.issuer}/admin/sites?lang=en`);
    await docsImage(page, 'admin-sites-en', [360]);
    await page.goto(`${harness.issuer}/admin/sites/${clientId}?lang=fa`);
  });

  it('deletes the site after a confirmation; the site can no longer sign anyone in', async () => {
    const { page } = chromium;
    await click(`a[href="/admin/sites/${clientId}/delete"]`);
    await check('fa delete confirmation');
    await screenshot(page, 'admin-delete-fa', [360]);
    await submit(`/admin/sites/${clientId}/delete`);
    expect(page.url()).to.equal(`${harness.issuer}/admin/sites?done=deleted`);
    expect(await page.locator('[role="status"]').textContent()).to.include('سایت حذف شد');
    const outcome = await signIn(harness, browserFor(harness, '198.51.100.93'), client, person);
    expect(outcome.atCallback).to.equal(false);
  });

  it('registration, audit and health pages, in Persian and English, at 1280 and 360 px', async () => {
    const { page } = chromium;
    await page.goto(`${harness.issuer}/admin/registration`);
    await submit('/admin/registration');
    expect(await shownSecret()).to.have.length.above(20);
    await page.goto(`${harness.issuer}/admin/registration`);
    await check('fa registration');
    await docsImage(page, 'admin-registration', [1280]);
    await screenshot(page, 'admin-registration-fa', [360]);
    await page.goto(`${harness.issuer}/admin/audit?stream=security&period=day`);
    await check('fa audit');
    await docsImage(page, 'admin-audit', [1280, 360]);
    await screenshot(page, 'admin-audit-fa', [360]);
    await page.goto(`${harness.issuer}/admin/health`);
    expect(await page.locator('svg.admin-chart__svg rect').count()).to.be.above(0);
    await check('fa health');
    await docsImage(page, 'admin-health', [1280, 360]);
    await screenshot(page, 'admin-health-fa', [360]);

    await page.goto(`${harness.issuer}/admin/sites?lang=en`);
    await check('en sites');
    await screenshot(page, 'admin-sites-en', [360]);
    for (const path of ['/admin/sites/new', '/admin/registration', '/admin/audit', '/admin/health']) {
      await page.goto(`${harness.issuer}${path}`);
      await check(`en ${path}`);
      await screenshot(page, `admin-${path.split('/').at(-1)}-en`, [360]);
    }
    await page.goto(`${harness.issuer}/admin/sites?lang=fa`);
  });

  it('a person not on the list meets a clear refusal page', async () => {
    const { page } = chromium;
    await page.context().clearCookies();
    await signInThroughJourney(stranger, '/admin');
    expect(new URL(page.url()).pathname).to.equal('/admin');
    expect(await page.locator('[role="alert"]').textContent()).to.include('دسترسی ندارید');
    await check('fa refused');
    await docsImage(page, 'admin-refused', [360]);
    await screenshot(page, 'admin-refused-fa', [360]);
    await submit('/admin/sign-out');
    expect(page.url()).to.equal(`${harness.issuer}/admin/signed-out`);
    await check('fa signed out');
  });

  it('found no accessibility violation, no CSP violation, no script error', () => {
    const all = Object.entries(found).flatMap(([name, list]) => list.map((v) => `${name}: ${v}`));
    expect(all).to.deep.equal([]);
    expect(chromium.problems).to.deep.equal([]);
  });

  it('keeps the docs screenshots small', async () => {
    for (const name of ['admin-sites-1280', 'admin-sites-360', 'admin-health-1280', 'admin-site-360']) {
      const size = (await readFile(join(DOCS_IMAGES, `${name}.png`))).length;
      expect(size, name).to.be.below(120_000);
    }
  });
});
