import { expect } from 'chai';
import { ADMIN_TOKEN, type Harness, salesSite, startHarness } from './admin-harness.js';

/** Every route of the admin API, with a path that exists when `id` is a real client. */
const ROUTES = (id: string): [string, string][] => [
  ['POST', '/admin/api/clients'],
  ['GET', '/admin/api/clients'],
  ['GET', `/admin/api/clients/${id}`],
  ['PUT', `/admin/api/clients/${id}`],
  ['DELETE', `/admin/api/clients/${id}`],
  ['POST', `/admin/api/clients/${id}/secret`],
  ['POST', '/admin/api/initial-access-tokens'],
  ['GET', '/admin/api/audit'],
  ['GET', '/admin/api/no-such-thing'],
  ['GET', '/admin/api'],
  ['GET', '/admin/api/'],
  ['PATCH', `/admin/api/clients/${id}`],
];

describe('admin API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  describe('operations', () => {
    it('creates a confidential client: 201 with RFC 7591 client information and the secret once', async () => {
      const before = Math.floor(Date.now() / 1000);
      const r = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      expect(r.status).to.equal(201);
      expect(r.headers.get('cache-control')).to.equal('no-store');
      expect(r.json.client_id).to.be.a('string').with.length.greaterThan(15);
      expect(r.json.client_secret).to.be.a('string').with.length.greaterThan(30);
      expect(r.json.client_secret_expires_at).to.equal(0);
      expect(r.json.client_id_issued_at).to.be.within(before, before + 5);
      // Every field sent comes back as sent.
      expect(r.json).to.deep.include(salesSite());
      expect(r.headers.get('location')).to.equal(`/admin/api/clients/${r.json.client_id}`);
      // oidc-provider finds it in the store.
      const client = await h.provider.Client.find(r.json.client_id);
      expect(client?.clientSecret).to.equal(r.json.client_secret);
    });

    it('creates a public client (none) without a secret', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        body: salesSite({ token_endpoint_auth_method: 'none', client_name: 'SPA' }),
      });
      expect(r.status).to.equal(201);
      expect(r.json).to.not.have.property('client_secret');
      expect(r.json.token_endpoint_auth_method).to.equal('none');
    });

    it('creates a private_key_jwt client with jwks_uri, without a secret', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        body: salesSite({
          token_endpoint_auth_method: 'private_key_jwt',
          jwks_uri: 'https://sales.example.com/jwks',
        }),
      });
      expect(r.status).to.equal(201);
      expect(r.json).to.not.have.property('client_secret');
    });

    it('accepts loopback http redirect URIs outside production', async () => {
      for (const host of ['localhost:3001', '127.0.0.1:3001', '[::1]:3001']) {
        const r = await h.api('POST', '/admin/api/clients', {
          body: salesSite({
            redirect_uris: [`http://${host}/callback`],
            post_logout_redirect_uris: [`http://${host}/`],
            backchannel_logout_uri: `http://${host}/backchannel`,
          }),
        });
        expect(r.status, `${host}: ${r.text}`).to.equal(201);
      }
    });

    it('lists clients without secrets', async () => {
      const created = await h.api('POST', '/admin/api/clients', {
        body: salesSite({ client_name: 'Listed' }),
      });
      const r = await h.api('GET', '/admin/api/clients');
      expect(r.status).to.equal(200);
      expect(r.json.clients).to.be.an('array');
      const listed = r.json.clients.find(
        (c: { client_id: string }) => c.client_id === created.json.client_id,
      );
      expect(listed).to.include({ client_name: 'Listed' });
      for (const client of r.json.clients) expect(client).to.not.have.property('client_secret');
    });

    it('reads one client without its secret; 404 for an unknown one', async () => {
      const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      const r = await h.api('GET', `/admin/api/clients/${created.json.client_id}`);
      expect(r.status).to.equal(200);
      expect(r.json).to.include({ client_id: created.json.client_id, client_name: 'Sales site' });
      expect(r.json).to.not.have.property('client_secret');
      const missing = await h.api('GET', '/admin/api/clients/nope');
      expect(missing.status).to.equal(404);
      expect(missing.json).to.deep.equal({ error: 'not_found' });
    });

    it('replaces a client (PUT): full replace, validated, the secret kept', async () => {
      const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      const id = created.json.client_id;
      const r = await h.api('PUT', `/admin/api/clients/${id}`, {
        body: {
          client_name: 'Sales site (new)',
          redirect_uris: ['https://sales.example.com/cb2'],
          scope: 'openid profile',
        },
      });
      expect(r.status, r.text).to.equal(200);
      expect(r.json).to.include({ client_id: id, client_name: 'Sales site (new)', scope: 'openid profile' });
      expect(r.json.redirect_uris).to.deep.equal(['https://sales.example.com/cb2']);
      // Full replace: what was not sent is back to the defaults.
      expect(r.json.post_logout_redirect_uris).to.deep.equal([]);
      expect(r.json.grant_types).to.deep.equal(['authorization_code']);
      expect(r.json).to.not.have.property('client_secret');
      expect(r.json.client_id_issued_at).to.equal(created.json.client_id_issued_at);
      const client = await h.provider.Client.find(id);
      expect(client?.clientSecret).to.equal(created.json.client_secret);
      expect(client?.redirectUris).to.deep.equal(['https://sales.example.com/cb2']);
    });

    it('PUT accepts the GET output back (server fields echoed) and refuses another client_id or a secret', async () => {
      const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      const id = created.json.client_id;
      const read = await h.api('GET', `/admin/api/clients/${id}`);
      const echoed = await h.api('PUT', `/admin/api/clients/${id}`, {
        body: { ...read.json, client_name: 'Echo' },
      });
      expect(echoed.status, echoed.text).to.equal(200);
      expect(echoed.json.client_name).to.equal('Echo');

      const otherId = await h.api('PUT', `/admin/api/clients/${id}`, {
        body: { ...read.json, client_id: 'other' },
      });
      expect(otherId.status).to.equal(400);
      expect(otherId.json.error).to.equal('invalid_client_metadata');
      const secret = await h.api('PUT', `/admin/api/clients/${id}`, {
        body: { ...read.json, client_secret: 'chosen' },
      });
      expect(secret.status).to.equal(400);
      expect(secret.json.error).to.equal('invalid_client_metadata');
      const same = await h.api('PUT', `/admin/api/clients/${id}`, {
        body: { ...read.json, client_secret: created.json.client_secret },
      });
      expect(same.status).to.equal(200);
    });

    it('PUT validates like create and answers 404 for an unknown client', async () => {
      const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      const bad = await h.api('PUT', `/admin/api/clients/${created.json.client_id}`, {
        body: salesSite({ redirect_uris: ['https://*.example.com/cb'] }),
      });
      expect(bad.status).to.equal(400);
      expect(bad.json.error).to.equal('invalid_redirect_uri');
      const missing = await h.api('PUT', '/admin/api/clients/nope', { body: salesSite() });
      expect(missing.status).to.equal(404);
      expect(missing.json).to.deep.equal({ error: 'not_found' });
    });

    it('PUT from a public to a confidential method issues a secret, shown in that answer', async () => {
      const created = await h.api('POST', '/admin/api/clients', {
        body: salesSite({ token_endpoint_auth_method: 'none' }),
      });
      const r = await h.api('PUT', `/admin/api/clients/${created.json.client_id}`, { body: salesSite() });
      expect(r.status).to.equal(200);
      expect(r.json.client_secret).to.be.a('string');
      const again = await h.api('PUT', `/admin/api/clients/${created.json.client_id}`, { body: salesSite() });
      expect(again.json).to.not.have.property('client_secret');
    });

    it('deletes a client: 204, then 404 on read, gone from the list and from the provider', async () => {
      const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      const id = created.json.client_id;
      const r = await h.api('DELETE', `/admin/api/clients/${id}`);
      expect(r.status).to.equal(204);
      expect(r.text).to.equal('');
      expect((await h.api('GET', `/admin/api/clients/${id}`)).status).to.equal(404);
      const list = await h.api('GET', '/admin/api/clients');
      expect(list.json.clients.map((c: { client_id: string }) => c.client_id)).to.not.include(id);
      expect(await h.provider.Client.find(id)).to.equal(undefined);
      const again = await h.api('DELETE', `/admin/api/clients/${id}`);
      expect(again.status).to.equal(404);
      expect(again.json).to.deep.equal({ error: 'not_found' });
    });

    it('rotates a secret: 200 with the new one; unknown client 404; public client 400', async () => {
      const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      const r = await h.api('POST', `/admin/api/clients/${created.json.client_id}/secret`);
      expect(r.status).to.equal(200);
      expect(r.json.client_secret).to.be.a('string').and.not.equal(created.json.client_secret);
      expect(r.json.previous_secret_expires_at).to.be.a('number');
      expect((await h.provider.Client.find(created.json.client_id))?.clientSecret).to.equal(
        r.json.client_secret,
      );
      expect((await h.api('POST', '/admin/api/clients/nope/secret')).status).to.equal(404);
      const spa = await h.api('POST', '/admin/api/clients', {
        body: salesSite({ token_endpoint_auth_method: 'none' }),
      });
      const refused = await h.api('POST', `/admin/api/clients/${spa.json.client_id}/secret`);
      expect(refused.status).to.equal(400);
      expect(refused.json.error).to.equal('invalid_request');
    });

    it('issues initial access tokens: 201, default and chosen lifetime, bounds checked', async () => {
      const r = await h.api('POST', '/admin/api/initial-access-tokens');
      expect(r.status).to.equal(201);
      expect(r.json.initial_access_token).to.be.a('string').with.length.greaterThan(20);
      expect(r.json.expires_in).to.equal(86400);
      const chosen = await h.api('POST', '/admin/api/initial-access-tokens', { body: { expires_in: 600 } });
      expect(chosen.status).to.equal(201);
      expect(chosen.json.expires_in).to.equal(600);
      const stored = await h.provider.InitialAccessToken.find(chosen.json.initial_access_token);
      expect(stored).to.not.equal(undefined);
      for (const expires_in of [5, 'soon', 365 * 24 * 3600]) {
        const bad = await h.api('POST', '/admin/api/initial-access-tokens', { body: { expires_in } });
        expect(bad.status, String(expires_in)).to.equal(400);
        expect(bad.json.error).to.equal('invalid_request');
      }
    });

    it('keeps an audit trail of every change, without secrets, readable with ?limit', async () => {
      const created = await h.api('POST', '/admin/api/clients', {
        body: salesSite({ client_name: 'Audited' }),
      });
      const id = created.json.client_id;
      await h.api('PUT', `/admin/api/clients/${id}`, { body: salesSite({ client_name: 'Audited 2' }) });
      const rotated = await h.api('POST', `/admin/api/clients/${id}/secret`);
      await h.api('DELETE', `/admin/api/clients/${id}`, { headers: { 'x-request-id': 'req-abcdef123' } });
      const r = await h.api('GET', '/admin/api/audit?limit=200');
      expect(r.status).to.equal(200);
      const mine = r.json.entries.filter((e: { client_id?: string }) => e.client_id === id);
      expect(mine.map((e: { action: string }) => e.action)).to.deep.equal([
        'client.delete',
        'client.secret.rotate',
        'client.update',
        'client.create',
      ]);
      for (const entry of mine) {
        expect(entry.who).to.match(/^admin:[0-9a-f]{8}$/);
        expect(entry.at).to.match(/^\d{4}-\d\d-\d\dT/);
      }
      expect(mine.find((e: { action: string }) => e.action === 'client.update').detail).to.include(
        'client_name',
      );
      const text = JSON.stringify(r.json);
      expect(text).to.not.include(created.json.client_secret);
      expect(text).to.not.include(rotated.json.client_secret);
      expect(text).to.not.include(ADMIN_TOKEN);
      const one = await h.api('GET', '/admin/api/audit?limit=1');
      expect(one.json.entries).to.have.length(1);
      for (const limit of ['0', 'x', '100000']) {
        expect((await h.api('GET', `/admin/api/audit?limit=${limit}`)).status).to.equal(400);
      }
    });
  });

  describe('request handling', () => {
    it('answers 415 for a body that is not JSON', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        raw: 'client_name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status).to.equal(415);
      expect(r.json.error).to.equal('invalid_request');
      const none = await h.api('POST', '/admin/api/clients', {
        raw: '{}',
        headers: { 'content-type': 'text/plain' },
      });
      expect(none.status).to.equal(415);
    });

    it('answers 400 for malformed JSON and for JSON that is not an object', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        raw: '{"client_name":',
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).to.equal(400);
      expect(r.json.error).to.equal('invalid_request');
      const array = await h.api('POST', '/admin/api/clients', {
        raw: '[1,2]',
        headers: { 'content-type': 'application/json' },
      });
      expect(array.status).to.equal(400);
      expect(array.json.error).to.equal('invalid_client_metadata');
      const scalar = await h.api('PUT', '/admin/api/clients/x', {
        raw: '"x"',
        headers: { 'content-type': 'application/json' },
      });
      expect(scalar.status).to.equal(400);
    });

    it('answers 400 for a missing body', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).to.equal(400);
      expect(r.json.error).to.equal('invalid_client_metadata');
    });

    it('answers 413 for a body over the limit', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        body: salesSite({ client_uri: `https://x.example/${'a'.repeat(70_000)}` }),
      });
      expect(r.status).to.equal(413);
      expect(r.json.error).to.equal('invalid_request');
    });

    it('answers 404 {"error":"not_found"} for unknown paths (after authentication)', async () => {
      const r = await h.api('GET', '/admin/api/nothing/here');
      expect(r.status).to.equal(404);
      expect(r.json).to.deep.equal({ error: 'not_found' });
    });
  });

  describe('authentication', () => {
    let id: string;
    before(async () => {
      id = (await h.api('POST', '/admin/api/clients', { body: salesSite() })).json.client_id;
    });

    for (const [label, token] of [
      ['without a token', null],
      ['with a wrong token', 'wrong-token'],
      ['with a token that is a prefix of the right one', ADMIN_TOKEN.slice(0, -1)],
    ] as const) {
      it(`answers 401 with WWW-Authenticate: Bearer on every route ${label}`, async () => {
        for (const [method, path] of ROUTES(id)) {
          const r = await h.api(method, path, {
            token,
            ...(method === 'POST' || method === 'PUT' ? { body: salesSite() } : {}),
          });
          expect(r.status, `${method} ${path}`).to.equal(401);
          expect(r.headers.get('www-authenticate'), `${method} ${path}`).to.match(/^Bearer /);
          expect(r.json.error).to.be.oneOf(['unauthorized', 'invalid_token']);
        }
        // Nothing was changed.
        expect((await h.api('GET', `/admin/api/clients/${id}`)).status).to.equal(200);
      });
    }

    it('refuses other authorization schemes', async () => {
      const r = await h.api('GET', '/admin/api/clients', {
        token: null,
        headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
      });
      expect(r.status).to.equal(401);
    });
  });

  describe('without ADMIN_TOKEN', () => {
    let off: Harness;
    before(async () => {
      off = await startHarness({ adminToken: null, store: 'memory' });
    });
    after(async () => off.close());

    it('answers 404 on every route, with or without a token', async () => {
      for (const [method, path] of ROUTES('some-id')) {
        for (const token of [null, ADMIN_TOKEN, '']) {
          const r = await off.api(method, path, {
            token,
            ...(method === 'POST' ? { body: salesSite() } : {}),
          });
          expect(r.status, `${method} ${path}`).to.equal(404);
        }
      }
    });
  });
});
