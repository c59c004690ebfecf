import { expect } from 'chai';
import { normalizeDigitString, toAsciiDigits } from '../../../src/validation/digits.js';

describe('digits', () => {
  it('turns Persian and Arabic-Indic digits into ASCII, one for one', () => {
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).to.equal('0123456789');
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).to.equal('0123456789');
    expect(toAsciiDigits('۱٢3')).to.equal('123');
    expect(toAsciiDigits('')).to.equal('');
  });

  it('leaves every other character as it is, for the parser to reject', () => {
    expect(toAsciiDigits('۱۲a-b ٣')).to.equal('12a-b 3');
    expect(toAsciiDigits('١.٢')).to.equal('1.2');
    // Superscripts and full-width digits are not digits a form accepts.
    expect(toAsciiDigits('²１')).to.equal('²１');
  });

  it('strips spaces, dashes and invisible marks from a code typed in groups', () => {
    expect(normalizeDigitString(' ۱۲۳-۴۵۶\u200c٧٨\u200f ')).to.equal('12345678');
    expect(normalizeDigitString('12.34')).to.equal('12.34');
  });
});
