import { expect } from 'chai';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { pageKind } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const [ali, zahra, mohammadreza, fatemeh] = ordinary as [
  (typeof ordinary)[number],
  (typeof ordinary)[number],
  (typeof ordinary)[number],
  (typeof ordinary)[number],
];

describe('sign-in journey (provider, Redis, identity simulator and SMS gateway over HTTP)', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('a new user goes mobile > code > identity > consent and the site receives the verified claims', async () => {
    const citizen = ali;
    const client = harness.clients.sales!;
    const outcome = await signIn(harness, browserFor(harness), client, citizen);
    expect(outcome.pages).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    expect(outcome.atCallback, outcome.last.html.slice(0, 500)).to.equal(true);
    const tokens = await redeem(client, outcome.request, outcome.last);
    const claims = tokens.claims()!;
    expect(claims).to.include({
      given_name: citizen.person.firstName,
      family_name: citizen.person.lastName,
      gender: citizen.person.gender,
      birthdate_jalali: citizen.person.birthDate,
      birthdate: '1991-08-05',
      phone_number: `+98${citizen.mobile.slice(1)}`,
      phone_number_verified: true,
      national_code: citizen.nationalCode,
      father_name: citizen.person.fatherName,
    });
    expect(claims.name).to.include(citizen.person.firstName).and.include(citizen.person.lastName);
    expect(claims.sub).to.not.include(citizen.nationalCode.slice(0, 7));
    expect(claims.amr).to.deep.equal(['sms', 'otp']);
    const userinfo = await oidc.fetchUserInfo(client.config, tokens.access_token, claims.sub);
    expect(userinfo.national_code).to.equal(citizen.nationalCode);
    expect(userinfo.phone_number).to.equal(claims.phone_number);
  });

  it('a returning user in a new browser does mobile > code only, with the same sub', async () => {
    const client = harness.clients.sales!;
    const first = await signIn(harness, browserFor(harness), client, zahra);
    const firstSub = (await redeem(client, first.request, first.last)).claims()!.sub;
    const again = await signIn(harness, browserFor(harness), client, zahra);
    expect(again.pages).to.deep.equal(['mobile', 'code']);
    expect(again.atCallback).to.equal(true);
    expect((await redeem(client, again.request, again.last)).claims()!.sub).to.equal(firstSub);
  });

  it('SSO: a second site needs only consent, gets only its scopes; a third visit needs nothing', async () => {
    const browser = browserFor(harness);
    await signIn(harness, browser, harness.clients.sales!, mohammadreza);
    const service = harness.clients.service!;
    const second = await signIn(harness, browser, service, mohammadreza);
    expect(second.pages).to.deep.equal(['consent']);
    const claims = (await redeem(service, second.request, second.last)).claims()!;
    expect(claims.given_name).to.equal(mohammadreza.person.firstName);
    expect(claims).to.not.have.property('national_code');
    expect(claims).to.not.have.property('father_name');
    const third = await signIn(harness, browser, service, mohammadreza);
    expect(third.pages).to.deep.equal([]);
    expect(third.atCallback).to.equal(true);
  });

  it('prompt=login and max_age=0 ask for mobile and code again; auth_time moves on', async () => {
    const browser = browserFor(harness);
    const client = harness.clients.sales!;
    const first = await signIn(harness, browser, client, fatemeh);
    const firstAuthTime = (await redeem(client, first.request, first.last)).claims()!.auth_time as number;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const params of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      const again = await signIn(harness, browser, client, fatemeh, { params });
      expect(again.pages, JSON.stringify(params)).to.deep.equal(['mobile', 'code']);
      const claims = (await redeem(client, again.request, again.last)).claims()!;
      expect(claims.auth_time).to.be.greaterThan(firstAuthTime);
    }
  });

  it('consent is asked again only when a site wants more data', async () => {
    const browser = browserFor(harness);
    await signIn(harness, browser, harness.clients.sales!, ali);
    const service = harness.clients.service!;
    const narrow = await signIn(harness, browser, service, ali, { params: { scope: 'openid phone' } });
    expect(narrow.pages).to.deep.equal(['consent']);
    const wider = await signIn(harness, browser, service, ali, { params: { scope: 'openid phone profile' } });
    expect(wider.pages).to.deep.equal(['consent']);
    const same = await signIn(harness, browser, service, ali, { params: { scope: 'openid profile' } });
    expect(same.pages).to.deep.equal([]);
  });

  it('prompt=consent asks for consent again', async () => {
    const browser = browserFor(harness);
    await signIn(harness, browser, harness.clients.sales!, ali);
    const again = await signIn(harness, browser, harness.clients.sales!, ali, {
      params: { prompt: 'consent' },
    });
    expect(again.pages).to.deep.equal(['consent']);
  });

  it('prompt=none answers login_required without a session and consent_required for a new site', async () => {
    const anonymous = browserFor(harness);
    const request = await authorizationRequest(harness.clients.sales!, { prompt: 'none' });
    const page = await anonymous.get(request.url.toString());
    expect(new URL(page.url).searchParams.get('error')).to.equal('login_required');

    const browser = browserFor(harness);
    await signIn(harness, browser, harness.clients.sales!, zahra);
    const toService = await authorizationRequest(harness.clients.service!, { prompt: 'none' });
    const answer = await browser.get(toService.url.toString());
    expect(new URL(answer.url).searchParams.get('error')).to.equal('consent_required');
    expect(new URL(answer.url).searchParams.get('state')).to.equal(toService.state);
  });

  it('login_hint pre-fills the mobile field', async () => {
    const request = await authorizationRequest(harness.clients.sales!, { login_hint: '+989121234567' });
    const page = await browserFor(harness).get(request.url.toString());
    expect(pageKind(page)).to.equal('mobile');
    expect(page.html).to.match(/name="mobile"[^>]*value="09121234567"|value="09121234567"[^>]*name="mobile"/);
  });

  it('speaks Persian by default, English for ui_locales=en, and switches with ?lang=', async () => {
    const browser = browserFor(harness);
    const persian = await browser.get((await authorizationRequest(harness.clients.sales!)).url.toString());
    expect(persian.html).to.match(/<html lang="fa" dir="rtl">/);
    const english = await browserFor(harness).get(
      (await authorizationRequest(harness.clients.sales!, { ui_locales: 'en' })).url.toString(),
    );
    expect(english.html).to.match(/<html lang="en" dir="ltr">/);
    const switched = await browser.get(`${persian.url}?lang=en`);
    expect(switched.html).to.match(/<html lang="en" dir="ltr">/);
    // The choice sticks (cookie) for the next page of the same browser.
    const next = await browser.get(persian.url);
    expect(next.html).to.match(/<html lang="en" dir="ltr">/);
  });

  it('deny returns access_denied with the state and no code', async () => {
    const outcome = await signIn(harness, browserFor(harness), harness.clients.service!, fatemeh, {
      decision: 'deny',
    });
    expect(outcome.atCallback).to.equal(true);
    const callback = new URL(outcome.last.url);
    expect(callback.searchParams.get('error')).to.equal('access_denied');
    expect(callback.searchParams.get('state')).to.equal(outcome.request.state);
    expect(callback.searchParams.has('code')).to.equal(false);
  });

  it('an unknown or expired interaction shows a friendly page, not a stack trace', async () => {
    const page = await browserFor(harness).get(`${harness.issuer}/interaction/does-not-exist`);
    expect(page.status).to.equal(400);
    expect(page.html).to.include('lang="fa"');
    expect(page.html).to.not.match(/at .*\.(js|ts):\d+/);
  });

  it('a restart of the provider in the middle of a sign-in loses nothing', async () => {
    const browser = browserFor(harness);
    const client = harness.clients.sales!;
    const request = await authorizationRequest(client);
    let page = await browser.get(request.url.toString());
    page = await browser.submit(page, { mobile: ali.mobile, captcha: '' });
    expect(pageKind(page)).to.equal('code');
    await harness.restart();
    page = await browser.submit(page, { code: harness.sms.lastCodeFor(ali.mobile)! });
    expect(new URL(page.url).origin).to.equal(harness.callbackBase);
    expect((await redeem(client, request, page)).claims()!.national_code).to.equal(ali.nationalCode);
  });
});
