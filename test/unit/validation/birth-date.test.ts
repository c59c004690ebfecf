import { expect } from 'chai';
import { BirthDate } from '../../../src/validation/birth-date.js';

// 2025-06-15 12:00 UTC = 1404/03/25 in Iran.
const NOW = Date.UTC(2025, 5, 15, 12);
const clock = () => NOW;
/** Both calendars of a date, to compare with plain objects. */
const forms = (date: BirthDate | undefined) => date && { jalali: date.jalali, gregorian: date.gregorian };
const parseJalaliBirthDate = (input: unknown, now: () => number) => forms(BirthDate.parse(input, now));
const parse = (input: unknown) => parseJalaliBirthDate(input, clock);
const jalaliToGregorian = (input: unknown) => BirthDate.fromJalali(input)?.gregorian;

describe('BirthDate.parse', () => {
  it('parses a date and gives its Gregorian equivalent', () => {
    expect(parse('1370/05/14')).to.deep.equal({ jalali: '1370/05/14', gregorian: '1991-08-05' });
    expect(parse('1399/02/15')).to.deep.equal({ jalali: '1399/02/15', gregorian: '2020-05-04' });
  });

  it('accepts Persian and Arabic digits, dashes and one-digit month and day', () => {
    const expected = { jalali: '1370/05/04', gregorian: '1991-07-26' };
    expect(parse('۱۳۷۰/۰۵/۰۴')).to.deep.equal(expected);
    expect(parse('١٣٧٠/٠٥/٠٤')).to.deep.equal(expected);
    expect(parse('1370-5-4')).to.deep.equal(expected);
    expect(parse(' ۱۳۷۰/۵/۴ ')).to.deep.equal(expected);
    expect(parse('\u200f1370/05/04\u200e')).to.deep.equal(expected);
  });

  it('accepts what a numeric keypad can type: eight digits in a row, spaces or dots', () => {
    const expected = { jalali: '1370/05/04', gregorian: '1991-07-26' };
    for (const input of ['13700504', '۱۳۷۰۰۵۰۴', '1370 05 04', '1370.05.04', '1370.5.4']) {
      expect(parse(input), input).to.deep.equal(expected);
    }
    expect(parse('13701304')).to.equal(undefined);
  });

  it('knows leap years: 1399/12/30 exists, 1400/12/30 does not', () => {
    expect(parse('1399/12/30')).to.deep.equal({ jalali: '1399/12/30', gregorian: '2021-03-20' });
    expect(parse('1400/12/30')).to.equal(undefined);
    expect(parse('1400/12/29')).to.deep.equal({ jalali: '1400/12/29', gregorian: '2022-03-20' });
  });

  it('knows the other leap years too, in any digits', () => {
    expect(parse('1375/12/30')).to.deep.equal({ jalali: '1375/12/30', gregorian: '1997-03-20' });
    expect(parse('۱۴۰۳/۱۲/۳۰')).to.deep.equal({ jalali: '1403/12/30', gregorian: '2025-03-20' });
    expect(parse('١٣٧٥/١٢/٣٠')).to.deep.equal({ jalali: '1375/12/30', gregorian: '1997-03-20' });
    expect(parse('1376/12/30')).to.equal(undefined);
    expect(parse('۱۳۹۸/۱۲/۳۰')).to.equal(undefined);
  });

  it('rejects impossible month and day numbers', () => {
    for (const input of ['1370/13/01', '1370/00/10', '1370/05/00', '1370/07/31', '1370/06/32']) {
      expect(parse(input), input).to.equal(undefined);
    }
    expect(parse('1370/06/31')).to.not.equal(undefined); // the first six months have 31 days
  });

  it('rejects other shapes', () => {
    for (const input of [
      '',
      '1370/05',
      '70/05/14',
      '1370/05/14/1',
      '1370/05-14',
      '1370514',
      '137005140',
      'abcd/ef/gh',
    ]) {
      expect(parse(input), input).to.equal(undefined);
    }
    expect(parse(`${' '.repeat(60)}1370/05/14`)).to.equal(undefined);
  });

  it('rejects future dates; today is allowed', () => {
    expect(parse('1404/03/25')).to.deep.equal({ jalali: '1404/03/25', gregorian: '2025-06-15' });
    expect(parse('1404/03/26')).to.equal(undefined);
    expect(parse('1410/01/01')).to.equal(undefined);
  });

  it('takes "today" in Iran time (UTC+3:30)', () => {
    // 21:00 UTC on 2025-06-15 is already 00:30 on 1404/03/26 in Tehran.
    expect(parseJalaliBirthDate('1404/03/26', () => Date.UTC(2025, 5, 15, 21))).to.not.equal(undefined);
    expect(parseJalaliBirthDate('1404/03/26', () => Date.UTC(2025, 5, 15, 20))).to.equal(undefined);
  });

  it('rejects ages over 130', () => {
    // 1274/03/25 = 1895-06-15: exactly 130 years old.
    expect(parse('1274/03/25')).to.deep.equal({ jalali: '1274/03/25', gregorian: '1895-06-15' });
    expect(parse('1274/03/24')).to.equal(undefined);
    expect(parse('1200/01/01')).to.equal(undefined);
  });

  it('works with the real clock', () => {
    expect(parseJalaliBirthDate('1370/05/14', Date.now)).to.deep.equal({
      jalali: '1370/05/14',
      gregorian: '1991-08-05',
    });
  });
});

describe('BirthDate.fromJalali', () => {
  it('converts stored dates without the birth-date rules', () => {
    expect(jalaliToGregorian('1370/05/14')).to.equal('1991-08-05');
    expect(jalaliToGregorian('1200/01/01')).to.equal('1821-03-21');
    expect(jalaliToGregorian('1500/01/01')).to.equal('2121-03-21');
  });

  it('rejects anything but a valid ASCII YYYY/MM/DD', () => {
    for (const input of ['1400/12/30', '1370/5/14', '۱۳۷۰/۰۵/۱۴', '1370-05-14', '']) {
      expect(jalaliToGregorian(input), input).to.equal(undefined);
    }
  });
});

describe('a BirthDate', () => {
  const date = BirthDate.parse('۱۳۷۰/۵/۱۴', clock) as BirthDate;

  it('shows nothing of the date when printed, logged or serialised', () => {
    expect(String(date)).to.not.include('1370');
    expect(JSON.stringify({ date })).to.equal('{"date":"[birth date]"}');
    expect(Object.keys(date)).to.deep.equal([]);
  });

  it('equals the same date read back from the store, and cannot be changed', () => {
    expect(date.equals(BirthDate.fromJalali('1370/05/14') as BirthDate)).to.equal(true);
    expect(date.equals(BirthDate.fromJalali('1370/05/15') as BirthDate)).to.equal(false);
    expect(Object.isFrozen(date)).to.equal(true);
  });
});
