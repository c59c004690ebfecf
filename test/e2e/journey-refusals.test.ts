import { expect } from 'chai';
import { translate } from '../../src/i18n/index.js';
import { DEMO_CITIZENS, type DemoCitizen } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, parseForms, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

const byCase = (kind: DemoCitizen['case']) => DEMO_CITIZENS.find((citizen) => citizen.case === kind)!;
const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const fa = (key: string, params?: Record<string, string | number>) => translate('fa', key, params);

/** Signs in up to the identity page; returns the browser and that page. */
async function reachIdentityPage(
  harness: Harness,
  citizen: DemoCitizen,
): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = browserFor(harness, `203.0.113.${Math.floor(Math.random() * 250) + 1}`);
  const request = await authorizationRequest(harness.clients.sales!);
  let page = await browser.get(request.url.toString());
  page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
  page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
  expect(pageKind(page)).to.equal('identity');
  return { browser, page };
}

describe('identity refusals and upstream failures', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  const refusals: Array<[string, DemoCitizen, Record<string, string>, string]> = [
    ['a mobile registered to someone else', byCase('mobile-not-owned'), {}, 'identity.mobile_not_owned'],
    ['a wrong birth date', ordinary[0]!, { birth_date: '1370/05/15' }, 'identity.registry_mismatch'],
    ['a deceased person', byCase('deceased'), {}, 'identity.deceased'],
  ];
  for (const [name, citizen, change, key] of refusals) {
    it(`refuses ${name} with its own message and stores nothing`, async () => {
      const { browser, page } = await reachIdentityPage(harness, citizen);
      const refused = await browser.submit(page, {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
        ...change,
      });
      expect(refused.status).to.equal(422);
      // Typing the same again cannot help a deceased person's record: no form, only the ways on.
      expect(pageKind(refused)).to.equal(key === 'identity.deceased' ? 'other' : 'identity');
      expect(refused.html).to.include(fa(key));
      // Nothing stored: the same mobile still has no account and meets the identity page again.
      await reachIdentityPage(harness, citizen);
    });
  }

  it('an upstream failure is "try again shortly" (503), never "no match"; it works once the service is back', async () => {
    const citizen = ordinary[1]!;
    const { browser, page } = await reachIdentityPage(harness, citizen);
    harness.identity.setFailureRate(1);
    const failed = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    harness.identity.setFailureRate(0);
    expect(failed.status).to.equal(503);
    expect(failed.html).to.include(fa('identity.unavailable'));
    const retried = await browser.submit(failed, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(['consent', 'other']).to.include(pageKind(retried));
    expect(pageKind(retried)).to.equal('consent');
  });

  it('the citizen the registry always fails on gets the unavailable page', async () => {
    const citizen = byCase('upstream-failure');
    const { browser, page } = await reachIdentityPage(harness, citizen);
    const failed = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(failed.status).to.equal(503);
  });

  it('a malformed national code or date is refused locally with a field message, without calling the registry', async () => {
    const citizen = ordinary[2]!;
    const { browser, page } = await reachIdentityPage(harness, citizen);
    const before = harness.identity.requestCount;
    const bad = await browser.submit(page, { national_code: '0499370898', birth_date: '1370/13/40' });
    expect(bad.status).to.equal(400);
    expect(bad.html).to.include(fa('national_code.invalid')).and.include(fa('birth_date.invalid'));
    expect(harness.identity.requestCount).to.equal(before);
    const persianDigits = await browser.submit(bad, {
      national_code: citizen.nationalCode.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!),
      birth_date: citizen.person.birthDate.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!),
    });
    expect(pageKind(persianDigits)).to.equal('consent');
  });
});

describe('one-time code lockout and SMS send caps', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { SMS_COOLDOWN_SECONDS: '1', SMS_PER_MOBILE_HOUR: '4' } });
  });
  after(async () => harness?.close());

  it('locks the mobile after 5 wrong codes, even across a resend, and refuses the right code then', async () => {
    const citizen = ordinary[3]!;
    const browser = browserFor(harness);
    const request = await authorizationRequest(harness.clients.sales!);
    let page = await browser.get(request.url.toString());
    page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      page = await browser.submit(page, { code: '000000' });
      expect(page.status).to.equal(400);
      expect(page.html).to.include(fa('code.wrong', { attemptsLeft: 5 - attempt }));
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const sent = harness.sms.messages.length;
    page = await browser.submitTo(page, '/resend');
    expect(pageKind(page)).to.equal('code');
    expect(harness.sms.messages.length).to.equal(sent + 1);
    page = await browser.submit(page, { code: '000000' });
    expect(page.html).to.include(fa('code.wrong', { attemptsLeft: 1 }));
    page = await browser.submit(page, { code: '000000' });
    expect(page.status).to.equal(429);
    // The locked page has no code box; the right code posted anyway is refused all the same.
    const right = harness.sms.lastCodeFor(citizen.mobile)!;
    const csrf = parseForms(page.html)[0]!.fields.csrf!;
    page = await browser.post(page.url, { csrf, code: right });
    expect(page.status).to.equal(429);
    expect(page.html).to.include(fa('page.locked.title'));
  });

  it('caps the codes sent to one mobile per hour, for known and unknown numbers alike', async () => {
    for (const mobile of [ordinary[0]!.mobile, '09127777777']) {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const browser = browserFor(harness, `192.0.2.${i + 10}`);
        const request = await authorizationRequest(harness.clients.sales!);
        const page = await browser.get(request.url.toString());
        const after = await browser.submit(page, { mobile, captcha: '' });
        statuses.push(after.status);
        if (i === 4) expect(after.html).to.include(fa('sms.limit', { minutes: 60 }).slice(0, 20));
        // The person types the code they got, which ends the mobile's resend cooldown.
        else await browser.submit(after, { code: harness.sms.lastCodeFor(mobile)! });
      }
      expect(statuses, mobile).to.deep.equal([200, 200, 200, 200, 429]);
    }
  });
});
