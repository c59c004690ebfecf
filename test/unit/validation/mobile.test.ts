import { isPhoneNumberValid } from '@persian-tools/persian-tools';
import { expect } from 'chai';
import { Mobile } from '../../../src/validation/mobile.js';

const expected = { e164: '+989121234567', national: '09121234567' };
/** The two forms of a parsed number, to compare with plain objects. */
const forms = (input: unknown) => {
  const mobile = Mobile.parse(input);
  return mobile && { e164: mobile.e164, national: mobile.national };
};

describe('Mobile.parse', () => {
  it('accepts every prefix people use', () => {
    for (const input of ['09121234567', '9121234567', '+989121234567', '00989121234567', '989121234567']) {
      expect(forms(input), input).to.deep.equal(expected);
    }
  });

  it("accepts every 09xx range, also those persian-tools' operator list does not know", () => {
    for (const input of ['09341234567', '09061234567', '09441234567', '09971234567']) {
      expect(isPhoneNumberValid(input), input).to.equal(false);
      expect(Mobile.parse(input)?.national, input).to.equal(input);
    }
  });

  it('accepts Persian, Arabic and mixed digits', () => {
    expect(forms('۰۹۱۲۱۲۳۴۵۶۷')).to.deep.equal(expected);
    expect(forms('٠٩١٢١٢٣٤٥٦٧')).to.deep.equal(expected);
    expect(forms('+۹۸٩١٢1234567')).to.deep.equal(expected);
  });

  it('strips spaces, dashes and invisible characters', () => {
    expect(forms(' 0912 123 4567 ')).to.deep.equal(expected);
    expect(forms('0912-123-4567')).to.deep.equal(expected);
    expect(forms('+98 912\u00a0123\u20134567')).to.deep.equal(expected);
    expect(forms('\u200e0912\u200c123\u200f4567\ufeff')).to.deep.equal(expected);
    expect(forms('\u202b۰۹۱۲ ۱۲۳ ۴۵۶۷\u202c')).to.deep.equal(expected);
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
      expect(forms(input), input).to.equal(undefined);
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
      expect(forms(input), input).to.equal(undefined);
    }
  });

  it('rejects over-long input before processing it', () => {
    expect(forms(`${' '.repeat(100)}09121234567`)).to.equal(undefined);
    expect(forms('9'.repeat(100_000))).to.equal(undefined);
  });

  it('rejects non-strings', () => {
    for (const input of [undefined, null, 9121234567, ['09121234567'], { e164: '+989121234567' }]) {
      expect(forms(input), String(input)).to.equal(undefined);
    }
  });
});

describe('Mobile.fromE164', () => {
  it('reads back the stored form, and nothing else', () => {
    expect(Mobile.fromE164('+989121234567')?.national).to.equal('09121234567');
    for (const input of [
      '09121234567',
      '9121234567',
      '00989121234567',
      '+98 912 123 4567',
      '+98912123456',
      '+442071234567',
      '+۹۸۹۱۲۱۲۳۴۵۶۷',
      '',
      undefined,
    ]) {
      expect(Mobile.fromE164(input), String(input)).to.equal(undefined);
    }
  });
});

describe('a Mobile', () => {
  const mobile = Mobile.parse('0912 123 4567') as Mobile;

  it('masks a number down to its last four digits', () => {
    expect(mobile.masked).to.equal('…4567');
  });

  it('shows only the masked form when printed, logged or serialised', () => {
    expect(String(mobile)).to.equal('…4567');
    expect(`${mobile}`).to.equal('…4567');
    expect(JSON.stringify({ mobile })).to.equal('{"mobile":"…4567"}');
    expect(Object.keys(mobile)).to.deep.equal([]);
  });

  it('equals the same number however it was written', () => {
    expect(mobile.equals(Mobile.parse('+98 ۹۱۲ ۱۲۳ ۴۵۶۷') as Mobile)).to.equal(true);
    expect(mobile.equals(Mobile.fromE164('+989121234567') as Mobile)).to.equal(true);
    expect(mobile.equals(Mobile.parse('09121234568') as Mobile)).to.equal(false);
  });

  it('cannot be changed', () => {
    expect(Object.isFrozen(mobile)).to.equal(true);
    expect(() => {
      (mobile as unknown as { e164: string }).e164 = '+989000000000';
    }).to.throw(TypeError);
    expect(mobile.e164).to.equal('+989121234567');
  });
});
