import { expect } from 'chai';
import { formatConsent, parseConsent } from '../../../src/accounts/consent-record.js';

const GRANT_ID = 'W3YT7_gBLp6dmuO_70UpdW7IVexFkTKut04Ei1kdre4'; // oidc-provider's 43 characters
const GRANTED = 1_796_321_980;
const YEAR = 365 * 24 * 3600;

describe('consent record (a person consent map entry)', () => {
  it('codes known scopes and keeps a year-long record of all five scopes within 64 bytes', () => {
    const consent = {
      grantId: GRANT_ID,
      scope: 'openid offline_access profile phone national_id',
      claims: [],
      grantedAt: GRANTED,
      until: GRANTED + YEAR,
    };
    const raw = formatConsent(consent);
    expect(raw).to.equal(`${GRANT_ID}\t=oaphn\t\t${GRANTED.toString(36)}\t${YEAR.toString(36)}`);
    // Redis keeps a hash in its compact listpack form while every value is at most 64 bytes.
    expect(raw.length).to.be.at.most(64);
    expect(parseConsent(raw)).to.deep.equal(consent);
  });

  it('keeps a scope it has no letter for, and the claims, as they are', () => {
    const consent = {
      grantId: 'g1',
      scope: 'openid custom',
      claims: ['given_name', 'family_name'],
      grantedAt: GRANTED,
      until: GRANTED + 60,
    };
    const raw = formatConsent(consent);
    expect(raw.split('\t')[1]).to.equal('openid custom');
    expect(raw.split('\t')[4]).to.equal((GRANTED + 60).toString(36));
    expect(parseConsent(raw)).to.deep.equal(consent);
    expect(parseConsent(formatConsent({ grantId: 'g2', scope: 'openid', claims: [] }))).to.deep.equal({
      grantId: 'g2',
      scope: 'openid',
      claims: [],
    });
  });

  it('still reads the records of earlier releases: tabs with absolute times, JSON, a bare grant id', () => {
    expect(parseConsent(`${GRANT_ID}\topenid profile phone\t\ttphews\tu89c8s`)).to.deep.equal({
      grantId: GRANT_ID,
      scope: 'openid profile phone',
      claims: [],
      grantedAt: Number.parseInt('tphews', 36),
      until: Number.parseInt('u89c8s', 36),
    });
    expect(
      parseConsent(JSON.stringify({ grantId: 'g0', scope: 'openid', claims: ['x'], until: 5 })),
    ).to.deep.equal({ grantId: 'g0', scope: 'openid', claims: ['x'], until: 5 });
    expect(parseConsent('g-bare')).to.deep.equal({ grantId: 'g-bare', scope: '', claims: [] });
  });
});
