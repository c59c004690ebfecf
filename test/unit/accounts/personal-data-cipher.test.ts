import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createPersonalDataCipher, SealedDataError } from '../../../src/accounts/personal-data-cipher.js';

const oldKey = { id: 'k2024', key: randomBytes(32) };
const newKey = { id: 'k2025', key: randomBytes(32) };
const indexKey = randomBytes(32);
const text = JSON.stringify({ firstName: 'علی', lastName: 'رضایی', nationalCode: '0499370899' });

/** Flips one bit of a base64url segment of a sealed value. */
function tamper(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('personal data cipher', () => {
  const cipher = createPersonalDataCipher({ keys: [newKey, oldKey], indexKey });

  it('round-trips Unicode text, in the documented format, sealed by the first key', () => {
    const sealed = cipher.seal(text);
    expect(sealed).to.match(/^v1\.k2025\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).to.not.include('0499370899');
    expect(cipher.open(sealed)).to.equal(text);
    expect(cipher.open(cipher.seal(''))).to.equal('');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.seal(text)).to.not.equal(cipher.seal(text));
  });

  it('rotation: values sealed by an older key still open; a removed key does not', () => {
    const before = createPersonalDataCipher({ keys: [oldKey], indexKey });
    const sealedBefore = before.seal(text);
    expect(sealedBefore.split('.')[1]).to.equal('k2024');
    expect(cipher.open(sealedBefore)).to.equal(text);
    const after = createPersonalDataCipher({ keys: [newKey], indexKey });
    expect(() => after.open(sealedBefore)).to.throw(SealedDataError, /unknown key/);
  });

  it('detects tampering with the IV, the ciphertext, the tag or the key id', () => {
    const sealed = cipher.seal(text);
    expect(() => cipher.open(tamper(sealed, 2))).to.throw(SealedDataError);
    expect(() => cipher.open(tamper(sealed, 3))).to.throw(SealedDataError);
    const [version, , iv, body] = sealed.split('.');
    // Same key material under another id: the id is authenticated, so this fails too.
    const alias = createPersonalDataCipher({ keys: [newKey, { id: 'alias', key: newKey.key }], indexKey });
    expect(() => alias.open([version, 'alias', iv, body].join('.'))).to.throw(SealedDataError);
    const truncated = Buffer.from(body as string, 'base64url')
      .subarray(0, -1)
      .toString('base64url');
    expect(() => cipher.open([version, 'k2025', iv, truncated].join('.'))).to.throw(SealedDataError);
  });

  it('binds a sealed value to its context', () => {
    const sealed = cipher.seal(text, 'account:A');
    expect(cipher.open(sealed, 'account:A')).to.equal(text);
    expect(() => cipher.open(sealed, 'account:B')).to.throw(SealedDataError);
    expect(() => cipher.open(sealed)).to.throw(SealedDataError);
  });

  it('rejects malformed values', () => {
    for (const value of ['', 'v1', 'v2.k2025.aaaa.bbbb', 'v1.k2025..', 'v1.k2025.short.body', 'a.b.c.d.e']) {
      expect(() => cipher.open(value), value).to.throw(SealedDataError);
    }
  });

  it('blind index: stable, keyed, distinct per value', () => {
    expect(cipher.blindIndex('mobile:+989121234567')).to.equal(cipher.blindIndex('mobile:+989121234567'));
    expect(cipher.blindIndex('mobile:+989121234567')).to.not.equal(cipher.blindIndex('mobile:+989121234568'));
    expect(cipher.blindIndex('x')).to.match(/^[A-Za-z0-9_-]{43}$/);
    const otherIndex = createPersonalDataCipher({ keys: [newKey], indexKey: randomBytes(32) });
    expect(otherIndex.blindIndex('x')).to.not.equal(cipher.blindIndex('x'));
  });

  it('refuses unusable key configurations', () => {
    expect(() => createPersonalDataCipher({ keys: [], indexKey })).to.throw(RangeError);
    expect(() => createPersonalDataCipher({ keys: [{ id: 'a', key: randomBytes(16) }], indexKey })).to.throw(
      RangeError,
    );
    expect(() =>
      createPersonalDataCipher({ keys: [{ id: 'a.b', key: randomBytes(32) }], indexKey }),
    ).to.throw(RangeError);
    expect(() => createPersonalDataCipher({ keys: [oldKey, oldKey], indexKey })).to.throw(RangeError);
    expect(() => createPersonalDataCipher({ keys: [oldKey], indexKey: randomBytes(8) })).to.throw(RangeError);
  });
});
