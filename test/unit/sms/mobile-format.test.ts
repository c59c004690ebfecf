import { expect } from 'chai';
import { maskMobile, toNationalMobile } from '../../../src/sms/mobile-format.js';

describe('mobile formats for SMS', () => {
  it('turns E.164 into the national 09… form', () => {
    expect(toNationalMobile('+989121234567')).to.equal('09121234567');
    expect(toNationalMobile('09121234567')).to.equal('09121234567');
  });

  it('refuses anything that is not an Iranian mobile', () => {
    for (const bad of ['+442071234567', '9121234567', '+98912123456', '+98 912 123 4567', '']) {
      expect(() => toNationalMobile(bad), bad).to.throw(TypeError);
    }
  });

  it('masks the middle digits', () => {
    expect(maskMobile('+989121234567')).to.equal('…4567');
    expect(maskMobile('09121234567')).to.equal('…4567');
    expect(maskMobile('garbage')).to.equal('***');
  });
});
