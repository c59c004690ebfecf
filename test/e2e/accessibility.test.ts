/**
 * WCAG 2.1 AA in a real browser: axe-core runs on every page and state of the journey, in
 * Persian and English, at a phone's width. Any violation fails the test with its rule, impact and
 * the elements it found.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type LaunchedChromium, launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { authorizationRequest, type Harness, startHarness } from '../helpers/harness.js';
import { ORDINARY, UNKNOWN_MOBILE } from '../security/support.js';

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (through the debugging protocol, so the page's CSP does not apply). */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(`${await AXE_SOURCE};0`);
  const found = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} } }).then((r) => r.violations)`,
  )) as Violation[];
  return found.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe('accessibility: WCAG 2.1 AA on every page of the journey (axe-core, Chromium)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let chromium: LaunchedChromium;
  const found: Record<string, string[]> = {};

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness({ env: { CAPTCHA: 'off' } });
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
