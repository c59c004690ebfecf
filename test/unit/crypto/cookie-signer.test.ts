import { expect } from 'chai';
import Keygrip from 'keygrip';
import { CookieSigner } from '../../../src/crypto/cookie-signer.js';

describe('CookieSigner: Keygrip-compatible cookie signatures', () => {
  const keys = ['newest-key-0123456789abcdef', 'older-key-fedcba9876543210'];
  const values = ['darvaze.session=abc', 'darvaze.interaction=u1; ü ☃', '', 'x'.repeat(500)];

  it('signs exactly as Keygrip does, so cookies set by either read with the other', () => {
    const keygrip = new Keygrip(keys);
    const signer = new CookieSigner(keys);
    for (const value of values) {
      expect(signer.sign(value), value).to.equal(keygrip.sign(value));
      expect(signer.index(value, keygrip.sign(value))).to.equal(0);
      expect(keygrip.index(value, signer.sign(value))).to.equal(0);
    }
  });

  it('accepts a signature by an older key and says which', () => {
    const older = new CookieSigner([keys[1] as string]);
    const signer = new CookieSigner(keys);
    expect(signer.index('v', older.sign('v'))).to.equal(1);
    expect(signer.verify('v', older.sign('v'))).to.equal(true);
  });

  it('refuses a signature for another value, by another key, cut short, padded or missing', () => {
    const signer = new CookieSigner(keys);
    const good = signer.sign('v');
    const forged = [
      signer.sign('w'),
      new CookieSigner(['attacker-key']).sign('v'),
      good.slice(0, -1),
      `${good}=`,
      `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
      '',
      undefined as unknown as string,
    ];
    for (const digest of forged) {
      expect(signer.index('v', digest), String(digest)).to.equal(-1);
      expect(signer.verify('v', digest)).to.equal(false);
    }
  });

  it('needs a key', () => {
    expect(() => new CookieSigner([])).to.throw(/at least one key/);
  });
});
