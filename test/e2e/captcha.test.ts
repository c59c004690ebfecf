import { expect } from 'chai';
import { pageKind } from '../helpers/browser.js';
import { captchaAnswers } from '../helpers/captcha-answers.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

describe('the captcha before any SMS', function () {
  this.timeout(30_000);
  let harness: Harness;
  const captcha = captchaAnswers();
  before(async () => {
    harness = await startHarness(captcha.harness());
  });
  after(async () => harness?.close());

  it('shows an image, refuses a wrong or missing answer without sending an SMS, accepts the right one in Persian digits', async () => {
    const browser = browserFor(harness);
    const request = await authorizationRequest(harness.clients.sales!);
    let page = await browser.get(request.url.toString());
    expect(page.html).to.match(
      /<img class="captcha__image" src="data:image\/jpeg;base64,[A-Za-z0-9+/=]+" alt="[^"]+"/,
    );
    expect(page.html).to.include('name="captcha"');
    const sent = harness.sms.messages.length;

    for (const wrong of [
      '',
      '00000',
      captcha.last.split('').reverse().join('') === captcha.last
        ? '11111'
        : captcha.last.split('').reverse().join(''),
    ]) {
      page = await browser.submit(page, { mobile: '09121234567', captcha: wrong });
      expect(page.status).to.equal(400);
      expect(pageKind(page)).to.equal('mobile');
    }
    expect(harness.sms.messages.length).to.equal(sent);

    const persian = captcha.last.replace(/\d/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]!);
    page = await browser.submit(page, { mobile: '09121234567', captcha: persian });
    expect(pageKind(page)).to.equal('code');
    expect(harness.sms.messages.length).to.equal(sent + 1);
  });

  it('a solved captcha cannot be reused', async () => {
    const browser = browserFor(harness);
    const request = await authorizationRequest(harness.clients.sales!);
    const page = await browser.get(request.url.toString());
    const answer = captcha.last;
    const form = { mobile: '09352345678', captcha: answer };
    const first = await browser.submit(page, form);
    expect(pageKind(first)).to.equal('code');
    const replay = await browser.submit(page, form);
    expect(replay.status).to.equal(400);
    expect(harness.sms.messages.filter((m) => m.receptor === '09352345678')).to.have.length(1);
  });
});
