import { expect } from 'chai';
import { eventually, type Harness, introspect, salesSite, startHarness } from './admin-harness.js';

/** Dynamic registration at /reg (RFC 7591 / 7592), guarded by initial access tokens. */
describe('dynamic registration (/reg)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  async function initialAccessToken(): Promise<string> {
    const r = await h.api('POST', '/admin/api/initial-access-tokens', { body: { expires_in: 600 } });
    expect(r.status).to.equal(201);
    return r.json.initial_access_token;
  }

  async function reg(body: unknown, token?: string, method = 'POST', path = '/reg') {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${h.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  it('refuses a registration without an initial access token', async () => {
    const r = await reg(salesSite());
    expect(r.status).to.equal(401);
    expect(r.json.error).to.equal('invalid_token');
  });

  it('refuses a registration with a made-up token', async () => {
    const r = await reg(salesSite(), 'made-up-token');
    expect(r.status).to.equal(401);
  });

  it('refuses the admin token itself as an initial access token', async () => {
    const r = await reg(salesSite(), 'test-admin-token-0123456789abcdef0123456789');
    expect(r.status).to.equal(401);
  });

  it('registers with a valid initial access token: 201, a working secret, listed and audited as "reg"', async () => {
    const token = await initialAccessToken();
    const r = await reg(salesSite({ client_name: 'Registered at /reg' }), token);
    expect(r.status).to.equal(201);
    expect(r.json.client_id).to.be.a('string');
    expect(r.json.client_secret).to.be.a('string').with.length.greaterThan(30);
    expect(r.json.client_secret_expires_at).to.equal(0);
    expect(r.json.registration_access_token).to.be.a('string');
    expect(r.json.registration_client_uri).to.equal(`${h.url}/reg/${r.json.client_id}`);
    expect((await introspect(h, { basic: [r.json.client_id, r.json.client_secret] })).status).to.equal(200);

    await eventually(async () => {
      const list = await h.api('GET', '/admin/api/clients');
      expect(list.json.clients.map((c: { client_id: string }) => c.client_id)).to.include(r.json.client_id);
      const audit = await h.api('GET', '/admin/api/audit?limit=10');
      const entry = audit.json.entries.find((e: { client_id?: string }) => e.client_id === r.json.client_id);
      expect(entry).to.include({ who: 'reg', action: 'client.register' });
    });
  });

  it('an initial access token registers one client only', async () => {
    const token = await initialAccessToken();
    expect((await reg(salesSite(), token)).status).to.equal(201);
    const again = await reg(salesSite(), token);
    expect(again.status).to.equal(401);
    expect(again.json.error).to.equal('invalid_token');
  });

  it('of concurrent registrations with one token exactly one succeeds', async () => {
    const token = await initialAccessToken();
    const results = await Promise.all(Array.from({ length: 8 }, () => reg(salesSite(), token)));
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 401)).to.have.length(7);
  });

  it('applies the same metadata rules as the admin API, without using up the token', async () => {
    const token = await initialAccessToken();
    const cases: [Record<string, unknown>, string][] = [
      [salesSite({ redirect_uris: ['https://*.example.com/cb'] }), 'invalid_redirect_uri'],
      [salesSite({ redirect_uris: ['https://sales.example.com/cb#f'] }), 'invalid_redirect_uri'],
      [salesSite({ redirect_uris: ['http://sales.example.com/cb'] }), 'invalid_redirect_uri'],
      [salesSite({ scope: 'openid email' }), 'invalid_client_metadata'],
      [salesSite({ token_endpoint_auth_method: 'private_key_jwt' }), 'invalid_client_metadata'],
      [salesSite({ backchannel_logout_uri: 'http://sales.example.com/bc' }), 'invalid_client_metadata'],
      [
        salesSite({
          subject_type: 'pairwise',
          redirect_uris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
        }),
        'invalid_client_metadata',
      ],
      // Refused by oidc-provider's own rules, after ours: still not using up the token.
      [salesSite({ id_token_signed_response_alg: 'none' }), 'invalid_client_metadata'],
    ];
    for (const [metadata, error] of cases) {
      const r = await reg(metadata, token);
      expect(r.status, JSON.stringify(metadata)).to.equal(400);
      expect(r.json.error, JSON.stringify(r.json)).to.equal(error);
    }
    expect((await reg(salesSite(), token)).status).to.equal(201);
  });

  it('RFC 7592: read, update (same rules) and delete with the registration access token', async () => {
    const token = await initialAccessToken();
    const created = await reg(salesSite(), token);
    const { client_id: id, registration_access_token: rat } = created.json;

    const read = await reg(undefined, rat, 'GET', `/reg/${id}`);
    expect(read.status).to.equal(200);
    expect(read.json.client_id).to.equal(id);

    const update = { ...salesSite({ client_name: 'Updated' }), client_id: id };
    const refused = await reg(
      { ...update, redirect_uris: ['https://*.example.com/cb'] },
      rat,
      'PUT',
      `/reg/${id}`,
    );
    expect(refused.status).to.equal(400);
    expect(refused.json.error).to.equal('invalid_redirect_uri');
    const updated = await reg(update, rat, 'PUT', `/reg/${id}`);
    expect(updated.status, JSON.stringify(updated.json)).to.equal(200);
    expect(updated.json.client_name).to.equal('Updated');

    const removed = await reg(undefined, updated.json.registration_access_token, 'DELETE', `/reg/${id}`);
    expect(removed.status).to.equal(204);
    expect((await h.api('GET', `/admin/api/clients/${id}`)).status).to.equal(404);
    await eventually(async () => {
      const list = await h.api('GET', '/admin/api/clients');
      expect(list.json.clients.map((c: { client_id: string }) => c.client_id)).to.not.include(id);
    });
  });

  it('an admin can manage a client registered at /reg', async () => {
    const token = await initialAccessToken();
    const created = await reg(salesSite(), token);
    const rotated = await h.api('POST', `/admin/api/clients/${created.json.client_id}/secret`);
    expect(rotated.status).to.equal(200);
    expect((await h.api('DELETE', `/admin/api/clients/${created.json.client_id}`)).status).to.equal(204);
  });

  describe('when the provider is built without registrationFeature', () => {
    let off: Harness;
    before(async () => {
      off = await startHarness({ store: 'memory', registration: false });
    });
    after(async () => off.close());

    it('/reg does not exist and initial access tokens answer 409', async () => {
      const r = await off.api('POST', '/admin/api/initial-access-tokens');
      expect(r.status).to.equal(409);
      expect(r.json.error).to.equal('conflict');
      const response = await fetch(`${off.url}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(salesSite()),
      });
      expect(response.status).to.equal(404);
    });
  });
});
