import { expect } from 'chai';
import { clientGrantsKey } from '../../../src/admin/keys.js';
import { eventually, type Harness, introspect, salesSite, startHarness } from './admin-harness.js';

/**
 * Secret rotation with grace, and revocation on delete. Client authentication is exercised at
 * the introspection endpoint (client_credentials is not enabled): 200 means the client
 * authenticated, 401 invalid_client that it did not.
 */
describe('admin API secrets and revocation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ graceSeconds: 3600 });
  });
  after(async () => h.close());

  async function register(overrides: Record<string, unknown> = {}) {
    const r = await h.api('POST', '/admin/api/clients', { body: salesSite(overrides) });
    expect(r.status, r.text).to.equal(201);
    return { id: r.json.client_id as string, secret: r.json.client_secret as string };
  }

  it('the current secret authenticates, a wrong one does not', async () => {
    const { id, secret } = await register();
    expect((await introspect(h, { basic: [id, secret] })).status).to.equal(200);
    const wrong = await introspect(h, { basic: [id, `${secret}x`] });
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error).to.equal('invalid_client');
  });

  it('after a rotation both the new and (within the grace) the old secret work with client_secret_basic', async () => {
    const { id, secret: old } = await register();
    const rotated = await h.api('POST', `/admin/api/clients/${id}/secret`);
    const fresh = rotated.json.client_secret as string;
    expect((await introspect(h, { basic: [id, fresh] })).status).to.equal(200);
    expect((await introspect(h, { basic: [id, old] })).status).to.equal(200);
    expect((await introspect(h, { basic: [id, 'not-a-secret'] })).status).to.equal(401);
  });

  it('the grace covers client_secret_post too', async () => {
    const { id, secret: old } = await register({ token_endpoint_auth_method: 'client_secret_post' });
    const fresh = (await h.api('POST', `/admin/api/clients/${id}/secret`)).json.client_secret as string;
    expect((await introspect(h, { post: [id, fresh] })).status).to.equal(200);
    expect((await introspect(h, { post: [id, old] })).status).to.equal(200);
    expect((await introspect(h, { post: [id, 'not-a-secret'] })).status).to.equal(401);
  });

  it('a second rotation ends the grace of the first secret', async () => {
    const { id, secret: first } = await register();
    const second = (await h.api('POST', `/admin/api/clients/${id}/secret`)).json.client_secret as string;
    const third = (await h.api('POST', `/admin/api/clients/${id}/secret`)).json.client_secret as string;
    expect((await introspect(h, { basic: [id, first] })).status).to.equal(401);
    expect((await introspect(h, { basic: [id, second] })).status).to.equal(200);
    expect((await introspect(h, { basic: [id, third] })).status).to.equal(200);
  });

  it('the previous secret is not stored in clear', async () => {
    const { id, secret: old } = await register();
    await h.api('POST', `/admin/api/clients/${id}/secret`);
    const raw = await h.store.get(`admin:client-previous-secret:{${id}}`);
    expect(raw).to.be.a('string');
    expect(raw).to.not.include(old);
  });

  describe('after the grace', () => {
    let short: Harness;
    let offset = 0;
    before(async () => {
      short = await startHarness({ graceSeconds: 600, now: () => Date.now() + offset });
    });
    after(async () => short.close());

    it('the old secret fails, the new one works', async () => {
      const created = await short.api('POST', '/admin/api/clients', { body: salesSite() });
      const { client_id: id, client_secret: old } = created.json;
      const rotated = await short.api('POST', `/admin/api/clients/${id}/secret`);
      const fresh = rotated.json.client_secret;
      expect(rotated.json.previous_secret_expires_at).to.be.closeTo(Math.floor(Date.now() / 1000) + 600, 5);
      expect((await introspect(short, { basic: [id, old] })).status).to.equal(200);
      offset = 601_000;
      expect((await introspect(short, { basic: [id, old] })).status).to.equal(401);
      expect((await introspect(short, { post: [id, old] })).status).to.equal(401);
      expect((await introspect(short, { basic: [id, fresh] })).status).to.equal(200);
    });
  });

  it('deleting a client revokes its grants and their tokens', async () => {
    const { id, secret } = await register();
    const client = await h.provider.Client.find(id);
    if (!client) throw new Error('client not found by the provider');
    const grant = new h.provider.Grant({ accountId: 'account-1', clientId: id });
    grant.addOIDCScope('openid profile');
    const grantId = await grant.save();
    const accessToken = await new h.provider.AccessToken({
      accountId: 'account-1',
      client,
      grantId,
      gty: 'authorization_code',
      scope: 'openid profile',
    }).save();

    // The grant.saved hook indexed the grant under its client.
    await eventually(async () => {
      expect(await h.store.setMembers(clientGrantsKey(id))).to.include(grantId);
    });
    const active = await introspect(h, { basic: [id, secret] }, accessToken);
    expect(active.json.active).to.equal(true);

    // An unrelated client's grant survives.
    const other = await register();
    const otherGrantId = await new h.provider.Grant({ accountId: 'account-1', clientId: other.id }).save();
    await eventually(async () => {
      expect(await h.store.setMembers(clientGrantsKey(other.id))).to.include(otherGrantId);
    });

    expect((await h.api('DELETE', `/admin/api/clients/${id}`)).status).to.equal(204);
    expect(await h.provider.AccessToken.find(accessToken)).to.equal(undefined);
    expect(await h.provider.Grant.find(grantId)).to.equal(undefined);
    expect(await h.store.setMembers(clientGrantsKey(id))).to.deep.equal([]);
    expect(await h.provider.Grant.find(otherGrantId)).to.not.equal(undefined);
    expect((await introspect(h, { basic: [id, secret] }, accessToken)).status).to.equal(401);

    const audit = await h.api('GET', '/admin/api/audit?limit=5');
    const entry = audit.json.entries.find(
      (e: { action: string; client_id?: string }) => e.action === 'client.delete' && e.client_id === id,
    );
    expect(entry.detail).to.equal('revoked grants: 1');
  });
});
