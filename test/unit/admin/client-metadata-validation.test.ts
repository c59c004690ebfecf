import { expect } from 'chai';
import {
  ClientMetadataError,
  checkClientMetadata,
  urlProblem,
} from '../../../src/admin/client-metadata-validation.js';

const web = (overrides: Record<string, unknown> = {}) => ({
  redirect_uris: ['https://rp.example.com/cb'],
  ...overrides,
});
const dev = { production: false };
const prod = { production: true };

function refusal(metadata: unknown, rules = dev): ClientMetadataError {
  try {
    checkClientMetadata(metadata, rules);
  } catch (error) {
    if (error instanceof ClientMetadataError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(metadata)}`);
}

describe('client metadata rules', () => {
  it('accepts a minimal web client and a full one', () => {
    checkClientMetadata(web(), prod);
    checkClientMetadata(
      web({
        client_name: 'Sales',
        post_logout_redirect_uris: ['https://rp.example.com/'],
        backchannel_logout_uri: 'https://rp.example.com/bc',
        scope: 'openid offline_access profile phone national_id',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        subject_type: 'pairwise',
        application_type: 'web',
      }),
      prod,
    );
  });

  it('names per language: each a non-empty string of bounded length', () => {
    checkClientMetadata(web({ client_name: 'فروش', 'client_name#en': 'Sales' }), prod);
    expect(refusal(web({ 'client_name#en': '' })).description).to.equal(
      'client_name#en must be a non-empty string',
    );
    expect(refusal(web({ 'client_name#fa': 7 })).description).to.equal(
      'client_name#fa must be a non-empty string',
    );
    expect(refusal(web({ 'client_name#en': 'x'.repeat(201) })).description).to.include('at most 200');
  });

  it('refuses what is not an object', () => {
    for (const value of [null, [], 'x', 3]) expect(refusal(value).error).to.equal('invalid_client_metadata');
  });

  it('uses invalid_redirect_uri, with a description starting "redirect_uris", for redirect URI problems', () => {
    for (const redirect_uris of [
      undefined,
      [],
      ['https://a/#'],
      ['https://*.a.com/'],
      ['ftp://a/'],
      ['http://a.example/'],
    ]) {
      const error = refusal(web({ redirect_uris }));
      expect(error.error).to.equal('invalid_redirect_uri');
      expect(error.description).to.match(/^redirect_uris/);
    }
  });

  it('loopback http: allowed outside production; in production only for native apps', () => {
    for (const uri of ['http://localhost:3001/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb']) {
      checkClientMetadata(web({ redirect_uris: [uri] }), dev);
      expect(refusal(web({ redirect_uris: [uri] }), prod).error).to.equal('invalid_redirect_uri');
      checkClientMetadata(web({ redirect_uris: [uri], application_type: 'native' }), prod);
      checkClientMetadata(web({ post_logout_redirect_uris: [uri], application_type: 'native' }), prod);
    }
    // Not a loopback: a name that merely starts like one.
    expect(refusal(web({ redirect_uris: ['http://localhost.evil.com/cb'] })).error).to.equal(
      'invalid_redirect_uri',
    );
    expect(refusal(web({ redirect_uris: ['http://127.0.0.2/cb'] })).error).to.equal('invalid_redirect_uri');
  });

  it('back-channel logout: loopback http outside production only, even for native apps', () => {
    checkClientMetadata(web({ backchannel_logout_uri: 'http://localhost:3001/bc' }), dev);
    expect(
      refusal(web({ backchannel_logout_uri: 'http://localhost:3001/bc', application_type: 'native' }), prod)
        .error,
    ).to.equal('invalid_client_metadata');
  });

  it('scope: only the supported values', () => {
    checkClientMetadata(web({ scope: 'openid' }), dev);
    checkClientMetadata(web({ scope: '  openid   profile ' }), dev);
    const error = refusal(web({ scope: 'openid email address' }));
    expect(error.error).to.equal('invalid_client_metadata');
    expect(error.description).to.include('email, address');
  });

  it('pairwise: one host is fine, several need an https sector_identifier_uri', () => {
    const twoHosts = ['https://a.example.com/cb', 'https://b.example.com/cb'];
    checkClientMetadata(
      web({
        subject_type: 'pairwise',
        redirect_uris: ['https://a.example.com/1', 'https://a.example.com/2'],
      }),
      dev,
    );
    expect(refusal(web({ subject_type: 'pairwise', redirect_uris: twoHosts })).error).to.equal(
      'invalid_client_metadata',
    );
    checkClientMetadata(
      web({
        subject_type: 'pairwise',
        redirect_uris: twoHosts,
        sector_identifier_uri: 'https://a.example.com/sector.json',
      }),
      dev,
    );
    expect(
      refusal(
        web({
          subject_type: 'pairwise',
          redirect_uris: twoHosts,
          sector_identifier_uri: 'http://localhost/s.json',
        }),
      ).error,
    ).to.equal('invalid_client_metadata');
  });

  it('token endpoint auth methods', () => {
    for (const method of ['client_secret_basic', 'client_secret_post', 'none']) {
      checkClientMetadata(web({ token_endpoint_auth_method: method }), dev);
    }
    checkClientMetadata(web({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [] } }), dev);
    checkClientMetadata(
      web({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://rp.example.com/jwks' }),
      dev,
    );
    for (const metadata of [
      web({ token_endpoint_auth_method: 'private_key_jwt' }),
      web({ token_endpoint_auth_method: 'client_secret_jwt' }),
      web({ token_endpoint_auth_method: 'self_signed_tls_client_auth' }),
      web({ token_endpoint_auth_method: 'private_key_jwt', jwks: { nope: 1 } }),
      web({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://rp.example.com/jwks' }),
    ]) {
      expect(refusal(metadata).error).to.equal('invalid_client_metadata');
    }
  });

  it('grant and response types of the code flow only', () => {
    expect(refusal(web({ grant_types: ['refresh_token'] })).error).to.equal('invalid_client_metadata');
    expect(refusal(web({ grant_types: ['implicit'] })).error).to.equal('invalid_client_metadata');
    expect(refusal(web({ grant_types: [] })).error).to.equal('invalid_client_metadata');
    expect(refusal(web({ response_types: ['token'] })).error).to.equal('invalid_client_metadata');
  });
});

describe('urlProblem', () => {
  const rules = { production: true, loopbackInProduction: false };
  it('accepts exact https URLs, with a query and a port', () => {
    expect(urlProblem('https://rp.example.com:8443/cb?x=1', rules)).to.equal(undefined);
  });
  it('names the problem', () => {
    expect(urlProblem('https://rp.example.com/*', rules)).to.include('wildcard');
    expect(urlProblem('https://rp.example.com/#', rules)).to.include('fragment');
    expect(urlProblem('rp.example.com/cb', rules)).to.include('absolute');
    expect(urlProblem('https://user@rp.example.com/', rules)).to.include('credentials');
    expect(urlProblem(`https://rp.example.com/${'a'.repeat(2001)}`, rules)).to.include('at most');
    expect(urlProblem('javascript:alert(1)', rules)).to.include('https');
    expect(urlProblem('http://localhost/', rules)).to.include('native');
  });
});
