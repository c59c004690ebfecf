import { expect } from 'chai';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { browserFor, type Harness, redeem, startHarness, type TestClient } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const citizen = DEMO_CITIZENS.filter((c) => c.case === 'ordinary')[1]!;

describe('clients registered through the admin API', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { ADMIN_TOKEN } });
  });
  after(async () => harness?.close());

  async function register(metadata: Record<string, unknown>): Promise<TestClient> {
    const response = await fetch(`${harness.issuer}/admin/api/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [`${harness.callbackBase}/registered/cb`], ...metadata }),
    });
    const body = (await response.json()) as Record<string, string>;
    expect(response.status, JSON.stringify(body)).to.equal(201);
    const config = await oidc.discovery(
      new URL(harness.issuer),
      body.client_id!,
      body.client_secret,
      undefined,
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    return {
      metadata: { ...metadata, ...body, client_id: body.client_id! } as TestClient['metadata'],
      config,
    };
  }

  it('a pairwise client gets a different sub than a public one for the same person', async () => {
    const pairwise = await register({
      client_name: 'pairwise site',
      subject_type: 'pairwise',
      scope: 'openid profile',
    });
    const publicClient = harness.clients.service!;
    const browser = browserFor(harness);
    const atPublic = await signIn(harness, browser, publicClient, citizen);
    const publicSub = (await redeem(publicClient, atPublic.request, atPublic.last)).claims()!.sub;
    const atPairwise = await signIn(harness, browser, pairwise, citizen);
    expect(atPairwise.pages).to.deep.equal(['consent']);
    const pairwiseSub = (await redeem(pairwise, atPairwise.request, atPairwise.last)).claims()!.sub;
    expect(pairwiseSub).to.be.a('string').and.not.equal(publicSub);
  });

  it('a client asking for a scope it was not allowed gets no such claims', async () => {
    const narrow = await register({ client_name: 'narrow site', scope: 'openid phone' });
    const outcome = await signIn(harness, browserFor(harness), narrow, citizen, {
      params: { scope: 'openid phone national_id profile' },
    });
    expect(outcome.atCallback).to.equal(true);
    // oidc-provider refuses the whole request (RFC 6749 §4.1.2.1 invalid_scope) before any page.
    expect(outcome.pages).to.deep.equal([]);
    expect(new URL(outcome.last.url).searchParams.get('error')).to.equal('invalid_scope');
    // Asking only for what it may have works, and still carries nothing beyond its scopes.
    const allowed = await signIn(harness, browserFor(harness), narrow, citizen, {
      params: { scope: 'openid phone' },
    });
    const tokens = await redeem(narrow, allowed.request, allowed.last);
    const claims = tokens.claims()!;
    expect(claims.phone_number).to.be.a('string');
    for (const claim of ['national_code', 'father_name', 'given_name', 'birthdate']) {
      expect(claims, claim).to.not.have.property(claim);
    }
    const userinfo = await oidc.fetchUserInfo(narrow.config, tokens.access_token, claims.sub);
    expect(userinfo).to.not.have.property('national_code');
  });

  it('serves the security audit trail and the admin trail to admins', async () => {
    const read = async (query: string) => {
      const response = await fetch(`${harness.issuer}/admin/api/audit?${query}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return {
        status: response.status,
        body: (await response.json()) as { entries: Array<Record<string, string>> },
      };
    };
    const security = await read('stream=security&limit=200');
    expect(security.status).to.equal(200);
    const types = new Set(security.body.entries.map((entry) => entry.type));
    for (const type of ['sms.sent', 'identity.verified', 'consent.granted'])
      expect(types, type).to.include(type);
    expect(JSON.stringify(security.body))
      .to.not.include(citizen.nationalCode)
      .and.not.include(citizen.mobile.slice(1));
    const admin = await read('stream=admin');
    expect(admin.body.entries.map((entry) => entry.action)).to.include('client.create');
    expect((await read('stream=other')).status).to.equal(400);
  });
});
