import { expect } from 'chai';
import { packPayload } from '../../../src/oidc/payload-fields.js';
import { packChainRecord, unpackChainRecord } from '../../../src/oidc/refresh-chain-record.js';

// A refresh token's payload as oidc-provider hands it to the adapter after a code exchange.
const FIRST = {
  iat: 1_796_311_147,
  exp: 1_798_903_147,
  accountId: 'oZMRmuzzY6dHj5-n3YhLGA',
  acr: 'urn:darvaze:acr:sms',
  amr: ['sms', 'otp'],
  authTime: 1_796_311_147,
  claims: { id_token: { auth_time: { essential: true } } },
  grantId: 'PxOmaUkr65Iu84uvqwHb06oZqdk4zs-3oDfYdEnfSLT',
  gty: 'authorization_code',
  rotations: 0,
  scope: 'openid profile phone offline_access',
  sessionUid: 's7Q04oomsgYv8CtLtGPdll75q1ReSeZXWCWK6CLSUFr',
  clientId: 'bench',
  iiat: 1_796_311_147,
};
const RECORD = { generation: 0, hash: '8fReEN6PAS1_TaeC8gDuza' };

describe('refresh chain record', () => {
  it('reads back the payload, generation and hash it stored', () => {
    const stored = packChainRecord({ ...RECORD, payload: { ...FIRST, jti: 'value', kind: 'RefreshToken' } });
    expect(unpackChainRecord(stored)).to.deep.equal({ ...RECORD, payload: FIRST });
  });

  it('after rotations: iiat, rotations and the grown gty read back too', () => {
    const rotated = {
      ...FIRST,
      iat: FIRST.iat + 900,
      rotations: 3,
      gty: 'authorization_code refresh_token',
    };
    const record = { generation: 3, hash: RECORD.hash, payload: rotated };
    expect(unpackChainRecord(packChainRecord(record))).to.deep.equal(record);
  });

  it('keeps absent fields absent and unknown grant types as they are', () => {
    const { iiat: _iiat, rotations: _rotations, exp: _exp, ...sparse } = FIRST;
    const odd = { ...sparse, gty: 'urn:example:grant other' };
    expect(unpackChainRecord(packChainRecord({ ...RECORD, payload: odd })).payload).to.deep.equal(odd);
  });

  it('still reads records written before (every field, long or short names)', () => {
    const before = JSON.stringify({ ...FIRST, _g: 0, _h: RECORD.hash });
    expect(unpackChainRecord(before)).to.deep.equal({ ...RECORD, payload: FIRST });
    const shortNames = packPayload({ ...FIRST, _g: 0, _h: RECORD.hash });
    expect(unpackChainRecord(shortNames)).to.deep.equal({ ...RECORD, payload: FIRST });
  });

  it('fits a first-generation record of the bench in Redis’s 384-byte allocation (it took 448 before)', () => {
    const stored = packChainRecord({ ...RECORD, payload: FIRST });
    // A Redis string of 256 bytes or more takes n + 6 bytes (a 5-byte header and a terminator), rounded up.
    expect(stored.length + 6).to.be.at.most(384);
    expect(JSON.stringify({ ...FIRST, _g: 0, _h: RECORD.hash }).length + 6).to.be.above(448);
  });
});
