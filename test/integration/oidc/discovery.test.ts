import { expect } from 'chai';
import { type Harness, startHarness } from '../../helpers/harness.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('discovery and JWKS', function () {
  this.timeout(30_000);
  let harness: Harness;
  let discovery: Record<string, unknown>;
  before(async () => {
    harness = await startHarness();
    discovery = (await (await fetch(`${harness.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
  });
  after(async () => harness?.close());

  it('describes this issuer with code flow, PKCE S256 only, and iss in authorization responses', () => {
    expect(discovery.issuer).to.equal(harness.issuer);
    expect(discovery.response_types_supported).to.deep.equal(['code']);
    expect(discovery.code_challenge_methods_supported).to.deep.equal(['S256']);
    expect(discovery.authorization_response_iss_parameter_supported).to.equal(true);
    expect(discovery.id_token_signing_alg_values_supported)
      .to.include('ES256')
      .and.include('RS256')
      .and.not.include('none');
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'jwks_uri',
      'end_session_endpoint',
    ]) {
      expect(String(discovery[endpoint]).startsWith(harness.issuer), endpoint).to.equal(true);
    }
  });

  it('lists the scopes and claims of the contract', () => {
    expect(discovery.scopes_supported).to.include.members([
      'openid',
      'profile',
      'phone',
      'national_id',
      'offline_access',
    ]);
    expect(discovery.claims_supported).to.include.members([
      'sub',
      'name',
      'given_name',
      'family_name',
      'gender',
      'birthdate',
      'birthdate_jalali',
      'phone_number',
      'phone_number_verified',
      'national_code',
      'father_name',
    ]);
    expect(discovery.backchannel_logout_supported).to.equal(true);
  });

  it('publishes every signing key, public parts only', async () => {
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.map((key) => key.kid)).to.deep.equal(
      harness.app.secrets.signingKeys.keys.map((key) => key.kid),
    );
    for (const key of jwks.keys) {
      for (const member of PRIVATE_MEMBERS) expect(key, `${key.kid} ${member}`).to.not.have.property(member);
    }
  });

  it('serves the integration guide where service_documentation points', async () => {
    const response = await fetch(String(discovery.service_documentation));
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/markdown/);
    expect(await response.text()).to.include('PKCE');
  });

  it('answers /healthz and /readyz for load balancers', async () => {
    const health = await fetch(`${harness.issuer}/healthz`);
    expect(health.status).to.equal(200);
    const ready = await fetch(`${harness.issuer}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ status: 'ready' });
  });
});
