import { expect } from 'chai';
import {
  claimKeysFor,
  claimsAllowedForScopes,
  claimsOf,
  limitClaimsRequest,
} from '../../../src/oidc/claims.js';

describe('claims', () => {
  it('lists each piece of data a set of scopes releases once, in plain-word keys', () => {
    expect(claimKeysFor(['openid', 'profile', 'phone', 'national_id'])).to.deep.equal([
      'claim.name',
      'claim.gender',
      'claim.birthdate',
      'claim.phone_number',
      'claim.national_code',
      'claim.father_name',
    ]);
    expect(claimKeysFor(['openid', 'offline_access'])).to.deep.equal([]);
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
      verification: { verifiedAt: 1_700_000_000, source: 'simulator' },
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
});

describe('the claims parameter, limited to the allowed scopes', () => {
  it('keeps protocol claims and the claims of allowed scopes, drops the rest', () => {
    const allowed = claimsAllowedForScopes(['openid', 'phone']);
    const limited = limitClaimsRequest(
      {
        id_token: { national_code: null, phone_number: { essential: true }, auth_time: { essential: true } },
        userinfo: { name: null, email: null },
      },
      allowed,
    );
    expect(limited).to.deep.equal({
      id_token: { phone_number: { essential: true }, auth_time: { essential: true } },
      userinfo: {},
    });
  });

  it('shows claims asked for by name on the consent page, names as one line', () => {
    expect(claimKeysFor(['openid'], ['given_name', 'national_code'])).to.deep.equal([
      'claim.name',
      'claim.national_code',
    ]);
  });
});
