import { expect } from 'chai';
import { claimKeysForScopes, claimsOf, claimsOutsideScopes } from '../../../src/oidc/claims.js';

describe('claims', () => {
  it('lists each piece of data a set of scopes releases once, in plain-word keys', () => {
    expect(claimKeysForScopes(['openid', 'profile', 'phone', 'national_id'])).to.deep.equal([
      'claim.name',
      'claim.gender',
      'claim.birthdate',
      'claim.phone_number',
      'claim.national_code',
      'claim.father_name',
    ]);
    expect(claimKeysForScopes(['openid', 'offline_access'])).to.deep.equal([]);
  });

  it('makes every claim of DESIGN §2.5, and no phone claims for an account whose number was taken over', () => {
    const person = {
      sub: 's',
      mobile: '+989121234567',
      nationalCode: '0499370899',
      firstName: 'علی',
      lastName: 'رضایی',
      fatherName: 'حسن',
      gender: 'male' as const,
      birthDateJalali: '1370/05/14',
      birthDateGregorian: '1991-08-05',
    };
    expect(claimsOf(person)).to.deep.equal({
      sub: 's',
      name: 'علی رضایی',
      given_name: 'علی',
      family_name: 'رضایی',
      gender: 'male',
      birthdate: '1991-08-05',
      birthdate_jalali: '1370/05/14',
      phone_number: '+989121234567',
      phone_number_verified: true,
      national_code: '0499370899',
      father_name: 'حسن',
    });
    expect(claimsOf({ ...person, mobile: null })).to.not.have.any.keys(
      'phone_number',
      'phone_number_verified',
    );
  });

  it('names the personal claims a claims parameter asks for outside the requested scopes', () => {
    const requested = {
      id_token: { national_code: { essential: true }, given_name: null, sub: null, amr: null },
      userinfo: { father_name: null, phone_number: null, unknown_claim: null },
    };
    expect(claimsOutsideScopes(requested, ['openid'])).to.have.members([
      'national_code',
      'given_name',
      'father_name',
      'phone_number',
    ]);
    expect(claimsOutsideScopes(requested, ['openid', 'profile', 'phone'])).to.have.members([
      'national_code',
      'father_name',
    ]);
    expect(claimsOutsideScopes(requested, ['openid', 'profile', 'phone', 'national_id'])).to.deep.equal([]);
    expect(claimsOutsideScopes({}, ['openid'])).to.deep.equal([]);
  });
});
