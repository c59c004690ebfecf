import { expect } from 'chai';
import { packPayload, unpackPayload } from '../../../src/oidc/payload-fields.js';

const SESSION = {
  iat: 1_796_311_145,
  exp: 1_796_354_344,
  uid: 'vDCymooCYxxbebAHsujrp4ixEAvsjzGEwjHfJ3juUzu',
  accountId: 'vw_j_cm8pWVo2ahbQbkCKw',
  loginTs: 1_796_311_144,
  amr: ['sms', 'otp'],
  acr: 'urn:darvaze:acr:sms',
  authorizations: { scope: { sid: 'OVrcoZx4', grantId: '4hRxNwpX', persistsLogout: true } },
  claims: { id_token: { scope: { essential: true } } },
};

describe('oidc payload field names in the store', () => {
  it('reads back exactly the payload it stored, in fewer bytes', () => {
    const packed = packPayload(SESSION);
    expect(unpackPayload(packed)).to.deep.equal(SESSION);
    expect(packed.length).to.be.below(JSON.stringify(SESSION).length - 40);
  });

  it('renames known fields only: names inside (client ids, claim names) are data', () => {
    const packed = JSON.parse(packPayload(SESSION)) as Record<string, Record<string, unknown>>;
    expect(packed.Z).to.deep.equal({ scope: { sid: 'OVrcoZx4', G: '4hRxNwpX', P: true } });
    expect(packed.C).to.deep.equal(SESSION.claims);
    expect(packed.accountId, 'kept: what tells a signed-in session').to.equal(SESSION.accountId);
  });

  it('still reads records written with the long names', () => {
    expect(unpackPayload(JSON.stringify(SESSION))).to.deep.equal(SESSION);
  });

  it('says scopes, Darvaze acr values and a session uid naming its person shorter, and reads them back', () => {
    const accountId = 'vw_j_cm8pWVo2ahbQbkCKw';
    const token = {
      accountId,
      scope: 'openid profile phone offline_access',
      acr: 'urn:darvaze:acr:registry-verified',
      sessionUid: `${accountId}.hHS-deS4qDpkcjFV`,
    };
    const packed = JSON.parse(packPayload(token)) as Record<string, unknown>;
    expect(packed).to.deep.include({ S: '=opha', Q: '~registry-verified', U: '.hHS-deS4qDpkcjFV' });
    expect(unpackPayload(packPayload(token))).to.deep.equal(token);
    const grant = { accountId, clientId: 'sales', openid: { scope: 'openid national_id' } };
    expect(JSON.parse(packPayload(grant)).P).to.deep.equal({ scope: '=on' });
    expect(unpackPayload(packPayload(grant))).to.deep.equal(grant);
  });

  it('says times relative to the record’s iat and the amr as one string', () => {
    const packed = JSON.parse(packPayload(SESSION)) as Record<string, unknown>;
    expect(packed).to.deep.include({ iat: SESSION.iat, D: 43_199, B: 1, W: 'sms otp' });
    expect(packed).to.not.have.any.keys('exp', 'L', 'loginTs');
    expect(unpackPayload(packPayload({ iat: 10, authTime: 4, amr: [] }))).to.deep.equal({
      iat: 10,
      authTime: 4,
      amr: [],
    });
  });

  it('keeps values it has no shorter form for as they are', () => {
    const other = { accountId: 'a', scope: 'openid custom', acr: 'urn:other:acr', uid: 'b.hHS-deS4qDpkcjFV' };
    expect(JSON.parse(packPayload(other))).to.deep.include({ S: 'openid custom', Q: 'urn:other:acr' });
    expect(unpackPayload(packPayload(other))).to.deep.equal(other);
  });
});
