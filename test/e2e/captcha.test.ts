import { expect } from 'chai';
import { generateDigitChallenge } from '../../src/captcha/captcha.js';
import { pageKind } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';

describe('the captcha before any SMS', function () {
  this.timeout(30_000);
  let harness: Harness;
  let lastAnswer = '';
  before(async () => {
    harness = await startHarness({
      env: { CAPTCHA: 'image' },
      overrides: {
        captchaChallenge: () => {
          const challenge = generateDigitChallenge();
          lastAnswer = challenge.text;
          return challenge;
        },
      },
    });
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
      lastAnswer.split('').reverse().join('') === lastAnswer
        ? '11111'
        : lastAnswer.split('').reverse().join(''),
    ]) {
      page = await browser.submit(page, { mobile: '09121234567', captcha: wrong });
      expect(page.status).to.equal(400);
      expect(pageKind(page)).to.equal('mobile');
    }
    expect(harness.sms.messages.length).to.equal(sent);

    const persian = lastAnswer.replace(/\d/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]!);
    page = await browser.submit(page, { mobile: '09121234567', captcha: persian });
    expect(pageKind(page)).to.equal('code');
    expect(harness.sms.messages.length).to.equal(sent + 1);
  });

  it('a solved captcha cannot be reused', async () => {
    const browser = browserFor(harness);
    const request = await authorizationRequest(harness.clients.sales!);
    const page = await browser.get(request.url.toString());
    const answer = lastAnswer;
    const form = { mobile: '09352345678', captcha: answer };
    const first = await browser.submit(page, form);
    expect(pageKind(first)).to.equal('code');
    const replay = await browser.submit(page, form);
    expect(replay.status).to.equal(400);
    expect(harness.sms.messages.filter((m) => m.receptor === '09352345678')).to.have.length(1);
  });
});
