import { isPhoneNumberValid } from '@persian-tools/persian-tools';
import { expect } from 'chai';
import { maskMobile, normalizeMobile } from '../../../src/validation/mobile.js';

const expected = { e164: '+989121234567', national: '09121234567' };

describe('normalizeMobile', () => {
  it('accepts every prefix people use', () => {
    for (const input of ['09121234567', '9121234567', '+989121234567', '00989121234567', '989121234567']) {
      expect(normalizeMobile(input), input).to.deep.equal(expected);
    }
  });

  it("accepts every 09xx range, also those persian-tools' operator list does not know", () => {
    for (const input of ['09341234567', '09061234567', '09441234567', '09971234567']) {
      expect(isPhoneNumberValid(input), input).to.equal(false);
      expect(normalizeMobile(input)?.national, input).to.equal(input);
    }
  });

  it('accepts Persian, Arabic and mixed digits', () => {
    expect(normalizeMobile('۰۹۱۲۱۲۳۴۵۶۷')).to.deep.equal(expected);
    expect(normalizeMobile('٠٩١٢١٢٣٤٥٦٧')).to.deep.equal(expected);
    expect(normalizeMobile('+۹۸٩١٢1234567')).to.deep.equal(expected);
  });

  it('strips spaces, dashes and invisible characters', () => {
    expect(normalizeMobile(' 0912 123 4567 ')).to.deep.equal(expected);
    expect(normalizeMobile('0912-123-4567')).to.deep.equal(expected);
    expect(normalizeMobile('+98 912\u00a0123\u20134567')).to.deep.equal(expected);
    expect(normalizeMobile('\u200e0912\u200c123\u200f4567\ufeff')).to.deep.equal(expected);
    expect(normalizeMobile('\u202b۰۹۱۲ ۱۲۳ ۴۵۶۷\u202c')).to.deep.equal(expected);
  });

  it('rejects landlines, foreign numbers and wrong lengths', () => {
    for (const input of [
      '02112345678', // Tehran landline
      '+982112345678',
      '+447911123456',
      '0912123456', // one digit short
      '091212345678', // one digit long
      '912123456',
      '+98091212345678',
      '8121234567',
      '0098 0912 123 4567',
    ]) {
      expect(normalizeMobile(input), input).to.equal(null);
    }
  });

  it('rejects letters, other symbols and empty input', () => {
    for (const input of [
      '',
      '   ',
      '0912123456a',
      '0912.123.4567',
      '(0912)1234567',
      '09121234567;',
      'x09121234567',
    ]) {
      expect(normalizeMobile(input), input).to.equal(null);
    }
  });

  it('rejects over-long input before processing it', () => {
    expect(normalizeMobile(`${' '.repeat(100)}09121234567`)).to.equal(null);
    expect(normalizeMobile('9'.repeat(100_000))).to.equal(null);
  });

  it('rejects non-strings', () => {
    expect(normalizeMobile(undefined as unknown as string)).to.equal(null);
    expect(normalizeMobile(9121234567 as unknown as string)).to.equal(null);
  });

  it('masks a number down to its last four digits', () => {
    expect(maskMobile('+989121234567')).to.equal('…4567');
  });
});
