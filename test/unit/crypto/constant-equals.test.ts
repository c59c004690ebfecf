import { expect } from 'chai';
import { constantEquals } from '../../../src/crypto/constant-equals.js';

describe('constantEquals', () => {
  it('is true for equal strings and equal bytes', () => {
    expect(constantEquals('Bearer s3cret', 'Bearer s3cret')).to.equal(true);
    expect(constantEquals('', '')).to.equal(true);
    expect(constantEquals(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).to.equal(true);
    expect(constantEquals('۰۹۱۲', '۰۹۱۲')).to.equal(true);
  });

  it('is false for any difference, including one of length, without throwing', () => {
    expect(constantEquals('Bearer s3cret', 'Bearer s3creT')).to.equal(false);
    expect(constantEquals('Bearer s3cret', 'Bearer s3cret ')).to.equal(false);
    expect(constantEquals('Bearer s3cret', '')).to.equal(false);
    expect(constantEquals('', 'x')).to.equal(false);
    expect(constantEquals(Buffer.from([1, 2, 3]), Buffer.from([1, 2]))).to.equal(false);
    expect(constantEquals('a'.repeat(100_000), 'a'.repeat(99_999))).to.equal(false);
  });

  it('compares a string with its UTF-8 bytes as equal', () => {
    expect(constantEquals('کد', Buffer.from('کد', 'utf8'))).to.equal(true);
  });
});
