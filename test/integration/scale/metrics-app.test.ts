import { expect } from 'chai';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import { pageKind } from '../../helpers/browser.js';
import {
  authorizationRequest,
  browserFor,
  type Harness,
  redeem,
  startHarness,
} from '../../helpers/harness.js';
import { signIn } from '../../helpers/journey.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const TOKEN = 'metrics-token-0123456789abcdef0123456789';

/** One sample's value from the exposition text, e.g. `sample(text, 'x_total{a="b"}')`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * /metrics of the whole app after real sign-ins: the wiring in app.ts feeds every family
 * (HTTP by route pattern, sign-ins, codes, SMS, identity service, oidc-provider grants and
 * tokens, store latency), behind the bearer token, with no personal data in any label.
 */
describe('scale: /metrics of the running app', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { METRICS_TOKEN: TOKEN } });
  });
  after(async () => harness?.close());

  const scrape = async () => {
    const response = await fetch(`${harness.issuer}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).to.equal(200);
    return response.text();
  };

  it('counts the journey end to end', async () => {
    const [ali, zahra] = ordinary as [(typeof ordinary)[number], (typeof ordinary)[number]];
    const client = harness.clients.sales!;
    const first = await signIn(harness, browserFor(harness), client, ali, { params: { prompt: 'consent' } });
    const tokens = await redeem(client, first.request, first.last);
    await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    await signIn(harness, browserFor(harness), client, ali);

    // A wrong code and a failed SMS send.
    const browser = browserFor(harness, '203.0.113.9');
    const request = await authorizationRequest(client);
    let page = await browser.get(request.url.toString());
    harness.sms.setFailing(true);
    page = await browser.submit(page, { mobile: zahra.mobile, captcha: '' });
    harness.sms.setFailing(false);
    expect(page.status).to.equal(503);
    page = await browser.submit(page, { mobile: zahra.mobile, captcha: '' });
    expect(pageKind(page)).to.equal('code');
    await browser.submit(page, { code: '000000' });

    const text = await scrape();
    expect(sample(text, 'darvaze_signins_started_total{prompt="login"}')).to.be.at.least(3);
    expect(sample(text, 'darvaze_signins_completed_total{kind="verified"}')).to.equal(1);
    expect(sample(text, 'darvaze_signins_completed_total{kind="returning"}')).to.equal(1);
    expect(sample(text, 'darvaze_signin_failures_total{step="sms",reason="gateway"}')).to.equal(1);
    expect(sample(text, 'darvaze_sms_total{outcome="sent"}')).to.equal(3);
    expect(sample(text, 'darvaze_sms_total{outcome="failed"}')).to.equal(1);
    expect(sample(text, 'darvaze_otp_verifications_total{outcome="ok"}')).to.equal(2);
    expect(sample(text, 'darvaze_otp_verifications_total{outcome="wrong"}')).to.equal(1);
    expect(
      sample(text, 'darvaze_identity_calls_total{operation="mobile-ownership",outcome="ok",reason="none"}'),
    ).to.equal(1);
    expect(sample(text, 'darvaze_identity_circuit_state{state="closed"}')).to.equal(1);
    expect(
      sample(
        text,
        'darvaze_oidc_grants_total{grant_type="authorization_code",outcome="success",error="none"}',
      ),
    ).to.equal(1);
    expect(
      sample(text, 'darvaze_oidc_grants_total{grant_type="refresh_token",outcome="success",error="none"}'),
    ).to.equal(1);
    expect(sample(text, 'darvaze_oidc_tokens_issued_total{type="id_token"}')).to.equal(2);
    expect(sample(text, 'darvaze_oidc_tokens_issued_total{type="refresh_token"}')).to.equal(2);
    expect(sample(text, 'darvaze_oidc_tokens_issued_total{type="authorization_code"}')).to.be.at.least(2);
    expect(sample(text, 'darvaze_oidc_authorizations_total{outcome="success",error="none"}')).to.be.at.least(
      2,
    );
    expect(
      sample(text, 'darvaze_http_requests_total{method="POST",route="/interaction/:uid/code",status="303"}'),
    ).to.be.at.least(1);
    expect(
      sample(text, 'darvaze_http_requests_total{method="GET",route="/auth",status="303"}'),
    ).to.be.at.least(3);
    expect(
      sample(text, 'darvaze_store_operation_duration_seconds_count{operation="get",outcome="ok"}'),
    ).to.be.greaterThan(0);
    expect(text).to.include('nodejs_eventloop_lag_seconds');

    // No raw path, id or personal data anywhere.
    for (const secret of [
      ali.mobile,
      ali.mobile.slice(1),
      ali.nationalCode,
      new URL(first.last.url).search,
    ]) {
      expect(text).to.not.include(secret);
    }
    expect(text).to.not.match(/route="\/interaction\/[A-Za-z0-9_-]{10,}/);
  });

  it('answers 401 without the bearer token and 404 when METRICS_TOKEN is unset', async () => {
    const anonymous = await fetch(`${harness.issuer}/metrics`);
    expect(anonymous.status).to.equal(401);
    const other = await startHarness({ store: 'memory' });
    try {
      const response = await fetch(`${other.issuer}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).to.equal(404);
    } finally {
      await other.close();
    }
  });
});
