import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { translate } from '../../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import { pageKind } from '../../helpers/browser.js';
import {
  authorizationRequest,
  browserFor,
  type Harness,
  redeem,
  startHarness,
} from '../../helpers/harness.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const fa = (key: string) => translate('fa', key);

/**
 * The SMS gateway (fake Kavenegar over HTTP) fails while people sign in. The user gets a clear
 * "sending failed, try again" page (503), and a failed send is charged to nobody: not the
 * per-mobile or per-address caps, not the resend cooldown, not the wrong-code count. The caps
 * are set low (2 sends per mobile an hour) so any charge would show as a refusal.
 * (Send caps and lockout with a working gateway: test/e2e/journey-refusals.test.ts.)
 */
describe('scale: SMS gateway failure and recovery', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({
      env: {
        SMS_PER_MOBILE_HOUR: '2',
        SMS_PER_ADDRESS_HOUR: '3',
        SMS_COOLDOWN_SECONDS: '1',
        OTP_MAX_WRONG: '2',
      },
    });
  });
  after(async () => harness?.close());

  it('a failing gateway shows a clear page and charges no send, cooldown or attempt', async () => {
    const citizen = ordinary[0]!;
    const client = harness.clients.sales!;
    const browser = browserFor(harness, '203.0.113.77');
    const request = await authorizationRequest(client);
    let page = await browser.get(request.url.toString());
    const mobilePage = page;

    harness.sms.setFailing(true);
    const accepted = harness.sms.messages.length;
    // More failed tries than the per-mobile (2) and per-address (3) caps allow sends.
    for (let attempt = 0; attempt < 4; attempt++) {
      page = await browser.submit(mobilePage, { mobile: citizen.mobile, captcha: '' });
      expect(page.status).to.equal(503);
      expect(pageKind(page)).to.equal('mobile');
      expect(page.html).to.include(fa('sms.failed'));
    }
    expect(harness.sms.messages.length, 'nothing was delivered').to.equal(accepted);

    harness.sms.setFailing(false);
    page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    expect(pageKind(page), 'first real send is allowed').to.equal('code');
    const codePage = page;

    // A resend that fails: clear page, and neither the cap nor the cooldown is charged.
    await sleep(1100);
    harness.sms.setFailing(true);
    page = await browser.submitTo(codePage, '/resend');
    expect(page.status).to.equal(503);
    expect(page.html).to.include(fa('sms.failed'));
    harness.sms.setFailing(false);
    page = await browser.submitTo(page, '/resend');
    expect(pageKind(page), 'resend right after a failed one: no cooldown was charged').to.equal('code');
    expect(page.status).to.equal(200);

    // Two sends made (the cap): a third is refused, proving exactly the real sends were counted.
    await sleep(1100);
    const capped = await browser.submitTo(page, '/resend');
    expect(capped.status).to.equal(429);

    // No wrong attempt was charged either (OTP_MAX_WRONG=2): one wrong code, then the right one.
    page = await browser.submit(page, { code: '000000' });
    expect(page.status).to.equal(400);
    page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
    expect(pageKind(page), 'the code was accepted: no lockout').to.equal('identity');
    page = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    page = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
    expect(new URL(page.url).origin, page.html.slice(0, 300)).to.equal(harness.callbackBase);
    expect((await redeem(client, request, page)).claims()!.national_code).to.equal(citizen.nationalCode);
  });
});
