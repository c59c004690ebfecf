import { expect } from 'chai';
import { isVerificationFresh } from '../../../src/accounts/verification-freshness.js';

describe('identity verification freshness', () => {
  const verifiedAt = 1_700_000_000; // epoch seconds
  const year = 365 * 24 * 3600;
  const at = (seconds: number) => (verifiedAt + seconds) * 1000; // the clock is epoch ms

  it('is fresh up to and including the maximum age', () => {
    expect(isVerificationFresh({ verifiedAt }, at(0), year)).to.equal(true);
    expect(isVerificationFresh({ verifiedAt }, at(year - 1), year)).to.equal(true);
    expect(isVerificationFresh({ verifiedAt }, at(year), year)).to.equal(true);
  });

  it('is stale one second past the maximum age, and any time later', () => {
    expect(isVerificationFresh({ verifiedAt }, at(year + 1), year)).to.equal(false);
    expect(isVerificationFresh({ verifiedAt }, at(10 * year), year)).to.equal(false);
  });

  it('reads the clock in milliseconds: a fraction of a second past the age is already stale', () => {
    expect(isVerificationFresh({ verifiedAt }, at(year) + 1, year)).to.equal(false);
  });

  it('a maximum age of 0 lets only a verification of this very second through', () => {
    expect(isVerificationFresh({ verifiedAt }, at(0), 0)).to.equal(true);
    expect(isVerificationFresh({ verifiedAt }, at(1), 0)).to.equal(false);
  });
});
