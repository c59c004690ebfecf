import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, parseForms, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

const citizen = DEMO_CITIZENS.find((c) => c.case === 'ordinary')!;

const HOSTILE_VALUES = [
  '',
  ' ',
  'x'.repeat(10_000),
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u202e0912\u200b1234567',
  '0912\u00001234567',
  '۰۹۱۲۱۲۳۴۵۶۷۸۹۰۱۲۳',
  '١٢٣',
  '😀😀😀',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%00%0d%0aSet-Cookie: a=b',
  '1370/02/31',
  '0000000000',
  '-1',
  '1e309',
  '{"$gt":""}',
];

/** Raw POST with a chosen content type, keeping the browser's cookies. */
async function rawPost(browser: TestBrowser, url: string, body: string, contentType: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { cookie: browser.cookieHeader(new URL(url)), 'content-type': contentType, accept: 'text/html' },
    body,
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text() };
}

function expectFriendly(result: { status: number; html: string }, label: string) {
  expect(result.status, label).to.be.below(500);
  expect(result.html, label).to.not.match(/\bat [\w.<>]+ \(.*:\d+:\d+\)/);
  expect(result.html, label).to.not.include('<script>alert(1)</script>');
  expect(result.html, label).to.not.include('<img src=x');
}

describe('hostile input on the interaction forms', function () {
  this.timeout(120_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({
      env: { SMS_PER_ADDRESS_HOUR: '1000', SMS_PER_MOBILE_HOUR: '1000', SMS_PER_MOBILE_DAY: '1000' },
    });
  });
  after(async () => harness?.close());

  async function pageAt(step: 'mobile' | 'code' | 'identity'): Promise<{ browser: TestBrowser; page: Page }> {
    const browser = browserFor(harness, '198.51.100.99');
    const request = await authorizationRequest(harness.clients.sales!);
    let page = await browser.get(request.url.toString());
    // A fresh number each time: the code page's wrong tries lock the number they were made for.
    const mobile = `0912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    if (step !== 'mobile') page = await browser.submit(page, { mobile, captcha: '' });
    if (step === 'identity') page = await browser.submit(page, { code: harness.sms.lastCodeFor(mobile)! });
    expect(pageKind(page)).to.equal(step);
    return { browser, page };
  }

  const steps: Array<['mobile' | 'code' | 'identity', string[]]> = [
    ['mobile', ['mobile', 'captcha']],
    ['code', ['code']],
    ['identity', ['national_code', 'birth_date']],
  ];
  for (const [step, allFields] of steps) {
    let fields = allFields;
    it(`${step} page: every field with hostile values answers 4xx or the form again, and sends no SMS`, async () => {
      const { browser, page } = await pageAt(step);
      const form = parseForms(page.html).find((candidate) => fields[0]! in candidate.fields)!;
      fields = fields.filter((name) => name in form.fields); // no captcha field while CAPTCHA=off
      const url = new URL(form.action, page.url).toString();
      const smsBefore = harness.sms.messages.length;
      let tried = 0;
      for (const field of fields) {
        for (const value of HOSTILE_VALUES) {
          const result = await browser.post(url, { ...form.fields, [field]: value });
          expectFriendly(result, `${step}.${field}=${JSON.stringify(value.slice(0, 30))}`);
          tried++;
        }
      }
      // Repeated parameters, a missing CSRF token, other content types, an oversized body.
      const base = new URLSearchParams(form.fields).toString();
      const variants: Array<[string, string, string]> = [
        ['repeated', `${base}&${fields[0]}=1&${fields[0]}=2`, 'application/x-www-form-urlencoded'],
        ['no csrf', fields.map((name) => `${name}=1`).join('&'), 'application/x-www-form-urlencoded'],
        ['json', JSON.stringify({ ...form.fields, [fields[0]!]: ['a'] }), 'application/json'],
        ['malformed json', '{"csrf":', 'application/json'],
        ['text', 'hello', 'text/plain'],
        [
          'multipart',
          '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
          'multipart/form-data; boundary=x',
        ],
        ['oversized', `${base}&${fields[0]}=${'9'.repeat(100_000)}`, 'application/x-www-form-urlencoded'],
        ['broken encoding', `${base}&${fields[0]}=%E0%A4%A`, 'application/x-www-form-urlencoded'],
      ];
      for (const [label, body, type] of variants) {
        const result = await rawPost(browser, url, body, type);
        expectFriendly(result, `${step} ${label}`);
        tried++;
      }
      expect(tried).to.be.greaterThan(20);
      if (step !== 'mobile') expect(harness.sms.messages.length).to.equal(smsBefore);
    });
  }

  it('posts to an unknown interaction or step answer a friendly 4xx', async () => {
    const { browser } = await pageAt('mobile');
    for (const path of [
      '/interaction/nope/mobile',
      '/interaction/nope/consent',
      '/interaction/nope/unknown-step',
    ]) {
      const result = await rawPost(
        browser,
        `${harness.issuer}${path}`,
        'mobile=1',
        'application/x-www-form-urlencoded',
      );
      expectFriendly(result, path);
      expect(result.status).to.be.at.least(400);
    }
  });

  it('a code posted to the identity step, or consent before login, does not advance the journey', async () => {
    const { browser, page } = await pageAt('code');
    const action = parseForms(page.html).find((form) => 'code' in form.fields)!.action;
    const identityUrl = new URL(action.replace(/\/code$/, '/identity'), page.url).toString();
    const consentUrl = new URL(action.replace(/\/code$/, '/consent'), page.url).toString();
    const skipped = await browser.post(identityUrl, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(pageKind(skipped)).to.equal('code');
    const consent = await browser.post(consentUrl, { decision: 'grant' });
    expect(pageKind(consent)).to.equal('code');
  });
});
