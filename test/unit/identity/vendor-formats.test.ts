import { expect } from 'chai';
import {
  genderFromVendor,
  jalaliCompact,
  jalaliFromVendor,
  jalaliSlashed,
  mobile09,
  mobile98,
} from '../../../src/identity/vendors/formats.js';

describe('identity vendor formats', () => {
  it('converts birth dates both ways, reading every echoed form', () => {
    expect(jalaliCompact('1370/05/14')).to.equal('13700514');
    expect(jalaliSlashed('1370/05/14')).to.equal('1370/05/14');
    expect(() => jalaliSlashed('1370/5/14')).to.throw(TypeError);
    for (const echoed of ['13700514', '1370/5/14', '1370-05-14', '۱۳۷۰/۰۵/۱۴']) {
      expect(jalaliFromVendor(echoed)).to.equal('1370/05/14');
    }
    expect(jalaliFromVendor('14 Mordad')).to.equal(undefined);
  });

  it('converts mobiles and reads genders as vendors write them', () => {
    expect(mobile09('09121234567')).to.equal('09121234567');
    expect(mobile98('09121234567')).to.equal('989121234567');
    expect(() => mobile09('+989121234567')).to.throw(TypeError);
    expect(['MALE', 'male', 'مرد', '1', 1].map(genderFromVendor)).to.deep.equal(Array(5).fill('male'));
    expect(['FEMALE', 'زن', '2'].map(genderFromVendor)).to.deep.equal(Array(3).fill('female'));
    expect(['UNKNOWN', '', undefined, 3].map(genderFromVendor)).to.deep.equal(Array(4).fill(undefined));
  });
});
