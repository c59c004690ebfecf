/**
 * People sign up on phones over slow mobile networks. Budget per page, measured in Chromium:
 * the mobile page ≤ 100 KB transferred on a cold cache, every later page ≤ 30 KB on a warm one,
 * and no request to any other origin. The time to a usable page under an emulated slow 3G link is
 * printed (measured, not asserted: the machine's load would make it flaky).
 */
import { expect } from 'chai';
import type { CDPSession, Page } from 'playwright-core';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import { type LaunchedChromium, launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { formSubmitter } from '../helpers/chromium-journey.js';
import { authorizationRequest, type Harness, startHarness } from '../helpers/harness.js';
import { ORDINARY } from '../security/support.js';

const KB = 1024;
const COLD_BUDGET = 100 * KB;
const WARM_BUDGET = 30 * KB;
/** Chrome DevTools' "Slow 3G": 400 ms latency, 400 kbit/s down and up. */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };

interface Transfer {
  bytes: number;
  urls: string[];
}

/** Counts the bytes that crossed the network (headers and compressed bodies) while `action` runs. */
async function transferred(cdp: CDPSession, action: () => Promise<unknown>): Promise<Transfer> {
  const urls = new Map<string, string>();
  let bytes = 0;
  const onRequest = (event: { requestId: string; request: { url: string } }) =>
    urls.set(event.requestId, event.request.url);
  const onFinished = (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
  };
  cdp.on('Network.requestWillBeSent', onRequest);
  cdp.on('Network.loadingFinished', onFinished);
  await action();
  await new Promise((resolve) => setTimeout(resolve, 200));
  cdp.off('Network.requestWillBeSent', onRequest);
  cdp.off('Network.loadingFinished', onFinished);
  return { bytes, urls: [...urls.values()] };
}

describe('page weight on a phone: budgets per page, no other origin, slow 3G timing', function () {
  this.timeout(180_000);
  let harness: Harness;
  let chromium: LaunchedChromium;
  let cdp: CDPSession;
  const report: string[] = [];
  const captcha = captchaAnswers();

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness(captcha.harness());
    chromium = await launchChromium();
    cdp = await chromium.context.newCDPSession(chromium.page);
    await cdp.send('Network.enable');
  });
  after(async () => {
    if (report.length) console.log(report.map((line) => `      ${line}`).join('\n'));
    await chromium?.close();
    await harness?.close();
  });

  const submit = (page: Page, action: string) => formSubmitter(page)(action);

  function expectOwnOrigin(name: string, transfer: Transfer) {
    const others = transfer.urls.filter(
      (url) =>
        !url.startsWith(harness.issuer) && !url.startsWith('data:') && !url.startsWith(harness.callbackBase),
    );
    expect(others, `${name}: requests to other origins`).to.deep.equal([]);
  }

  it('the mobile page, cold cache: ≤ 100 KB; each later page, warm: ≤ 30 KB', async () => {
    const { page } = chromium;
    const person = ORDINARY[2]!;
    await cdp.send('Network.clearBrowserCache');
    const request = await authorizationRequest(harness.clients.sales!);
    const cold = await transferred(cdp, () => page.goto(request.url.toString(), { waitUntil: 'load' }));
    report.push(
      `mobile page, cold cache: ${(cold.bytes / KB).toFixed(1)} KB in ${cold.urls.length} requests`,
    );
    expectOwnOrigin('mobile', cold);
    expect(cold.bytes, 'mobile page, cold').to.be.at.most(COLD_BUDGET);

    const steps: [string, () => Promise<unknown>][] = [
      [
        'code page',
        async () => {
          await page.locator('input[name="mobile"]').fill(person.mobile);
          await page.locator('input[name="captcha"]').fill(captcha.last);
          await submit(page, '/mobile');
        },
      ],
      [
        'identity page',
        async () => {
          await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(person.mobile)!);
          await submit(page, '/code');
        },
      ],
      [
        'consent page',
        async () => {
          await page.locator('input[name="national_code"]').fill(person.nationalCode);
          await page.locator('input[name="birth_date"]').fill(person.person.birthDate);
          await submit(page, '/identity');
        },
      ],
    ];
    for (const [name, step] of steps) {
      const warm = await transferred(cdp, step);
      report.push(`${name}, warm cache: ${(warm.bytes / KB).toFixed(1)} KB in ${warm.urls.length} requests`);
      expectOwnOrigin(name, warm);
      expect(warm.bytes, `${name}, warm`).to.be.at.most(WARM_BUDGET);
    }
  });

  it('prints the time to a usable mobile page over slow 3G, cold cache', async () => {
    const { page } = chromium;
    await page.context().clearCookies(); // a new visitor: the mobile page, not the consent page
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    try {
      const request = await authorizationRequest(harness.clients.sales!);
      const started = Date.now();
      await page.goto(request.url.toString(), { waitUntil: 'load' });
      await page.locator('input[name="mobile"]').waitFor({ state: 'visible' });
      report.push(
        `mobile page over slow 3G (400 ms, 400 kbit/s), cold: usable after ${Date.now() - started} ms`,
      );
    } finally {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    }
  });
});
