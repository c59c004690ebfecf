import { expect } from 'chai';
import {
  grantIndexMember,
  keyOfGrantIndexMember,
  recordKey,
  refreshChainKey,
} from '../../../src/oidc/store-keys.js';

describe('store keys: grant-index members', () => {
  const keys = [
    recordKey('AccessToken', 'at-value'),
    recordKey('AuthorizationCode', 'code-value'),
    recordKey('RefreshToken', 'rt-value'),
    refreshChainKey('chain-id'),
    recordKey('DeviceCode', 'device-value'),
  ];

  it('a member names its record key, and reads back as it', () => {
    for (const key of keys) expect(keyOfGrantIndexMember(grantIndexMember(key))).to.equal(key);
  });

  it('the usual families are one capital: an access token and a chain fit a small listpack', () => {
    expect(grantIndexMember(recordKey('AccessToken', 'at-value'))).to.match(/^A:\{/);
    expect(grantIndexMember(refreshChainKey('chain-id'))).to.match(/^C:\{/);
    expect(grantIndexMember(recordKey('DeviceCode', 'x'))).to.match(/^DeviceCode:\{/);
  });

  it('members written before (the whole family name) still lead to their key', () => {
    const key = refreshChainKey('chain-id');
    expect(keyOfGrantIndexMember(key.slice('oidc:'.length))).to.equal(key);
    expect(keyOfGrantIndexMember('AccessToken:{abc}')).to.equal('oidc:AccessToken:{abc}');
  });
});
