import { expect } from 'chai';
import { coarseNetwork } from '../../../src/audit/coarse-network.js';

describe('coarseNetwork: the address as the person’s activity list shows it', () => {
  it('keeps an IPv4 /24 and an IPv6 /48, nothing finer', () => {
    expect(coarseNetwork('203.0.113.77')).to.equal('203.0.113.0/24');
    expect(coarseNetwork('::ffff:198.51.100.9')).to.equal('198.51.100.0/24');
    expect(coarseNetwork('2001:db8:abcd:12:1::7')).to.equal('2001:db8:abcd::/48');
    expect(coarseNetwork('2001:db8::1')).to.equal('2001:db8:0::/48');
    expect(coarseNetwork('::1')).to.equal('0:0:0::/48');
  });

  it('answers empty for anything that is not an address', () => {
    for (const value of [undefined, '', 'localhost', '999.1.1.1', '<script>'])
      expect(coarseNetwork(value)).to.equal('');
  });
});
