import { verifyIranianNationalId } from '@persian-tools/persian-tools';
import { expect } from 'chai';
import { NationalCode } from '../../../src/validation/national-code.js';

/** The digits of a parsed code, or undefined. */
const normalizeNationalCode = (input: unknown) => NationalCode.parse(input)?.value;

describe('NationalCode.parse', () => {
  it('accepts codes with a valid check digit', () => {
    // Covers both check-digit branches: remainder < 2 (digit = remainder) and 11 − remainder.
    for (const code of ['0499370899', '0013542419', '1234567891', '1000000060', '8124158681', '3170669079']) {
      expect(normalizeNationalCode(code), code).to.equal(code);
    }
  });

  it('rejects a wrong check digit', () => {
    expect(normalizeNationalCode('0499370898')).to.equal(undefined);
    expect(normalizeNationalCode('1234567890')).to.equal(undefined);
    expect(normalizeNationalCode('1000000061')).to.equal(undefined);
  });

  it('converts Persian and Arabic digits and strips separators', () => {
    expect(normalizeNationalCode('۰۴۹۹۳۷۰۸۹۹')).to.equal('0499370899');
    expect(normalizeNationalCode('٠٤٩٩٣٧٠٨٩٩')).to.equal('0499370899');
    expect(normalizeNationalCode(' 049-937089-9 ')).to.equal('0499370899');
    expect(normalizeNationalCode('\u200f۰۴۹۹\u200c۳۷۰۸۹۹')).to.equal('0499370899');
  });

  it('does not left-pad short input', () => {
    expect(normalizeNationalCode('499370899')).to.equal(undefined);
    expect(normalizeNationalCode('13542419')).to.equal(undefined);
  });

  it('rejects the ten repeated-digit codes, though their check digit is valid', () => {
    for (let digit = 0; digit <= 9; digit++) {
      expect(normalizeNationalCode(String(digit).repeat(10))).to.equal(undefined);
    }
  });

  it("differs from persian-tools' verifyIranianNationalId defaults, on purpose", () => {
    // It pads 9 digits with a zero; we ask the person to type all ten.
    expect(verifyIranianNationalId('499370899')).to.equal(true);
    expect(normalizeNationalCode('499370899')).to.equal(undefined);
    // It refuses a registry-office prefix missing from its list; the registry decides.
    expect(verifyIranianNationalId('8124158681')).to.equal(false);
    expect(normalizeNationalCode('8124158681')).to.equal('8124158681');
    // It refuses digits 4 to 9 all zero; the check digit is right, the registry decides.
    expect(verifyIranianNationalId('1000000060')).to.equal(false);
    expect(normalizeNationalCode('1000000060')).to.equal('1000000060');
    // Both refuse the repeated-digit codes.
    expect(verifyIranianNationalId('1111111111')).to.equal(false);
    expect(normalizeNationalCode('1111111111')).to.equal(undefined);
  });

  it('rejects wrong lengths, letters and over-long input', () => {
    for (const input of [
      '',
      '04993708990',
      '049937089a',
      '0499370899x',
      '0499.370.899',
      `${' '.repeat(60)}0499370899`,
    ]) {
      expect(normalizeNationalCode(input), input).to.equal(undefined);
    }
  });
});

describe('NationalCode.fromDigits', () => {
  it('reads back a stored code: ten ASCII digits with a valid check digit, nothing else', () => {
    expect(NationalCode.fromDigits('0499370899')?.value).to.equal('0499370899');
    for (const input of ['۰۴۹۹۳۷۰۸۹۹', ' 0499370899', '499370899', '0499370898', '1111111111', 499370899]) {
      expect(NationalCode.fromDigits(input), String(input)).to.equal(undefined);
    }
  });
});

describe('a NationalCode', () => {
  const code = NationalCode.parse('۰۴۹۹۳۷۰۸۹۹') as NationalCode;

  it('shows nothing of the code when printed, logged or serialised', () => {
    expect(String(code)).to.not.include('0899');
    expect(JSON.stringify({ code })).to.equal('{"code":"[national code]"}');
    expect(Object.keys(code)).to.deep.equal([]);
  });

  it('equals the same code however it was written, and cannot be changed', () => {
    expect(code.equals(NationalCode.fromDigits('0499370899') as NationalCode)).to.equal(true);
    expect(code.equals(NationalCode.fromDigits('0013542419') as NationalCode)).to.equal(false);
    expect(Object.isFrozen(code)).to.equal(true);
  });
});
