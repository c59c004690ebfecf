/**
 * Attack (issue 10, item 7): behind the TLS proxy (TRUST_PROXY=true) the provider believed the
 * leftmost X-Forwarded-For entry, which the client writes. Rotating it sent 65 SMS from one
 * client past the 60/hour per-address cap. The proxy appends the address it really saw, so the
 * attacker's requests arrive as "X-Forwarded-For: <anything>, 203.0.113.9".
 *
 * Replayed over HTTP (a cookie-keeping fetch with manual redirects, no app helpers) with a small
 * per-address cap for speed, the captcha off (as in the harness) and a new mobile every time, so
 * neither the captcha nor the per-mobile cap is what stops it.
 */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import { type Page, pageKind, TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, type Harness, startHarness } from '../helpers/harness.js';

const CAP = 3;
const REAL_ADDRESS = '203.0.113.9';

describe('attack: rotating a client-written X-Forwarded-For entry to dodge the per-address SMS cap', function () {
  this.timeout(60_000);
  let harness: Harness;
  let mobileCounter = 0;

  before(async () => {
    harness = await startHarness({ store: 'memory', env: { SMS_PER_ADDRESS_HOUR: String(CAP) } });
  });
  after(async () => harness?.close());

  /** A fresh sign-in whose every request carries `forwardedFor`, up to the mobile page. */
  async function mobilePage(forwardedFor: string): Promise<{ browser: TestBrowser; page: Page }> {
    const browser = new TestBrowser(() => false, { 'x-forwarded-for': forwardedFor });
    const sales = harness.clients.sales;
    if (!sales) throw new Error('sales client missing');
    const page = await browser.get((await authorizationRequest(sales)).url.toString());
    expect(pageKind(page)).to.equal('mobile');
    return { browser, page };
  }

  /** Asks for a code to a mobile nobody used yet; true when an SMS left. */
  async function requestCode(forwardedFor: string): Promise<boolean> {
    const { browser, page } = await mobilePage(forwardedFor);
    const mobile = `0912${String(3_000_000 + ++mobileCounter).padStart(7, '0')}`;
    const before = harness.sms.messages.length;
    const after = await browser.submit(page, { mobile, captcha: '' });
    const sent = harness.sms.messages.length > before;
    expect(after.status, `status after asking a code for ${mobile}`).to.equal(sent ? 200 : 429);
    return sent;
  }

  it('counts every request as the address the proxy saw, whatever the client writes left of it', async () => {
    let sent = 0;
    for (let attempt = 0; attempt < CAP + 3; attempt++) {
      const spoofed = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
      if (await requestCode(`${spoofed}, ${REAL_ADDRESS}`)) sent++;
    }
    expect(sent, 'SMS sent from one real address').to.equal(CAP);
  });

  it('still serves another client behind the same proxy', async () => {
    expect(await requestCode('10.1.2.3, 203.0.113.10')).to.equal(true);
  });
});
