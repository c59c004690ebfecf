/**
 * Account enumeration (DESIGN §1 step B: the code page "must not reveal whether the mobile is
 * registered"). A known mobile (a verified account) and an unknown one get the same status, the
 * same page (once the masked number, CSRF token and interaction id are normalised), and the
 * same time, on the mobile page and on a wrong code; and the captcha, the send caps and the
 * wrong-code lockout apply to both alike.
 */
import { expect } from 'chai';
import { type Page, pageKind, parseForms, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { median, ORDINARY, UNKNOWN_MOBILE } from './support.js';

const known = ORDINARY[0]!;
const SAMPLES = 24;

/** The page with what legitimately differs between two sign-ins replaced by placeholders. */
function normalise(html: string): string {
  return html
    .replace(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/UID')
    .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="CSRF"')
    .replace(/…[0-9۰-۹]{4}/g, '…NNNN')
    .replace(/<svg[\s\S]*?<\/svg>/g, '<svg/>')
    .replace(/src="data:image\/[a-z]+;base64,[^"]*"/g, 'src="CAPTCHA"');
}

/** A fresh sign-in in its own browser, at the mobile page. */
async function mobilePage(harness: Harness, address: string): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = browserFor(harness, address);
  const request = await authorizationRequest(harness.clients.sales!);
  const page = await browser.get(request.url.toString());
  expect(pageKind(page)).to.equal('mobile');
  return { browser, page };
}

/**
 * Types the right code on a code page, as the person would: the sign-in goes on and the mobile's
 * resend cooldown ends, so the next round can start a new sign-in for the same number at once.
 */
async function useCode(
  harness: Harness,
  browser: TestBrowser,
  codePage: Page,
  mobile: string,
): Promise<void> {
  expect(pageKind(codePage)).to.equal('code');
  const next = await browser.submit(codePage, { code: harness.sms.lastCodeFor(mobile) ?? '' });
  expect(pageKind(next)).not.to.equal('code');
}

/** Times one POST (no redirects followed) with the browser's cookies. */
async function timedPost(browser: TestBrowser, page: Page, action: string, fields: Record<string, string>) {
  const csrf = /name="csrf" value="([^"]*)"/.exec(page.html)?.[1] ?? '';
  const url = new URL(`${new URL(page.url).pathname}${action}`, page.url);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      cookie: browser.cookieHeader(url),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      'x-forwarded-for': '198.51.100.70',
    },
    body: new URLSearchParams({ ...fields, csrf }),
    redirect: 'manual',
  });
  const body = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, location: response.headers.get('location'), body, ms };
}

function expectSimilarTiming(label: string, knownMs: number[], unknownMs: number[]) {
  const a = median(knownMs);
  const b = median(unknownMs);
  const allowed = Math.max(20, 0.3 * Math.max(a, b));
  expect(
    Math.abs(a - b),
    `${label}: median known ${a.toFixed(1)} ms vs unknown ${b.toFixed(1)} ms (allowed ${allowed.toFixed(1)} ms)`,
  ).to.be.at.most(allowed);
}

describe('account enumeration: known and unknown mobiles look the same', function () {
  this.timeout(120_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({
      env: {
        SMS_PER_MOBILE_HOUR: '10000',
        SMS_PER_MOBILE_DAY: '10000',
        SMS_PER_ADDRESS_HOUR: '10000',
        OTP_MAX_WRONG: '10000',
      },
    });
    // The known mobile has a verified account.
    const outcome = await signIn(harness, browserFor(harness), harness.clients.sales!, known);
    expect(outcome.atCallback).to.equal(true);
  });
  after(async () => harness?.close());

  /** The registered and the unknown mobile, in the order each round tries them. */
  const bothMobiles = () =>
    [
      ['known', known.mobile],
      ['unknown', UNKNOWN_MOBILE],
    ] as const;

  it('the mobile page: same status, same redirect, same code page, similar time', async () => {
    const times = { known: [] as number[], unknown: [] as number[] };
    const pages: Record<string, string> = {};
    // Interleaved, so that load on the machine hits both alike.
    for (let i = 0; i < SAMPLES; i++) {
      for (const [label, mobile] of bothMobiles()) {
        const { browser, page } = await mobilePage(harness, '198.51.100.70');
        const result = await timedPost(browser, page, '/mobile', { mobile, captcha: '' });
        expect(result.status, label).to.equal(303);
        expect(result.location?.replace(/\/interaction\/[A-Za-z0-9_-]+/, '/interaction/UID')).to.equal(
          '/interaction/UID',
        );
        if (i >= 2) times[label].push(result.ms); // the first rounds warm caches up
        const codePage = await browser.get(new URL(result.location!, page.url).toString());
        expect(pageKind(codePage)).to.equal('code');
        if (i === 0) pages[label] = normalise(codePage.html);
        await useCode(harness, browser, codePage, mobile);
      }
    }
    expect(pages.known).to.equal(pages.unknown);
    expectSimilarTiming('mobile page', times.known, times.unknown);
  });

  it('a wrong code: same status, same page, same attempts left, similar time', async () => {
    const times = { known: [] as number[], unknown: [] as number[] };
    const pages: Record<string, string> = {};
    for (let i = 0; i < SAMPLES; i++) {
      for (const [label, mobile] of bothMobiles()) {
        const { browser, page } = await mobilePage(harness, '198.51.100.71');
        const codePage = await browser.submit(page, { mobile, captcha: '' });
        expect(pageKind(codePage)).to.equal('code');
        const result = await timedPost(browser, codePage, '/code', { code: '000000' });
        expect(result.status, label).to.equal(400);
        if (i >= 2) times[label].push(result.ms);
        if (i === 0) pages[label] = normalise(result.body);
        await useCode(harness, browser, await browser.get(codePage.url), mobile);
      }
    }
    expect(pages.known).to.equal(pages.unknown);
    expectSimilarTiming('code page', times.known, times.unknown);
  });
});

describe('account enumeration: captcha and limits apply alike', function () {
  this.timeout(60_000);

  it('with the captcha on, a missing or wrong answer refuses both alike and sends nothing', async () => {
    const harness = await startHarness({ env: { CAPTCHA: 'image' } });
    try {
      const seen: Record<string, string[]> = {};
      for (const mobile of [known.mobile, UNKNOWN_MOBILE]) {
        for (const captcha of ['', '00000']) {
          const { browser, page } = await mobilePage(harness, '198.51.100.72');
          expect(page.html).to.include('class="captcha__image"');
          const before = harness.sms.requestCount;
          const after = await browser.submit(page, { mobile, captcha });
          expect(after.status).to.equal(400);
          expect(pageKind(after)).to.equal('mobile');
          expect(harness.sms.requestCount).to.equal(before);
          seen[captcha] = [
            ...(seen[captcha] ?? []),
            normalise(after.html).replace(/value="0?9\d{9}"/, 'value="MOBILE"'),
          ];
        }
      }
      for (const variants of Object.values(seen)) expect(variants[0]).to.equal(variants[1]);
    } finally {
      await harness.close();
    }
  });

  it('the wrong-code lockout hits both at the same count', async () => {
    const harness = await startHarness();
    try {
      const verified = await signIn(
        harness,
        browserFor(harness, '198.51.100.73'),
        harness.clients.sales!,
        known,
      );
      expect(verified.atCallback).to.equal(true);
      const lockouts: Record<string, number[]> = {};
      for (const mobile of [known.mobile, UNKNOWN_MOBILE]) {
        // Five wrong codes (OTP_MAX_WRONG default), then 429 whatever is typed, and no new code.
        const { browser, page } = await mobilePage(harness, '198.51.100.74');
        const codePage = await browser.submit(page, { mobile, captcha: '' });
        // Posted straight to the code form: once locked, the page no longer shows one.
        const form = parseForms(codePage.html).find((candidate) => 'code' in candidate.fields)!;
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const answer = await browser.post(new URL(form.action, codePage.url).toString(), {
            ...form.fields,
            code: '000000',
          });
          statuses.push(answer.status);
        }
        const again = await mobilePage(harness, '198.51.100.75');
        statuses.push((await again.browser.submit(again.page, { mobile, captcha: '' })).status);
        lockouts[mobile] = statuses;
      }
      expect(lockouts[known.mobile]).to.deep.equal([400, 400, 400, 400, 429, 429, 429]);
      expect(lockouts[UNKNOWN_MOBILE]).to.deep.equal(lockouts[known.mobile]);
    } finally {
      await harness.close();
    }
  });

  it('the per-mobile send cap hits both at the same count', async () => {
    const harness = await startHarness({ env: { SMS_PER_MOBILE_HOUR: '3' } });
    try {
      const verified = await signIn(
        harness,
        browserFor(harness, '198.51.100.76'),
        harness.clients.sales!,
        known,
      );
      expect(verified.atCallback).to.equal(true);
      // The sign-in used one send of the known mobile; the unknown one gets one send too.
      const first = await mobilePage(harness, '198.51.100.77');
      const firstCode = await first.browser.submit(first.page, { mobile: UNKNOWN_MOBILE, captcha: '' });
      expect(firstCode.status).to.equal(200);
      await useCode(harness, first.browser, firstCode, UNKNOWN_MOBILE);
      const caps: Record<string, number[]> = {};
      for (const mobile of [known.mobile, UNKNOWN_MOBILE]) {
        const answers: number[] = [];
        for (let i = 0; i < 3; i++) {
          const fresh = await mobilePage(harness, `198.51.100.${80 + i}`);
          const after = await fresh.browser.submit(fresh.page, { mobile, captcha: '' });
          answers.push(after.status);
          if (after.status === 200) await useCode(harness, fresh.browser, after, mobile);
        }
        caps[mobile] = answers;
      }
      expect(caps[known.mobile]).to.deep.equal([200, 200, 429]);
      expect(caps[UNKNOWN_MOBILE]).to.deep.equal(caps[known.mobile]);
    } finally {
      await harness.close();
    }
  });
});
