/**
 * Log leakage: the app's own logger (src/logging/logger.ts, with its redaction) at `trace` over a
 * full journey, a token exchange, userinfo, a refresh, an introspection, a wrong code, a refused
 * identity check and an upstream failure. Nothing a person typed or received may be in it: no
 * SMS code, token, cookie value, national code, mobile (any format), name or birth date.
 */
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { REDACTED_PATHS } from '../../src/logging/logger.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { type CapturedLogger, captureLogger, leaksIn, ORDINARY, personalNeedles } from './support.js';

const citizen = ORDINARY[0]!;
const failing = DEMO_CITIZENS.find((c) => c.case === 'upstream-failure')!;
const notOwner = DEMO_CITIZENS.find((c) => c.case === 'mobile-not-owned')!;

describe('log redaction over whole journeys at level trace', function () {
  this.timeout(60_000);
  let harness: Harness;
  let captured: CapturedLogger;
  const secrets: string[] = [];

  before(async () => {
    captured = captureLogger();
    harness = await startHarness({ overrides: { logger: captured.logger } });
  });
  after(async () => harness?.close());

  it('writes request lines with request ids, and none of the secrets or personal data of the run', async () => {
    const client = harness.clients.sales!;
    const browser = browserFor(harness);
    const outcome = await signIn(harness, browser, client, citizen, { params: { prompt: 'consent' } });
    expect(outcome.atCallback).to.equal(true);
    const code = new URL(outcome.last.url).searchParams.get('code')!;
    const tokens = await redeem(client, outcome.request, outcome.last);
    await oidc.fetchUserInfo(client.config, tokens.access_token, tokens.claims()!.sub);
    const refreshed = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    await oidc.tokenIntrospection(client.config, refreshed.access_token);
    secrets.push(
      code,
      tokens.access_token,
      tokens.refresh_token!,
      tokens.id_token!,
      refreshed.access_token,
      refreshed.refresh_token!,
      ...harness.sms.messages.map((message) => message.token),
      client.metadata.client_secret!,
    );
    const issuer = new URL(harness.issuer);
    for (const pair of browser.cookieHeader(issuer).split('; ')) {
      const [name, value] = pair.split('=') as [string, string];
      // The interaction cookies carry the interaction id, which is in the page's URL by design;
      // the session cookie and every signature are the secrets.
      if (!/interaction|resume/.test(name) || name.endsWith('.sig')) secrets.push(value);
    }

    // Refusals and failures log too: a wrong code, someone else's mobile, the registry down.
    const wrong = browserFor(harness, '198.51.100.90');
    let page = await wrong.get((await authorizationRequest(client)).url.toString());
    page = await wrong.submit(page, { mobile: citizen.mobile, captcha: '' });
    await wrong.submit(page, { code: '123456' });
    for (const person of [notOwner, failing]) {
      const other = browserFor(harness, '198.51.100.91');
      let step = await other.get((await authorizationRequest(client)).url.toString());
      step = await other.submit(step, { mobile: person.mobile, captcha: '' });
      step = await other.submit(step, { code: harness.sms.lastCodeFor(person.mobile)! });
      step = await other.submit(step, {
        national_code: person.nationalCode,
        birth_date: person.person.birthDate,
      });
      expect(step.status).to.be.oneOf([422, 503]);
      secrets.push(harness.sms.lastCodeFor(person.mobile)!);
    }

    const text = captured.text();
    const lines = captured.lines();
    expect(lines.length).to.be.above(20);
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests.length).to.be.above(10);
    for (const line of requests) expect(line.requestId).to.be.a('string').with.length.above(7);

    const needles = [
      ...[citizen, failing, notOwner].flatMap(personalNeedles),
      ...secrets.filter((s) => s.length >= 6),
    ];
    expect(leaksIn(text, needles)).to.deep.equal([]);
    // The SMS code is six digits: check for it as a whole word, not as part of a timestamp.
    for (const message of harness.sms.messages) {
      expect(text).to.not.match(new RegExp(`(?<![0-9])${message.token}(?![0-9])`));
    }
    // Query strings (codes, state, tokens) never reach the access log.
    for (const line of requests) expect(String(line.path)).to.not.include('?');
  });

  it('the redaction list catches the usual field names wherever they are nested one deep', () => {
    const probe = captureLogger();
    probe.logger.info(
      {
        user: {
          mobile: citizen.mobile,
          nationalCode: citizen.nationalCode,
          firstName: citizen.person.firstName,
        },
        body: { code: '123456', national_code: citizen.nationalCode, birth_date: citizen.person.birthDate },
        tokens: {
          access_token: 'at-secret-value',
          refresh_token: 'rt-secret-value',
          id_token: 'idt-secret-value',
        },
        req: {
          headers: { cookie: 'darvaze.session=session-secret', authorization: 'Bearer at-secret-value' },
        },
      },
      'probe',
    );
    const text = probe.text();
    expect(
      leaksIn(text, [...personalNeedles(citizen), '123456', 'secret-value', 'session-secret']),
    ).to.deep.equal([]);
    expect(text).to.include('[redacted]');
    expect(REDACTED_PATHS).to.include.members(['*.mobile', '*.code', '*.access_token', 'req.headers.cookie']);
  });
});
