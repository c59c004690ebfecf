/**
 * The per-client protocol protections of src/oidc/client-profiles.ts and provider.ts, proven over
 * HTTP against the whole stack: DPoP-bound tokens, PAR-only clients, JAR with a bad signature,
 * encrypted ID tokens, and the FAPI 2.0 metadata rules.
 *
 * Code and refresh-token replay (single use, replay revokes the grant — RFC 9700 §4.5.3 and
 * §4.14.2) are proven in test/integration/oidc/token-endpoint.test.ts and, at the adapter level,
 * test/integration/oidc/store-adapter.test.ts; they are not repeated here.
 */
import { expect } from 'chai';
import {
  compactDecrypt,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import * as oidc from 'openid-client';
import { loadConfig } from '../../config/load.js';
import { buildApp } from '../../src/composition/app.js';
import { TestBrowser } from '../helpers/browser.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { ORDINARY, walk } from './support.js';

const RP = 'https://rp.example.test';
const SECRET = 'protections-secret-0123456789abcdef0123456';
const citizen = ORDINARY[1]!;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface Keys {
  jarSigning: KeyPair;
  otherSigning: KeyPair;
  encryption: KeyPair;
  otherEncryption: KeyPair;
  fapiAuth: KeyPair;
}

async function makeKeys(): Promise<Keys> {
  const sig = () => generateKeyPair('ES256', { extractable: true });
  const enc = () => generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
  return {
    jarSigning: await sig(),
    otherSigning: await sig(),
    encryption: await enc(),
    otherEncryption: await enc(),
    fapiAuth: await sig(),
  };
}

async function publicJwk(pair: KeyPair, extra: JWK): Promise<JWK> {
  return { ...(await exportJWK(pair.publicKey)), ...extra };
}

function client(id: string, extra: Partial<ClientMetadata>): ClientMetadata {
  return {
    client_id: id,
    client_secret: SECRET,
    redirect_uris: [`${RP}/${id}/cb`],
    grant_types: ['authorization_code'],
    scope: 'openid profile',
    ...extra,
  };
}

async function staticClients(keys: Keys): Promise<ClientMetadata[]> {
  return [
    client('dpop', { dpop_bound_access_tokens: true }),
    client('par-only', { require_pushed_authorization_requests: true }),
    client('jar', {
      require_signed_request_object: true,
      request_object_signing_alg: 'ES256',
      jwks: { keys: [await publicJwk(keys.jarSigning, { kid: 'rp-sig-1', use: 'sig', alg: 'ES256' })] },
    }),
    client('encrypted', {
      scope: 'openid profile national_id',
      id_token_encrypted_response_alg: 'ECDH-ES',
      id_token_encrypted_response_enc: 'A256GCM',
      jwks: { keys: [await publicJwk(keys.encryption, { kid: 'rp-enc-1', use: 'enc', alg: 'ECDH-ES' })] },
    }),
    {
      client_id: 'fapi',
      redirect_uris: [`${RP}/fapi/cb`],
      grant_types: ['authorization_code'],
      scope: 'openid profile',
      fapi_profile: '2.0',
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      jwks: { keys: [await publicJwk(keys.fapiAuth, { kid: 'fapi-auth-1', use: 'sig', alg: 'ES256' })] },
    },
  ];
}

/** The openid-client view of a client, the way a relying party configures it. */
async function configFor(
  harness: Harness,
  clientId: string,
  auth: oidc.ClientAuth = oidc.ClientSecretBasic(SECRET),
  metadata: Partial<oidc.ClientMetadata> = {},
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(harness.issuer), clientId, metadata, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}

const browser = (address: string) =>
  new TestBrowser((url) => url.origin === RP, { 'x-forwarded-for': address });

async function pkce() {
  const verifier = oidc.randomPKCECodeVerifier();
  return { verifier, challenge: await oidc.calculatePKCECodeChallenge(verifier) };
}

function authParams(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  return {
    redirect_uri: `${RP}/${clientId}/cb`,
    scope: 'openid profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    ...extra,
  };
}

/** A refused authorization request: the browser never reaches a sign-in page. */
function expectRefused(page: { url: string; status: number; html: string }, error: RegExp) {
  const url = new URL(page.url);
  if (url.origin === RP) {
    expect(url.searchParams.get('error'), page.url).to.match(error);
    expect(url.searchParams.get('code'), page.url).to.equal(null);
  } else {
    expect(page.status, page.url).to.be.within(400, 499);
    expect(page.html).to.not.match(/name="mobile"/);
  }
}

describe('protocol protections per client (DPoP, PAR, JAR, encrypted ID tokens, FAPI 2.0)', function () {
  this.timeout(60_000);
  let harness: Harness;

  /** Walks the journey from an authorization URL to the site's callback; returns the callback URL. */
  const reachCallback = async (url: URL, address: string): Promise<URL> => {
    const result = await walk(harness, browser(address), url.toString(), citizen, (u) => u.origin === RP);
    expect(result.atCallback, result.last.html.slice(0, 300)).to.equal(true);
    return new URL(result.last.url);
  };
  let keys: Keys;
  before(async () => {
    keys = await makeKeys();
    harness = await startHarness({ clients: await staticClients(keys) });
  });
  after(async () => harness?.close());

  describe('DPoP (dpop_bound_access_tokens)', () => {
    let config: oidc.Configuration;
    let dpopKeys: oidc.CryptoKeyPair;
    let accessToken: string;
    let sub: string;

    before(async () => {
      config = await configFor(harness, 'dpop');
      dpopKeys = await oidc.randomDPoPKeyPair('ES256');
      const { verifier, challenge } = await pkce();
      const params = authParams('dpop', challenge);
      const url = oidc.buildAuthorizationUrl(config, params);
      const callback = await reachCallback(url, '198.51.100.31');

      // The token request without a proof is refused, and does not use the code up…
      const without = await fetch(`${harness.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`dpop:${SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          code_verifier: verifier,
          redirect_uri: params.redirect_uri,
        }),
      });
      expect(without.status).to.equal(400);
      // oidc-provider says only invalid_grant ("DPoP proof JWT not provided" stays server-side).
      expect(((await without.json()) as { error: string }).error).to.equal('invalid_grant');

      // …and the same code with a proof gets a DPoP-bound token.
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callback,
        { pkceCodeVerifier: verifier, expectedState: params.state, expectedNonce: params.nonce },
        undefined,
        { DPoP: oidc.getDPoPHandle(config, dpopKeys) },
      );
      expect(tokens.token_type.toLowerCase()).to.equal('dpop');
      accessToken = tokens.access_token;
      sub = tokens.claims()!.sub;
    });

    it('/me refuses the token as a plain bearer token', async () => {
      const response = await fetch(`${harness.issuer}/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^DPoP /);
      expect(((await response.json()) as { error: string }).error).to.equal('invalid_token');
    });

    it('/me refuses the DPoP scheme without a proof', async () => {
      const response = await fetch(`${harness.issuer}/me`, {
        headers: { authorization: `DPoP ${accessToken}` },
      });
      expect(response.status).to.be.oneOf([400, 401]);
      await response.arrayBuffer();
    });

    it('/me refuses a proof made with another key', async () => {
      const thief = await oidc.randomDPoPKeyPair('ES256');
      const error = (await expectReject(
        oidc.fetchUserInfo(config, accessToken, sub, { DPoP: oidc.getDPoPHandle(config, thief) }),
        /challenge/,
      )) as { status?: number; cause?: Array<{ scheme: string; parameters: { error?: string } }> };
      expect(error.status).to.equal(401);
      expect(error.cause?.[0]?.scheme).to.equal('dpop');
      expect(error.cause?.[0]?.parameters.error).to.equal('invalid_token');
    });

    it('/me answers with the proof of the key the token is bound to', async () => {
      const info = await oidc.fetchUserInfo(config, accessToken, sub, {
        DPoP: oidc.getDPoPHandle(config, dpopKeys),
      });
      expect(info.sub).to.equal(sub);
      expect(info.given_name).to.equal(citizen.person.firstName);
    });
  });

  describe('PAR only (require_pushed_authorization_requests)', () => {
    it('refuses a plain authorization request', async () => {
      const config = await configFor(harness, 'par-only');
      const { challenge } = await pkce();
      const url = oidc.buildAuthorizationUrl(config, authParams('par-only', challenge));
      const page = await browser('198.51.100.32').get(url.toString());
      expectRefused(page, /invalid_request/);
    });

    it('signs in through a pushed request, whose request_uri is single use', async () => {
      const config = await configFor(harness, 'par-only');
      const { verifier, challenge } = await pkce();
      const params = authParams('par-only', challenge);
      const url = await oidc.buildAuthorizationUrlWithPAR(config, params);
      expect(url.searchParams.get('request_uri')).to.match(/^urn:ietf:params:oauth:request_uri:/);
      expect(url.searchParams.get('scope')).to.equal(null);
      const callbackUrl = await reachCallback(url, '198.51.100.33');
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: verifier,
        expectedState: params.state,
        expectedNonce: params.nonce,
      });
      expect(tokens.access_token).to.be.a('string');

      // The same request_uri a second time starts nothing.
      const again = await browser('198.51.100.34').get(url.toString());
      expectRefused(again, /invalid_request(_uri)?/);
    });
  });

  describe('signed request objects (JAR, require_signed_request_object)', () => {
    let config: oidc.Configuration;
    before(async () => {
      config = await configFor(harness, 'jar');
    });

    async function requestObject(signer: KeyPair, claims: Record<string, unknown>) {
      return new SignJWT({ client_id: 'jar', response_type: 'code', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'rp-sig-1', typ: 'oauth-authz-req+jwt' })
        .setIssuer('jar')
        .setAudience(harness.issuer)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('5m')
        .setJti(oidc.randomState())
        .sign(signer.privateKey);
    }

    const urlWith = (request: string) =>
      `${harness.issuer}/auth?${new URLSearchParams({ client_id: 'jar', response_type: 'code', scope: 'openid', request })}`;

    it('starts a sign-in for a request object signed with the registered key', async () => {
      const { challenge } = await pkce();
      const url = await oidc.buildAuthorizationUrlWithJAR(
        config,
        authParams('jar', challenge),
        keys.jarSigning.privateKey,
      );
      const page = await browser('198.51.100.35').get(url.toString());
      expect(page.html).to.match(/name="mobile"/);
    });

    it('refuses a plain request, a request object signed by another key, tampered with, or unsigned', async () => {
      const { challenge } = await pkce();
      const claims = authParams('jar', challenge);
      const plain = oidc.buildAuthorizationUrl(config, claims);
      expectRefused(await browser('198.51.100.36').get(plain.toString()), /invalid_request/);

      const forged = await requestObject(keys.otherSigning, claims);
      expectRefused(await browser('198.51.100.36').get(urlWith(forged)), /invalid_request_object/);

      const good = await requestObject(keys.jarSigning, claims);
      const [header, payload, signature] = good.split('.') as [string, string, string];
      const altered = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, string>;
      altered.scope = 'openid profile national_id';
      const tampered = `${header}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${signature}`;
      expectRefused(await browser('198.51.100.36').get(urlWith(tampered)), /invalid_request_object/);

      const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
      expectRefused(await browser('198.51.100.36').get(urlWith(none)), /invalid_request_object/);
    });
  });

  describe('encrypted ID tokens (id_token_encrypted_response_alg)', () => {
    it('the client decrypts its ID token; another key cannot, and nothing in it is readable in transit', async () => {
      const decryptionKey = { key: keys.encryption.privateKey, alg: 'ECDH-ES', kid: 'rp-enc-1' } as const;
      const config = await configFor(harness, 'encrypted');
      oidc.enableDecryptingResponses(config, ['A256GCM'], decryptionKey as unknown as oidc.DecryptionKey);
      const { verifier, challenge } = await pkce();
      const params = authParams('encrypted', challenge, { scope: 'openid profile national_id' });
      const url = oidc.buildAuthorizationUrl(config, params);
      const callbackUrl = await reachCallback(url, '198.51.100.37');

      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: verifier,
        expectedState: params.state,
        expectedNonce: params.nonce,
      });
      // openid-client decrypted and verified it: the claims are the person's.
      expect(tokens.claims()).to.include({
        national_code: citizen.nationalCode,
        given_name: citizen.person.firstName,
      });

      const jwe = tokens.id_token!;
      expect(jwe.split('.')).to.have.length(5);
      expect(decodeProtectedHeader(jwe)).to.include({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'rp-enc-1' });
      const wire = Buffer.from(jwe.replace(/\./g, ''), 'base64url').toString('latin1') + jwe;
      expect(wire).to.not.include(citizen.nationalCode);

      // The client's own key: a nested, provider-signed JWT comes out.
      const { plaintext } = await compactDecrypt(jwe, keys.encryption.privateKey);
      const jwks = (await (await fetch(`${harness.issuer}/jwks`)).json()) as { keys: JWK[] };
      const { payload } = await jwtVerify(new TextDecoder().decode(plaintext), createLocalJWKSet(jwks), {
        issuer: harness.issuer,
        audience: 'encrypted',
      });
      expect(payload.national_code).to.equal(citizen.nationalCode);

      // Anybody else's key: nothing.
      await expectReject(compactDecrypt(jwe, keys.otherEncryption.privateKey), /decrypt|failed/i);
    });
  });

  describe('FAPI 2.0 profile (fapi_profile: "2.0")', () => {
    const complete: ClientMetadata = {
      client_id: 'fapi-check',
      redirect_uris: [`${RP}/fapi-check/cb`],
      grant_types: ['authorization_code'],
      fapi_profile: '2.0',
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      jwks: { keys: [] },
    };

    it('accepts complete FAPI 2.0 metadata', async () => {
      await harness.app.provider.Client.validate(complete);
    });

    const gaps: Array<[string, Partial<ClientMetadata>, RegExp]> = [
      ['no PAR', { require_pushed_authorization_requests: false }, /require_pushed_authorization_requests/],
      ['no DPoP', { dpop_bound_access_tokens: undefined }, /dpop_bound_access_tokens/],
      [
        'a shared secret',
        { token_endpoint_auth_method: 'client_secret_basic', token_endpoint_auth_signing_alg: undefined },
        /private_key_jwt/,
      ],
      ['RS256 ID tokens', { id_token_signed_response_alg: 'RS256' }, /id_token_signed_response_alg/],
      ['another profile value', { fapi_profile: '1.0' }, /fapi_profile/],
    ];
    for (const [label, change, message] of gaps) {
      it(`refuses FAPI 2.0 metadata with ${label}`, async () => {
        const metadata = { ...complete, ...change } as ClientMetadata;
        for (const key of Object.keys(change)) if (metadata[key] === undefined) delete metadata[key];
        const error = await expectReject(harness.app.provider.Client.validate(metadata), /./);
        expect((error as { error?: string }).error).to.equal('invalid_client_metadata');
        expect(String((error as { error_description?: string }).error_description)).to.match(message);
      });
    }

    it('a static client with incomplete FAPI 2.0 metadata stops the start, naming the client', async () => {
      const incomplete = { ...complete, client_id: 'fapi-bad', dpop_bound_access_tokens: false };
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: `/tmp/darvaze-fapi-${process.pid}`,
        CAPTCHA: 'off',
        DEMO: 'off',
      });
      await expectReject(
        buildApp(config, { secrets: harness.app.secrets, extraClients: [incomplete] }),
        /fapi-bad.*dpop_bound_access_tokens/s,
      );
    });

    it('a complete FAPI 2.0 client signs in with PAR, private_key_jwt and DPoP', async () => {
      const config = await configFor(
        harness,
        'fapi',
        oidc.PrivateKeyJwt({ key: keys.fapiAuth.privateKey, kid: 'fapi-auth-1' } as never),
        {
          id_token_signed_response_alg: 'ES256',
        },
      );
      const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const { verifier, challenge } = await pkce();
      const params = authParams('fapi', challenge);
      const url = await oidc.buildAuthorizationUrlWithPAR(config, params, { DPoP: dpop });
      const callbackUrl = await reachCallback(url, '198.51.100.38');
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callbackUrl,
        { pkceCodeVerifier: verifier, expectedState: params.state, expectedNonce: params.nonce },
        undefined,
        { DPoP: dpop },
      );
      expect(tokens.token_type.toLowerCase()).to.equal('dpop');
      expect(decodeProtectedHeader(tokens.id_token!).alg).to.equal('ES256');

      // Without PAR the same client is refused at /auth.
      const plain = oidc.buildAuthorizationUrl(config, authParams('fapi', challenge));
      expectRefused(await browser('198.51.100.39').get(plain.toString()), /invalid_request/);
    });
  });
});

async function expectReject(promise: Promise<unknown>, message: RegExp): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    const text = `${(error as Error).message} ${(error as { error?: string }).error ?? ''} ${(error as { error_description?: string }).error_description ?? ''} ${(error as { cause?: { error?: string } }).cause?.error ?? ''}`;
    expect(text).to.match(message);
    return error;
  }
  expect.fail('expected a rejection');
}
