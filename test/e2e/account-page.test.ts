import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { createAccountRepository } from '../../src/accounts/account-repository.js';
import { createPersonalDataCipher } from '../../src/accounts/personal-data-cipher.js';
import { personAuditKey } from '../../src/audit/security-audit.js';
import { parseEncryptionKeys, parseIndexKey } from '../../src/composition/secrets.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { Mobile } from '../../src/validation/mobile.js';
import { NationalCode } from '../../src/validation/national-code.js';
import { violations } from '../helpers/axe.js';
import {
  type LaunchedChromium,
  launchChromium,
  screenshot,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import type { Citizen } from '../helpers/demo-journey.js';
import { type DemoStack, startDemoStack } from '../helpers/demo-stack.js';
import { uniquePrefix } from '../helpers/redis-server.js';
import { sharedTestRedis } from '../helpers/stores.js';

const ordinary = DEMO_CITIZENS.filter((c) => c.case === 'ordinary') as unknown as Citizen[];
const [ali, zahra] = ordinary as [Citizen, Citizen];

/**
 * The person's own page in a real browser (issue 15): sign in at both demo sites, open /account
 * from a site's footer link, see both sites, withdraw one (its session ends through back-channel
 * logout, the other stays), sign in there again (consent asked), sign out everywhere (both end),
 * export (the JSON holds the verified data) and delete (the store holds nothing of the person).
 * One long flow in Persian, a shorter one in English; screenshots at 360 px.
 */
describe('browser: the person’s page /account (headless Chromium)', function () {
  this.timeout(180_000);
  let stack: DemoStack;
  let chromium: LaunchedChromium;
  let page: Page;
  let redis: Redis;
  const prefix = uniquePrefix('account');

  before(async function () {
    skipWithoutChromium(this);
    stack = await startDemoStack({ env: { REDIS_KEY_PREFIX: prefix } });
    redis = new Redis((await sharedTestRedis()).url);
    chromium = await launchChromium();
    page = chromium.page;
  });
  after(async () => {
    await chromium?.close();
    redis?.disconnect();
    await stack?.close();
  });

  const submit = async (locator = page.locator('form.form button[type="submit"]')) => {
    await Promise.all([page.waitForNavigation(), locator.first().click()]);
  };
  /** Console errors (CSP violations among them) and script errors; aborted requests of a page left early are not. */
  const pageProblems = () => chromium.problems.filter((problem) => !problem.startsWith('request failed'));
  const onProvider = () => new URL(page.url()).origin === stack.harness.issuer;

  /** Walks the provider's pages until the browser leaves them or reaches /account. */
  async function walk(citizen: Citizen): Promise<string[]> {
    const seen: string[] = [];
    for (
      let step = 0;
      step < 6 && onProvider() && !new URL(page.url()).pathname.startsWith('/account');
      step++
    ) {
      if (await page.locator('input[name="mobile"]').count()) {
        seen.push('mobile');
        await page.locator('input[name="mobile"]').fill(citizen.mobile);
        await submit();
      } else if (await page.locator('input[name="code"]').count()) {
        seen.push('code');
        await page.locator('input[name="code"]').fill(stack.harness.sms.lastCodeFor(citizen.mobile)!);
        await submit();
      } else if (await page.locator('input[name="national_code"]').count()) {
        seen.push('identity');
        await page.locator('input[name="national_code"]').fill(citizen.nationalCode);
        await page.locator('input[name="birth_date"]').fill(citizen.person.birthDate);
        await submit();
      } else if (await page.locator('button[name="decision"][value="grant"]').count()) {
        seen.push('consent');
        await submit(page.locator('button[name="decision"][value="grant"]'));
      } else break;
    }
    return seen;
  }

  const signInAt = async (siteUrl: string, citizen: Citizen) => {
    await page.goto(`${siteUrl}/login`);
    return walk(citizen);
  };
  const sessionsAt = (site: 'sales' | 'service', citizen: Citizen) =>
    stack.sites[site].rp.sessions
      .signedIn()
      .filter((s) => s.user?.claims.given_name === citizen.person.firstName).length;
  const siteCard = (name: string) => page.locator('#sites article').filter({ hasText: name });
  const waitFor = async (what: () => boolean, label: string) => {
    for (let i = 0; i < 50 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(what(), label).to.equal(true);
  };

  it('fa: both sites listed; withdraw one (back-channel), consent asked again there; sign out everywhere; export; delete', async () => {
    expect(await signInAt(stack.salesUrl, ali)).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    expect(await signInAt(stack.serviceUrl, ali)).to.deep.equal(['consent']);
    expect(sessionsAt('sales', ali)).to.equal(1);
    expect(sessionsAt('service', ali)).to.equal(1);

    // The demo site's footer link leads to the provider's page; the provider session signs the
    // person in there without a page (first-party: no consent).
    await page.goto(`${stack.serviceUrl}/`);
    await Promise.all([
      page.waitForURL((url) => url.origin === stack.harness.issuer && url.pathname === '/account'),
      page.getByRole('link', { name: 'مدیریت اطلاعاتی که دروازه به سایت‌ها می‌دهد' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).to.equal('حساب کاربری من');
    const salesName = stack.clients.sales.clientName;
    const serviceName = stack.clients.service.clientName;
    expect(await siteCard(salesName).count()).to.equal(1);
    expect(await siteCard(serviceName).count()).to.equal(1);
    // Verified data: national code masked until revealed (a link: no JavaScript needed).
    const data = page.locator('#data');
    expect(await data.textContent()).to.include(ali.person.fatherName);
    expect(await data.textContent()).to.not.include(toPersianDigits(ali.nationalCode));
    expect(await data.textContent()).to.include(toPersianDigits(ali.person.birthDate.replace(/\//g, '/')));
    expect(await data.textContent()).to.match(/۱۹\d\d-\d\d-\d\d|۱۹[۰-۹]{2}-[۰-۹]{2}-[۰-۹]{2}/);
    expect(await page.locator('#activity').textContent()).to.include('ورود به سایت');
    await screenshot(page, 'account-01-fa');
    expect(await violations(page), 'WCAG 2.1 AA (axe-core)').to.deep.equal([]);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'نمایش کد ملی' }).click()]);
    expect(await page.locator('#data').textContent()).to.include(toPersianDigits(ali.nationalCode));
    expect(pageProblems(), pageProblems().join('\n')).to.deep.equal([]);

    // Withdraw the sales site: its session ends through back-channel logout, the other stays.
    const since = Date.now();
    await submit(siteCard(salesName).getByRole('button', { name: /پس گرفتن اجازه/ }));
    expect(await page.locator('.notice--success').textContent()).to.include('اجازهٔ آن سایت پس گرفته شد');
    expect(await siteCard(salesName).count()).to.equal(0);
    expect(await siteCard(serviceName).count()).to.equal(1);
    await waitFor(() => sessionsAt('sales', ali) === 0, 'sales session ended by back-channel logout');
    expect(sessionsAt('service', ali)).to.equal(1);
    expect(stack.backchannel.filter((o) => o.at >= since).map((o) => [o.clientId, o.ok])).to.deep.equal([
      ['demo-sales', true],
    ]);

    // Signing in at the sales site again asks for consent again (the provider session holds).
    expect(await signInAt(stack.salesUrl, ali)).to.deep.equal(['consent']);
    expect(sessionsAt('sales', ali)).to.equal(1);

    // Sign out everywhere: both sites' sessions end, and this page's too.
    await page.goto(`${stack.harness.issuer}/account`);
    expect(await siteCard(salesName).count()).to.equal(1);
    await submit(page.getByRole('button', { name: 'خروج از همه‌جا' }));
    expect(await page.locator('h1').textContent()).to.equal('از حساب کاربری خارج شدید');
    expect(await violations(page), 'WCAG 2.1 AA (axe-core)').to.deep.equal([]);
    await waitFor(
      () => sessionsAt('sales', ali) === 0 && sessionsAt('service', ali) === 0,
      'both sites signed out',
    );

    // Export: back in through the journey (no session anywhere: mobile and code).
    await page.goto(`${stack.harness.issuer}/account`);
    expect(await walk(ali)).to.deep.equal(['mobile', 'code']);
    expect(new URL(page.url()).pathname).to.equal('/account');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /دریافت همهٔ اطلاعات من/ }).click(),
    ]);
    // A download ends its navigation: Chromium reports that request as aborted, which is right.
    chromium.problems.splice(
      0,
      chromium.problems.length,
      ...chromium.problems.filter((p) => !p.includes('/account/export net::ERR_ABORTED')),
    );
    const exported = JSON.parse(await streamText(await download.createReadStream())) as {
      account: Record<string, unknown>;
      sites: Array<{ client_id: string }>;
    };
    expect(exported.account).to.include({
      national_code: ali.nationalCode,
      father_name: ali.person.fatherName,
      first_name: ali.person.firstName,
      birth_date_jalali: ali.person.birthDate,
      mobile: Mobile.parse(ali.mobile)!.e164,
    });
    expect(exported.sites.map((site) => site.client_id).sort()).to.deep.equal(['demo-sales', 'demo-service']);

    // Delete: a confirmation page, then everything of the person leaves the store.
    const sub = exported.account.sub as string;
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: /حذف حساب کاربری/ }).click(),
    ]);
    await screenshot(page, 'account-02-fa-delete');
    expect(await violations(page), 'WCAG 2.1 AA (axe-core)').to.deep.equal([]);
    await submit(page.getByRole('button', { name: 'بله، حساب کاربری من حذف شود' }));
    expect(await page.locator('h1').textContent()).to.equal('حساب کاربری شما حذف شد');

    const keys = (await redis.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
    const naming = keys.filter((key) => key.includes(sub));
    expect(naming, 'no key names the person').to.deep.equal([]);
    expect(keys).to.not.include(personAuditKey(sub));
    const secrets = stack.harness.app.secrets;
    const cipher = createPersonalDataCipher({
      keys: parseEncryptionKeys(secrets.dataEncryptionKeys),
      indexKey: parseIndexKey(secrets.dataIndexKey),
    });
    const accounts = createAccountRepository({ store: stack.harness.app.store, cipher });
    expect(await accounts.findBySub(sub)).to.equal(null);
    expect(await accounts.findByMobile(Mobile.parse(ali.mobile)!)).to.equal(null);
    expect(await accounts.findByNationalCode(NationalCode.parse(ali.nationalCode)!)).to.equal(null);
    const nationalCodeIndex = `account:nc:${cipher.blindIndex(`national-code:${ali.nationalCode}`)}`;
    const mobileIndex = `account:mobile:${cipher.blindIndex(`mobile:${Mobile.parse(ali.mobile)!.e164}`)}`;
    expect(keys).to.not.include(nationalCodeIndex);
    expect(keys).to.not.include(mobileIndex);
    // No stored value (plain or JSON) carries the sub or the person's data in clear.
    for (const key of keys) {
      const type = await redis.type(`${prefix}${key}`);
      if (type !== 'string') continue;
      const value = (await redis.get(`${prefix}${key}`)) ?? '';
      for (const secret of [sub, ali.nationalCode, ali.person.fatherName, Mobile.parse(ali.mobile)!.e164])
        expect(value, `${key} holds nothing of the person`).to.not.include(secret);
    }
    // The main trail keeps that an account was deleted, with no personal data.
    const trail = await stack.harness.app.store.readLog('audit:security', 20);
    const deleted = trail.find((entry) => entry.fields.type === 'account.deleted');
    expect(deleted?.fields).to.include({ sub });
    expect(JSON.stringify(deleted?.fields)).to.not.include(ali.nationalCode);
  });

  it('en: the page in English at 360 px; withdrawing the one site', async () => {
    // A browser of its own (the first case may have stopped half-way).
    await page.context().clearCookies();
    await page.goto(`${stack.serviceUrl}/?lang=en`);
    const seen = await signInAt(stack.serviceUrl, zahra);
    expect(seen).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    await page.goto(`${stack.harness.issuer}/account?lang=en`);
    expect(await page.locator('h1').textContent()).to.equal('My account');
    expect(await page.locator('html').getAttribute('dir')).to.equal('ltr');
    const serviceName = stack.clients.service.clientName;
    expect(await page.locator('#sites article').count()).to.equal(1);
    expect(await page.locator('#data').textContent()).to.include('(Gregorian)');
    await screenshot(page, 'account-03-en');
    expect(await violations(page), 'WCAG 2.1 AA (axe-core)').to.deep.equal([]);
    await submit(page.locator('#sites').getByRole('button', { name: /Withdraw permission/ }));
    expect(await page.locator('.notice--success').textContent()).to.include('permission was withdrawn');
    expect(await page.locator('#sites').textContent()).to.include('You have not given any site');
    await waitFor(() => sessionsAt('service', zahra) === 0, 'service session ended');
    expect(serviceName).to.be.a('string');
    expect(pageProblems(), pageProblems().join('\n')).to.deep.equal([]);
  });
});

function toPersianDigits(text: string): string {
  return text.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
