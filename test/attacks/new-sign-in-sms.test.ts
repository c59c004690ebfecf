/**
 * Attack: send SMS to one number faster than the resend cooldown by starting new sign-ins.
 * On 822588c the cooldown belonged to one sign-in: five new sign-ins sent five SMS to one number
 * in one second. Here: five sign-ins at once and five one after the other, for a registered and
 * an unknown number, over HTTP with a fresh cookie jar (and address) each.
 */
import { expect } from 'chai';
import { translate } from '../../src/i18n/index.js';
import { pageKind } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';
import { ORDINARY, UNKNOWN_MOBILE } from '../security/support.js';

const ROUNDS = 5;

describe('attack: one SMS per new sign-in, past the resend cooldown', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.close());

  async function newSignIn(mobile: string, address: string) {
    const browser = browserFor(harness, address);
    const request = await authorizationRequest(harness.clients.sales!);
    const page = await browser.get(request.url.toString());
    expect(pageKind(page)).to.equal('mobile');
    return browser.submit(page, { mobile, captcha: '' });
  }

  const sentTo = (mobile: string) => harness.sms.messages.filter((m) => m.receptor === mobile).length;
  /** The page with what varies per sign-in (ids, CSRF token, seconds left) blanked out. */
  const normalise = (html: string) =>
    html
      .replace(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/UID')
      .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="CSRF"')
      .replace(/[0-9۰-۹]+/g, 'N');

  it('five simultaneous and five successive new sign-ins send one SMS; the page says when, alike for everyone', async () => {
    const pages: string[] = [];
    for (const mobile of [ORDINARY[0]!.mobile, UNKNOWN_MOBILE]) {
      const before = sentTo(mobile);
      const burst = await Promise.all(
        Array.from({ length: ROUNDS }, (_, i) => newSignIn(mobile, `198.51.100.${40 + i}`)),
      );
      const successive = [];
      for (let i = 0; i < ROUNDS; i++) successive.push(await newSignIn(mobile, `198.51.100.${50 + i}`));
      expect(sentTo(mobile) - before, mobile).to.equal(1);

      const answers = [...burst, ...successive];
      expect(answers.filter((page) => pageKind(page) === 'code')).to.have.length(1);
      const refused = answers.filter((page) => pageKind(page) !== 'code');
      expect(refused).to.have.length(2 * ROUNDS - 1);
      for (const page of refused) {
        expect(page.status).to.equal(429);
        // It says when a new code can be sent, and the person can try again from the same page.
        expect(page.html).to.include(translate('fa', 'sms.mobileCooldown', { seconds: 0 }).slice(0, 25));
        expect(pageKind(page)).to.equal('mobile');
      }
      pages.push(normalise(refused.at(-1)!.html));
    }
    // A registered and an unknown number get the same page: the cooldown reveals no account.
    expect(pages[0]).to.equal(pages[1]);
  });
});
