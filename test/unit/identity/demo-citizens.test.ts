import { verifyIranianNationalId } from '@persian-tools/persian-tools';
import { expect } from 'chai';
import { isValidJalaaliDate } from 'jalaali-js';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';

describe('demo citizens', () => {
  it('all have valid Iranian national codes (check digit and all)', () => {
    for (const c of DEMO_CITIZENS) {
      expect(c.nationalCode, c.nationalCode).to.match(/^\d{10}$/);
      expect(verifyIranianNationalId(c.nationalCode), c.nationalCode).to.equal(true);
    }
  });

  it('have distinct national codes and mobiles in 09… form', () => {
    expect(new Set(DEMO_CITIZENS.map((c) => c.nationalCode)).size).to.equal(DEMO_CITIZENS.length);
    expect(new Set(DEMO_CITIZENS.map((c) => c.mobile)).size).to.equal(DEMO_CITIZENS.length);
    for (const c of DEMO_CITIZENS) expect(c.mobile).to.match(/^09\d{9}$/);
  });

  it('have real Jalali birth dates in ASCII YYYY/MM/DD and Persian names', () => {
    for (const { person } of DEMO_CITIZENS) {
      expect(person.birthDate).to.match(/^\d{4}\/\d{2}\/\d{2}$/);
      const [y, m, d] = person.birthDate.split('/').map(Number);
      expect(isValidJalaaliDate(y!, m!, d!), person.birthDate).to.equal(true);
      for (const name of [person.firstName, person.lastName, person.fatherName]) {
        expect(name).to.match(/^[\u0600-\u06FF\u200c ]+$/);
      }
    }
  });

  it('cover the cases the README promises', () => {
    const ordinary = DEMO_CITIZENS.filter((c) => c.case === 'ordinary');
    expect(ordinary.length).to.be.at.least(3);
    expect(ordinary.some((c) => c.person.gender === 'male')).to.equal(true);
    expect(ordinary.some((c) => c.person.gender === 'female')).to.equal(true);
    expect(ordinary.every((c) => c.ownsMobile && c.person.alive && !c.simulateUpstreamFailure)).to.equal(
      true,
    );

    const [notOwned] = DEMO_CITIZENS.filter((c) => c.case === 'mobile-not-owned');
    expect(notOwned?.ownsMobile).to.equal(false);
    const [deceased] = DEMO_CITIZENS.filter((c) => c.case === 'deceased');
    expect(deceased?.person.alive).to.equal(false);
    const [failing] = DEMO_CITIZENS.filter((c) => c.case === 'upstream-failure');
    expect(failing?.simulateUpstreamFailure).to.equal(true);
  });

  it('each carry an English and a Persian description', () => {
    for (const c of DEMO_CITIZENS) {
      expect(c.description.en).to.be.a('string').that.is.not.empty;
      expect(c.description.fa).to.match(/[\u0600-\u06FF]/);
    }
  });
});
