import { expect } from 'chai';
import { localizeDigits } from '../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, parseForms, TestBrowser } from '../helpers/browser.js';
import {
  type Citizen,
  completePersonalInfo,
  GOOD_PERSONAL_INFO,
  nextSecondAfter,
  signedIn,
  signInAt,
  walkProvider,
} from '../helpers/demo-journey.js';
import { type DemoStack, startDemoStack } from '../helpers/demo-stack.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const [ali, zahra, mohammadreza, fatemeh] = ordinary as unknown as [Citizen, Citizen, Citizen, Citizen];
const persian = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

describe('demo sites: sales registration and the service site (whole stack over HTTP, JavaScript off)', function () {
  this.timeout(60_000);
  let stack: DemoStack;
  let addressCounter = 0;
  before(async () => {
    stack = await startDemoStack();
  });
  after(async () => stack?.close());

  /** A browser that may stop at URLs matching `intercept` (e.g. to tamper with a request). */
  const newBrowser = (intercept?: (url: URL) => boolean) =>
    new TestBrowser(intercept ?? (() => false), { 'x-forwarded-for': `198.51.100.${++addressCounter}` });

  /** Signs in at the sales site; a customer not registered yet lands on the profile page. */
  const signedInAtSales = async (citizen: Citizen, browser = newBrowser()) => {
    const walk = await signInAt(stack, browser, stack.salesUrl, citizen);
    expect(walk.page.url, walk.page.html.slice(0, 400)).to.be.oneOf([
      `${stack.salesUrl}/profile`,
      `${stack.salesUrl}/`,
    ]);
    return { browser, profile: walk.page, pages: walk.pages };
  };

  const salesUser = (citizen: Citizen) =>
    stack.sites.sales.rp.sessions
      .signedIn()
      .map((session) => session.user!)
      .find((user) => user.claims.national_code === citizen.nationalCode);

  it('the home page offers «ورود / ثبت‌نام کاربر»: Persian, right to left, no scripts', async () => {
    const home = await newBrowser().get(`${stack.salesUrl}/`);
    expect(home.status).to.equal(200);
    expect(home.html).to.include('lang="fa" dir="rtl"');
    expect(home.html).to.include('ورود / ثبت‌نام کاربر');
    expect(home.html).to.not.match(/<script/i);
    expect(home.headers.get('content-security-policy')).to.include("default-src 'none'");
  });

  it('a new customer goes through the provider and lands on the personal information page, verified data read-only', async () => {
    const { profile, pages } = await signedInAtSales(ali);
    expect(pages).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    for (const value of [
      ali.person.firstName,
      ali.person.lastName,
      ali.person.fatherName,
      persian(ali.nationalCode),
      persian(ali.person.birthDate),
      persian(ali.mobile),
    ]) {
      expect(profile.html).to.match(new RegExp(`value="${value}" readonly`));
    }
    // Verified fields are not form fields: only the three the customer completes are sent.
    const form = parseForms(profile.html).find((candidate) => candidate.action === '/profile')!;
    expect(Object.keys(form.fields)).to.deep.equal(['csrf', 'issue_date']);
    expect(profile.html).to.include('name="address"').and.include('name="education"');
    expect(profile.html).to.include('<label class="field__label" for="issue_date">');
  });

  it('the personal information is validated on the server with Persian messages tied to each field', async () => {
    const { browser, profile } = await signedInAtSales(zahra);
    const empty = await browser.submitTo(profile, '/profile', { issue_date: '', address: '', education: '' });
    expect(empty.status).to.equal(422);
    for (const field of ['issue_date', 'address', 'education']) {
      expect(empty.html).to.include(`<a href="#${field}">`);
      expect(empty.html).to.include(`id="${field}-error"`);
      expect(empty.html).to.match(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"`));
      expect(empty.html).to.match(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    }
    expect(empty.html).to.include('تاریخ صدور شناسنامه را وارد کنید.');
    expect(empty.html).to.include('نشانی محل سکونت را وارد کنید.');
    expect(empty.html).to.include('میزان تحصیلات را از فهرست انتخاب کنید.');

    const cases: Array<[Record<string, string>, string, string]> = [
      [{ issue_date: '1358/12/01' }, 'issue_date', 'تاریخ صدور باید بعد از تاریخ تولد شما باشد.'],
      [{ issue_date: zahra.person.birthDate }, 'issue_date', 'تاریخ صدور باید بعد از تاریخ تولد شما باشد.'],
      [{ issue_date: '1499/01/01' }, 'issue_date', 'تاریخ صدور نمی‌تواند در آینده باشد.'],
      [{ issue_date: '1400/12/30' }, 'issue_date', 'به تقویم شمسی وارد کنید'],
      [{ issue_date: 'دیروز' }, 'issue_date', 'به تقویم شمسی وارد کنید'],
      [{ address: 'تهران' }, 'address', 'نشانی کوتاه است'],
      [{ address: 'خیابان '.repeat(40) }, 'address', 'نشانی بلند است'],
      [{ education: 'phd-from-mars' }, 'education', 'میزان تحصیلات را از فهرست انتخاب کنید.'],
    ];
    for (const [override, field, message] of cases) {
      const page = await browser.submitTo(profile, '/profile', { ...GOOD_PERSONAL_INFO, ...override });
      expect(page.status, JSON.stringify(override)).to.equal(422);
      expect(page.html, JSON.stringify(override)).to.include(message);
      expect(page.html).to.match(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    }
    // What was typed comes back, escaped.
    const hostile = await browser.submitTo(profile, '/profile', {
      ...GOOD_PERSONAL_INFO,
      address: '<script>alert(1)</script>',
      education: '',
    });
    expect(hostile.html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile.html).to.not.include('<script>alert');
    // Without the form's CSRF token nothing is saved.
    const forged = await browser.post(`${stack.salesUrl}/profile`, GOOD_PERSONAL_INFO);
    expect(forged.status).to.equal(403);
    // Persian digits and a one-digit month are fine.
    const review = await browser.submitTo(profile, '/profile', {
      ...GOOD_PERSONAL_INFO,
      issue_date: '۱۳۸۰/۳/۵',
    });
    expect(review.url).to.equal(`${stack.salesUrl}/profile/review`);
    expect(review.html).to.include('۱۳۸۰/۰۳/۰۵');
  });

  it('«confirm registration» asks for mobile and a new SMS code, checks auth_time, then registers', async () => {
    const { browser, profile } = await signedInAtSales(mohammadreza);
    const loginAuthTime = salesUser(mohammadreza)!.authTime!;
    const review = await completePersonalInfo(browser, profile);
    expect(review.url).to.equal(`${stack.salesUrl}/profile/review`);
    expect(review.html).to.include('تأیید و ثبت نهایی');
    await nextSecondAfter(loginAuthTime);
    const smsBefore = stack.harness.sms.messages.length;
    const atProvider = await browser.submitTo(review, '/profile/confirm');
    expect(pageKind(atProvider)).to.equal('mobile');
    // A step-up: the page says why, shows the login_hint's number masked, and asks no captcha.
    expect(atProvider.html).to.include('تأیید دوباره هویت');
    expect(atProvider.html).to.include(localizeDigits('fa', `…${mohammadreza.mobile.slice(-4)}`));
    expect(atProvider.html).not.to.include('name="captcha"');
    const walk = await walkProvider(stack, browser, atProvider, mohammadreza);
    // The site now asks for registry-verified name and birth date with a purpose: the person
    // consents to that once (the verification is recent, so no identity step).
    expect(walk.pages).to.deep.equal(['mobile', 'code', 'consent']);
    expect(stack.harness.sms.messages.length).to.equal(smsBefore + 1);
    expect(walk.page.url).to.equal(`${stack.salesUrl}/registered`);
    expect(walk.page.html).to.include('ثبت‌نام شما در سایت فروش اینترنتی با موفقیت انجام شد');
    expect(walk.page.html).to.include(GOOD_PERSONAL_INFO.address);
    const user = salesUser(mohammadreza)!;
    const registration = stack.sites.sales.registrations.get(user.sub)!;
    expect(registration.confirmedAt).to.be.greaterThan(loginAuthTime);
    expect(registration.personal).to.deep.equal({
      issueDate: '1388/03/20',
      address: GOOD_PERSONAL_INFO.address,
      education: 'bachelor',
    });
    expect(registration.verified.nationalCode).to.equal(mohammadreza.nationalCode);
    // The registry check the name and birth date rest on, with its time and source, on the page.
    expect(registration.registry).to.include({
      givenName: mohammadreza.person.firstName,
      familyName: mohammadreza.person.lastName,
      recordSource: 'National Organization for Civil Registration (Sabt-e Ahval)',
    });
    expect(Date.now() / 1000 - registration.registry!.verifiedAt).to.be.within(0, 600);
    expect(walk.page.html).to.include('تأیید ثبت احوال');
    expect(walk.page.html).to.include('National Organization for Civil Registration (Sabt-e Ahval)');
    // Registered: the home page says so.
    const home = await browser.get(`${stack.salesUrl}/`);
    expect(home.html).to.include('ثبت‌نام شما کامل است.');
  });

  it('a stale auth_time is refused: the confirmation request stripped of prompt=login and max_age=0', async () => {
    let intercept = false;
    const browser = newBrowser((url) => intercept && url.searchParams.get('prompt') === 'login');
    const { profile } = await signedInAtSales(fatemeh, browser);
    const loginAuthTime = salesUser(fatemeh)!.authTime!;
    const review = await completePersonalInfo(browser, profile);
    await nextSecondAfter(loginAuthTime);
    intercept = true;
    const stopped = await browser.submitTo(review, '/profile/confirm');
    intercept = false;
    const request = new URL(stopped.url);
    expect(request.searchParams.get('max_age')).to.equal('0');
    request.searchParams.delete('prompt');
    request.searchParams.delete('max_age');
    // The provider still has the session: it answers with the old authentication, once the
    // person consented to the registry-verified data the confirmation asks for.
    let back = await browser.get(request.toString());
    if (pageKind(back) === 'consent')
      back = await browser.submit(back, {}, { name: 'decision', value: 'grant' });
    expect(back.url.startsWith(`${stack.salesUrl}/callback`)).to.equal(true);
    expect(back.status).to.equal(403);
    expect(back.html).to.include('تأیید تازه‌ای انجام نشد');
    const user = salesUser(fatemeh)!;
    expect(stack.sites.sales.registrations.has(user.sub)).to.equal(false);
    // The draft is kept: the customer can confirm properly.
    await nextSecondAfter(loginAuthTime + 1);
    const retry = await browser.submitTo(back, '/profile/confirm');
    const walk = await walkProvider(stack, browser, retry, fatemeh);
    expect(walk.page.url).to.equal(`${stack.salesUrl}/registered`);
  });

  it('a confirmation made by another person never completes the registration', async () => {
    const { browser, profile } = await signedInAtSales(zahra);
    const zahraSub = salesUser(zahra)!.sub;
    const review = await completePersonalInfo(browser, profile);
    await nextSecondAfter(salesUser(zahra)!.authTime!);
    const atProvider = await browser.submitTo(review, '/profile/confirm');
    // Someone else types their own mobile and code on the confirmation page.
    const walk = await walkProvider(stack, browser, atProvider, ali);
    // oidc-provider ends the first person's provider session before signing in the second one,
    // and its back-channel logout ends her session at the sales site: the callback then finds no
    // session (400). Were her session still there, the sub check refuses it (403).
    expect(walk.pages).to.include('switch-account');
    expect(walk.page.url.startsWith(`${stack.salesUrl}/callback`)).to.equal(true);
    expect(walk.page.status).to.be.oneOf([400, 403]);
    if (walk.page.status === 403) expect(walk.page.html).to.include('تأیید با حساب دیگری انجام شد');
    expect(stack.sites.sales.registrations.has(zahraSub)).to.equal(false);
    const aliSub = salesUser(ali)?.sub;
    if (aliSub) expect(stack.sites.sales.registrations.has(aliSub)).to.equal(false);
  });

  it('a confirmation that comes back for another person (a different sub) is refused', async () => {
    let intercept = false;
    const victim = newBrowser((url) => intercept && url.searchParams.get('prompt') === 'login');
    const { profile } = await signedInAtSales(mohammadreza, victim);
    const victimSub = salesUser(mohammadreza)!.sub;
    stack.sites.sales.registrations.delete(victimSub); // registered by an earlier test
    const review = await completePersonalInfo(victim, await victim.get(`${stack.salesUrl}/profile`));
    expect(review.url).to.equal(`${stack.salesUrl}/profile/review`);
    await nextSecondAfter(salesUser(mohammadreza)!.authTime!);
    intercept = true;
    const confirmRequest = (await victim.submitTo(review, '/profile/confirm')).url;
    intercept = false;
    // Another person completes that very request in their own browser (code injection)…
    const callbackPath = `${stack.salesUrl}/callback`;
    const other = newBrowser((url) => url.href.startsWith(callbackPath));
    const otherWalk = await walkProvider(stack, other, await other.get(confirmRequest), ali);
    expect(otherWalk.page.url.startsWith(callbackPath)).to.equal(true);
    // …and the callback (code and state) is replayed into the first person's browser.
    const back = await victim.get(otherWalk.page.url);
    expect(back.status).to.equal(403);
    expect(back.html).to.include('تأیید با حساب دیگری انجام شد');
    expect(stack.sites.sales.registrations.has(victimSub)).to.equal(false);
    expect(profile.status).to.equal(200);
  });

  it('the service site: a person signed in at the sales site only consents, and sees the narrower data it got', async () => {
    const browser = newBrowser();
    await signedInAtSales(fatemeh, browser);
    const smsBefore = stack.harness.sms.messages.length;
    const walk = await signInAt(stack, browser, stack.serviceUrl, fatemeh);
    expect(walk.pages).to.deep.equal(['consent']);
    expect(stack.harness.sms.messages.length).to.equal(smsBefore);
    const page: Page = walk.page;
    expect(page.url).to.equal(`${stack.serviceUrl}/`);
    expect(signedIn(page)).to.equal(true);
    expect(page.html).to.include(fatemeh.person.firstName);
    expect(page.html).to.include('+98');
    expect(page.html).to.not.include(fatemeh.nationalCode);
    expect(page.html).to.not.include(persian(fatemeh.nationalCode));
    expect(page.html).to.include('کد ملی و نام پدر برای این سایت فرستاده نشده است');
    // What the site may do, in words, not protocol names.
    expect(page.html).to.include('اجازه‌ای که داده‌اید: مشخصات (نام، جنسیت و تاریخ تولد)، شماره همراه.');
    expect(page.html).not.to.match(/scope|openid/i);
    const user = stack.sites.service.rp.sessions
      .signedIn()
      .find((session) => session.user?.claims.given_name === fatemeh.person.firstName)?.user;
    expect(user?.claims).to.not.have.property('national_code');
    expect(user?.claims).to.not.have.property('father_name');
    expect(user?.sid).to.be.a('string');
  });

  it('a denied consent at the service site leaves no session and says so in Persian', async () => {
    const browser = newBrowser();
    await signedInAtSales(ali, browser);
    const before = stack.sites.service.rp.sessions.signedIn().length;
    const walk = await signInAt(stack, browser, stack.serviceUrl, ali, { decision: 'deny' });
    expect(walk.page.status).to.equal(403);
    expect(walk.page.html).to.include('شما اجازهٔ ورود یکپارچه را به این سایت ندادید');
    expect(stack.sites.service.rp.sessions.signedIn().length).to.equal(before);
  });

  it('cancelling is not reported as a refused permission', async () => {
    const browser = newBrowser();
    const mobilePage = await browser.get(`${stack.serviceUrl}/login`);
    const cancel = /href="([^"]*\/abort)"/.exec(mobilePage.html)?.[1];
    expect(cancel, 'the mobile page offers a way back to the site').to.be.a('string');
    const back = await browser.get(new URL(cancel!.replaceAll('&amp;', '&'), mobilePage.url).toString());
    expect(back.url.startsWith(stack.serviceUrl)).to.equal(true);
    expect(back.html).to.include('ورود لغو شد');
    expect(back.html).not.to.include('اجازهٔ ورود یکپارچه را به این سایت ندادید');
  });

  it('the language switch: ?lang=en gives an English, left-to-right site, remembered, and the provider is asked for English', async () => {
    const browser = newBrowser();
    const persianHome = await browser.get(`${stack.serviceUrl}/`);
    expect(persianHome.html).to.include('<a href="/?lang=en" lang="en" hreflang="en">English</a>');

    const home = await browser.get(`${stack.serviceUrl}/?lang=en`);
    expect(home.status).to.equal(200);
    expect(home.html).to.include('<html lang="en" dir="ltr">');
    expect(home.html).to.include('Sign in with Darvaze');
    expect(home.html).to.include('<a href="/?lang=fa" lang="fa" hreflang="fa">فارسی</a>');
    expect(home.html).to.not.include('ورود با حساب دروازه').and.not.include('خدمات پس از فروش');

    // The `lang` cookie keeps the choice on the next page without `?lang=`.
    const again = await browser.get(`${stack.serviceUrl}/`);
    expect(again.html).to.include('<html lang="en" dir="ltr">');

    // The sign-in link sends the browser to the provider with ui_locales=en …
    const toProvider = new TestBrowser((url) => url.pathname === '/auth', {
      'x-forwarded-for': `198.51.100.${++addressCounter}`,
    });
    await toProvider.get(`${stack.serviceUrl}/?lang=en`);
    const redirect = await toProvider.get(`${stack.serviceUrl}/login`);
    const authorization = new URL(redirect.url);
    expect(authorization.pathname).to.equal('/auth');
    expect(authorization.searchParams.get('ui_locales')).to.equal('en');

    // … so the journey speaks English too; switching back asks for Persian again.
    const providerPage = await browser.get(`${stack.serviceUrl}/login`);
    expect(providerPage.html).to.include('lang="en"');
    const back = new TestBrowser((url) => url.pathname === '/auth');
    await back.get(`${stack.salesUrl}/?lang=fa`);
    const persianRedirect = await back.get(`${stack.salesUrl}/login`);
    expect(new URL(persianRedirect.url).searchParams.get('ui_locales')).to.equal('fa');
  });

  it('a callback that does not match this browser’s request is refused', async () => {
    const page = await newBrowser().get(`${stack.salesUrl}/callback?code=abc&state=forged`);
    expect(page.status).to.equal(400);
    expect(page.html).to.include('ورود انجام نشد');
  });
});
