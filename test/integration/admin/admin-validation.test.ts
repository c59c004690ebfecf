import { expect } from 'chai';
import { type Harness, salesSite, startHarness } from './admin-harness.js';

type Case = [
  label: string,
  metadata: Record<string, unknown>,
  error: 'invalid_client_metadata' | 'invalid_redirect_uri',
];

const REFUSED_EVERYWHERE: Case[] = [
  ['no redirect_uris', salesSite({ redirect_uris: undefined }), 'invalid_redirect_uri'],
  ['empty redirect_uris', salesSite({ redirect_uris: [] }), 'invalid_redirect_uri'],
  [
    'redirect_uris not an array',
    salesSite({ redirect_uris: 'https://sales.example.com/cb' }),
    'invalid_redirect_uri',
  ],
  ['a fragment', salesSite({ redirect_uris: ['https://sales.example.com/cb#x'] }), 'invalid_redirect_uri'],
  [
    'an empty fragment',
    salesSite({ redirect_uris: ['https://sales.example.com/cb#'] }),
    'invalid_redirect_uri',
  ],
  ['a wildcard host', salesSite({ redirect_uris: ['https://*.example.com/cb'] }), 'invalid_redirect_uri'],
  ['a wildcard path', salesSite({ redirect_uris: ['https://sales.example.com/*'] }), 'invalid_redirect_uri'],
  ['plain http', salesSite({ redirect_uris: ['http://sales.example.com/cb'] }), 'invalid_redirect_uri'],
  ['a custom scheme', salesSite({ redirect_uris: ['com.example.app:/cb'] }), 'invalid_redirect_uri'],
  ['a relative URL', salesSite({ redirect_uris: ['/cb'] }), 'invalid_redirect_uri'],
  [
    'credentials in the URL',
    salesSite({ redirect_uris: ['https://u:p@sales.example.com/cb'] }),
    'invalid_redirect_uri',
  ],
  ['a non-string URI', salesSite({ redirect_uris: [42] }), 'invalid_redirect_uri'],
  [
    'post-logout with a fragment',
    salesSite({ post_logout_redirect_uris: ['https://sales.example.com/#x'] }),
    'invalid_client_metadata',
  ],
  [
    'post-logout with a wildcard',
    salesSite({ post_logout_redirect_uris: ['https://*.example.com/'] }),
    'invalid_client_metadata',
  ],
  [
    'post-logout over http',
    salesSite({ post_logout_redirect_uris: ['http://sales.example.com/'] }),
    'invalid_client_metadata',
  ],
  [
    'back-channel logout over http',
    salesSite({ backchannel_logout_uri: 'http://sales.example.com/bc' }),
    'invalid_client_metadata',
  ],
  [
    'back-channel logout with a fragment',
    salesSite({ backchannel_logout_uri: 'https://sales.example.com/bc#f' }),
    'invalid_client_metadata',
  ],
  ['an unknown scope', salesSite({ scope: 'openid email' }), 'invalid_client_metadata'],
  ['an empty scope', salesSite({ scope: '' }), 'invalid_client_metadata'],
  ['a scope that is not a string', salesSite({ scope: ['openid'] }), 'invalid_client_metadata'],
  ['an unknown subject_type', salesSite({ subject_type: 'random' }), 'invalid_client_metadata'],
  [
    'pairwise over two hosts without sector_identifier_uri',
    salesSite({
      subject_type: 'pairwise',
      redirect_uris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
    }),
    'invalid_client_metadata',
  ],
  [
    'an http sector_identifier_uri',
    salesSite({ subject_type: 'pairwise', sector_identifier_uri: 'http://localhost/sector.json' }),
    'invalid_client_metadata',
  ],
  [
    'client_secret_jwt',
    salesSite({ token_endpoint_auth_method: 'client_secret_jwt' }),
    'invalid_client_metadata',
  ],
  [
    'tls_client_auth',
    salesSite({ token_endpoint_auth_method: 'tls_client_auth' }),
    'invalid_client_metadata',
  ],
  [
    'private_key_jwt without keys',
    salesSite({ token_endpoint_auth_method: 'private_key_jwt' }),
    'invalid_client_metadata',
  ],
  [
    'jwks and jwks_uri both',
    salesSite({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [] },
      jwks_uri: 'https://sales.example.com/jwks',
    }),
    'invalid_client_metadata',
  ],
  [
    'a grant type not offered',
    salesSite({ grant_types: ['authorization_code', 'client_credentials'] }),
    'invalid_client_metadata',
  ],
  ['implicit response type', salesSite({ response_types: ['code', 'id_token'] }), 'invalid_client_metadata'],
  ['an unknown application_type', salesSite({ application_type: 'desktop' }), 'invalid_client_metadata'],
  ['an empty client_name', salesSite({ client_name: ' ' }), 'invalid_client_metadata'],
  ['a client_id chosen by the caller', salesSite({ client_id: 'sales' }), 'invalid_client_metadata'],
  ['a client_secret chosen by the caller', salesSite({ client_secret: 'secret' }), 'invalid_client_metadata'],
  // Past our own rules, oidc-provider's validation still applies.
  [
    'an unsupported ID token algorithm (provider rule)',
    salesSite({ id_token_signed_response_alg: 'none' }),
    'invalid_client_metadata',
  ],
  ['a non-boolean flag (provider rule)', salesSite({ require_auth_time: 'yes' }), 'invalid_client_metadata'],
];

describe('admin API client metadata validation', () => {
  describe('outside production', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ store: 'memory' });
    });
    after(async () => h.close());

    for (const [label, metadata, error] of REFUSED_EVERYWHERE) {
      it(`refuses ${label} with 400 ${error}`, async () => {
        const r = await h.api('POST', '/admin/api/clients', { body: metadata });
        expect(r.status, r.text).to.equal(400);
        expect(r.json.error).to.equal(error);
        expect(r.json.error_description).to.be.a('string').and.not.empty;
        if (error === 'invalid_redirect_uri') expect(r.json.error_description).to.match(/^redirect_uris/);
      });
    }

    it('nothing refused was stored', async () => {
      const list = await h.api('GET', '/admin/api/clients');
      expect(list.json.clients).to.deep.equal([]);
    });

    it('accepts pairwise on one host', async () => {
      const discovery = (await (await fetch(`${h.url}/.well-known/openid-configuration`)).json()) as {
        subject_types_supported: string[];
      };
      // DESIGN §2.5 promises pairwise subjects: their absence is a failure, not a reason to skip.
      expect(discovery.subject_types_supported).to.include('pairwise');
      const r = await h.api('POST', '/admin/api/clients', {
        body: salesSite({
          subject_type: 'pairwise',
          redirect_uris: ['https://sales.example.com/a', 'https://sales.example.com/b'],
        }),
      });
      expect(r.status, r.text).to.equal(201);
    });

    it('accepts a native app with a loopback redirect', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        body: salesSite({
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1/cb'],
        }),
      });
      expect(r.status, r.text).to.equal(201);
    });
  });

  describe('in production', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ store: 'memory', production: true });
    });
    after(async () => h.close());

    for (const host of ['localhost:3001', '127.0.0.1', '[::1]:8080']) {
      it(`refuses loopback http (${host}) for a web client`, async () => {
        const r = await h.api('POST', '/admin/api/clients', {
          body: salesSite({ redirect_uris: [`http://${host}/cb`] }),
        });
        expect(r.status).to.equal(400);
        expect(r.json.error).to.equal('invalid_redirect_uri');
        const logout = await h.api('POST', '/admin/api/clients', {
          body: salesSite({ post_logout_redirect_uris: [`http://${host}/`] }),
        });
        expect(logout.status).to.equal(400);
        const backchannel = await h.api('POST', '/admin/api/clients', {
          body: salesSite({ backchannel_logout_uri: `http://${host}/bc` }),
        });
        expect(backchannel.status).to.equal(400);
      });
    }

    it('accepts loopback http for a native app', async () => {
      const r = await h.api('POST', '/admin/api/clients', {
        body: salesSite({
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1/cb', 'http://[::1]/cb', 'http://localhost/cb'],
        }),
      });
      expect(r.status, r.text).to.equal(201);
    });

    it('accepts https', async () => {
      const r = await h.api('POST', '/admin/api/clients', { body: salesSite() });
      expect(r.status, r.text).to.equal(201);
    });
  });
});
