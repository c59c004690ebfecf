import { expect } from 'chai';

describe('runtime', () => {
  it('runs on Node 22 or later (oidc-provider 9 needs it)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major).to.be.at.least(22);
  });
});
