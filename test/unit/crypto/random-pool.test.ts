import { expect } from 'chai';
import { pooledRandomBase64url, pooledRandomBytes } from '../../../src/crypto/random-pool.js';

describe('random pool: CSPRNG bytes handed out once', () => {
  it('never repeats a value across many pool refills (12-byte IVs, 16-character ids)', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 5000; i++) ivs.add(pooledRandomBytes(12).toString('hex'));
    expect(ivs.size).to.equal(5000);
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) ids.add(pooledRandomBase64url(12));
    expect(ids.size).to.equal(5000);
  });

  it('answers the length asked for, base64url without padding', () => {
    expect(pooledRandomBytes(12)).to.have.length(12);
    expect(pooledRandomBase64url(32)).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a Buffer of its own: changing it changes nothing handed out later', () => {
    const first = pooledRandomBytes(16);
    first.fill(0);
    expect(pooledRandomBytes(16).equals(Buffer.alloc(16))).to.equal(false);
  });

  it('refuses nothing, fractions and more than the pool', () => {
    for (const count of [0, -1, 1.5, 4097])
      expect(() => pooledRandomBytes(count), String(count)).to.throw(RangeError);
  });
});
