import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * Attack: a site registered without `scope` (at /reg or through the admin API) was stored with no
 * scope at all, and oidc-provider lets such a client ask for every scope it knows, national_id
 * included. Replayed over raw HTTP: mint an initial access token, register without scope, then
 * ask for `openid national_id`.
 *
 * And: discovery advertised client_secret_jwt while registration refused it. Every method
 * discovery lists must register, and every method registration takes must be listed.
 */

const ADMIN_TOKEN = 'attack-admin-token-0123456789abcdef0123456789';

describe('attack: a client registered without scope asks for national_id', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_TOKEN } });
  });
  after(async () => h?.close());

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${h.issuer}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function registerAtReg(metadata: Record<string, unknown>): Promise<Response> {
    const minted = await admin('POST', '/admin/api/initial-access-tokens', { expires_in: 600 });
    expect(minted.status).to.equal(201);
    const { initial_access_token: token } = (await minted.json()) as { initial_access_token: string };
    return fetch(`${h.issuer}/reg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(metadata),
    });
  }

  /** The authorization request an attacker's site sends, answered without following redirects. */
  async function authorize(
    clientId: string,
    redirectUri: string,
    scope: string,
    extra: Record<string, string> = {},
  ): Promise<URL> {
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(`${h.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      state: 'attack-state',
      nonce: 'attack-nonce',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    await response.arrayBuffer();
    expect(response.status, 'the authorization endpoint redirects').to.be.oneOf([302, 303]);
    return new URL(response.headers.get('location') ?? '', h.issuer);
  }

  const storedScope = async (clientId: string) => {
    const response = await admin('GET', `/admin/api/clients/${encodeURIComponent(clientId)}`);
    expect(response.status).to.equal(200);
    return ((await response.json()) as { scope?: unknown }).scope;
  };

  const refusedNationalId = (location: URL, redirectUri: string) => {
    // Refused back to the site (invalid_scope), not sent on to a sign-in that would release it.
    expect(`${location.origin}${location.pathname}`, location.toString()).to.equal(redirectUri);
    expect(location.searchParams.get('error')).to.equal('invalid_scope');
  };

  it('/reg without scope stores scope "openid"; openid national_id is refused', async () => {
    const redirectUri = `${h.callbackBase}/reg-site/cb`;
    const registered = await registerAtReg({ client_name: 'no scope at /reg', redirect_uris: [redirectUri] });
    expect(registered.status).to.equal(201);
    const client = (await registered.json()) as { client_id: string; scope?: unknown };
    expect(client.scope).to.equal('openid');
    expect(await storedScope(client.client_id)).to.equal('openid');
    refusedNationalId(await authorize(client.client_id, redirectUri, 'openid national_id'), redirectUri);
    // Sign-in alone still works.
    const plain = await authorize(client.client_id, redirectUri, 'openid');
    expect(plain.pathname).to.match(/^\/interaction\//);
  });

  it('the admin API without scope stores scope "openid"; openid national_id is refused', async () => {
    const redirectUri = `${h.callbackBase}/admin-site/cb`;
    const created = await admin('POST', '/admin/api/clients', {
      client_name: 'no scope via the admin API',
      redirect_uris: [redirectUri],
    });
    expect(created.status).to.equal(201);
    const client = (await created.json()) as { client_id: string; scope?: unknown };
    expect(client.scope).to.equal('openid');
    expect(await storedScope(client.client_id)).to.equal('openid');
    refusedNationalId(await authorize(client.client_id, redirectUri, 'openid national_id'), redirectUri);
  });

  it('an RFC 7592 update without scope falls back to "openid" too', async () => {
    const redirectUri = `${h.callbackBase}/reg-update/cb`;
    const registered = await registerAtReg({ redirect_uris: [redirectUri], scope: 'openid national_id' });
    expect(registered.status).to.equal(201);
    const client = (await registered.json()) as {
      client_id: string;
      client_secret: string;
      registration_access_token: string;
      registration_client_uri: string;
    };
    const updated = await fetch(client.registration_client_uri, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${client.registration_access_token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        client_id: client.client_id,
        client_secret: client.client_secret,
        redirect_uris: [redirectUri],
      }),
    });
    expect(updated.status).to.equal(200);
    expect(((await updated.json()) as { scope?: unknown }).scope).to.equal('openid');
    refusedNationalId(await authorize(client.client_id, redirectUri, 'openid national_id'), redirectUri);
  });

  // Claims named in the `claims` parameter: see claims-consent-bypass.test.ts.

  describe('discovery and registration agree on client authentication', () => {
    /** Every method oidc-provider knows of; the provider may advertise only some. */
    const KNOWN_METHODS = [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'none',
      'tls_client_auth',
      'self_signed_tls_client_auth',
      'attest_jwt_client_auth',
    ];
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256', kid: 'k1' };

    let discovery: Record<string, unknown>;
    before(async () => {
      discovery = (await (await fetch(`${h.issuer}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
    });

    const metadataFor = (method: string) => ({
      redirect_uris: [`${h.callbackBase}/auth-method/cb`],
      token_endpoint_auth_method: method,
      ...(method === 'private_key_jwt' ? { jwks: { keys: [jwk] } } : {}),
    });

    it('discovery lists the methods (oidc-provider uses the one list at every endpoint)', () => {
      expect(discovery.token_endpoint_auth_methods_supported).to.be.an('array').that.is.not.empty;
      for (const field of [
        'introspection_endpoint_auth_methods_supported',
        'revocation_endpoint_auth_methods_supported',
      ]) {
        if (field in discovery) {
          expect(discovery[field], field).to.deep.equal(discovery.token_endpoint_auth_methods_supported);
        }
      }
    });

    it('every advertised method registers (at /reg and through the admin API)', async () => {
      for (const method of discovery.token_endpoint_auth_methods_supported as string[]) {
        const atReg = await registerAtReg(metadataFor(method));
        expect(atReg.status, `/reg ${method}: ${await atReg.clone().text()}`).to.equal(201);
        expect(((await atReg.json()) as Record<string, unknown>).token_endpoint_auth_method).to.equal(method);
        const viaAdmin = await admin('POST', '/admin/api/clients', metadataFor(method));
        expect(viaAdmin.status, `admin ${method}: ${await viaAdmin.text()}`).to.equal(201);
      }
    });

    it('every method registration accepts is advertised; the others are refused', async () => {
      const advertised = new Set(discovery.token_endpoint_auth_methods_supported as string[]);
      for (const method of KNOWN_METHODS) {
        const atReg = await registerAtReg(metadataFor(method));
        const body = (await atReg.json()) as { error?: string };
        if (advertised.has(method)) expect(atReg.status, method).to.equal(201);
        else {
          expect(atReg.status, `${method} registered at /reg but is not in discovery`).to.equal(400);
          expect(body.error).to.equal('invalid_client_metadata');
        }
      }
    });

    it('client_secret_jwt is not advertised, nor are HMAC client-assertion algorithms', () => {
      expect(discovery.token_endpoint_auth_methods_supported).to.not.include('client_secret_jwt');
      const algs = discovery.token_endpoint_auth_signing_alg_values_supported as string[];
      expect(algs.filter((alg) => alg.startsWith('HS'))).to.deep.equal([]);
    });
  });
});
