import { expect } from 'chai';
import { ACR, TRUST_FRAMEWORK } from '../../../src/oidc/assurance.js';
import {
  assuranceShortfall,
  identityStepRequired,
  requestedAcrValues,
} from '../../../src/oidc/assurance-requirements.js';
import { claimsAllowedForScopes, limitClaimsRequest } from '../../../src/oidc/claims.js';
import {
  buildVerifiedClaims,
  consentedVerifiedClaims,
  type VerificationRecord,
  verifiedGrantClaimNames,
} from '../../../src/oidc/verified-claims.js';
import {
  ClaimsRequestError,
  claimPurposes,
  requestedVerifiedClaimNames,
  requestPurpose,
  validateClaimsRequest,
  validateRequestPurpose,
  verificationMaxAge,
} from '../../../src/oidc/verified-claims-request.js';
import { claimsRequestErrors, verifiedClaimsErrors } from '../../helpers/ida-schema.js';

const VERIFIED_AT = Date.UTC(2026, 10, 1, 8, 30, 0) / 1000;
const RECORD: VerificationRecord = {
  verifiedAt: VERIFIED_AT,
  source: 'identity-service',
  id: 'vp-123',
  checkedAt: { mobile_ownership: VERIFIED_AT - 1, civil_registry: VERIFIED_AT },
};
const CLAIMS = {
  sub: 's',
  given_name: 'علی',
  family_name: 'رضایی',
  birthdate: '1991-08-05',
  national_code: '0499370899',
  father_name: 'حسن',
  gender: 'male',
};
const ALL = new Set(Object.keys(CLAIMS));
const NOW = (VERIFIED_AT + 3600) * 1000;

/** A full request as the sales site sends it. */
const FULL_REQUEST = {
  verification: {
    trust_framework: null,
    time: { max_age: 30 * 24 * 3600 },
    verification_process: null,
    evidence: [{ type: { value: 'electronic_record' }, check_details: [{ check_method: null }] }],
  },
  claims: {
    given_name: { essential: true, purpose: 'To print your name on the contract' },
    family_name: null,
    birthdate: null,
  },
};

describe('verified_claims builder', () => {
  it('builds trust framework, time, process reference and both electronic records, valid against the IDA schema', () => {
    const built = buildVerifiedClaims({
      request: FULL_REQUEST,
      record: RECORD,
      claims: CLAIMS,
      consented: ALL,
      nowMs: NOW,
    });
    expect(verifiedClaimsErrors({ verified_claims: built })).to.deep.equal([]);
    expect(built).to.deep.equal({
      verification: {
        trust_framework: TRUST_FRAMEWORK,
        time: '2026-11-01T08:30:00Z',
        verification_process: 'vp-123',
        evidence: [
          {
            type: 'electronic_record',
            check_details: [
              {
                check_method: 'data',
                organization: 'identity-service',
                check_id: 'vp-123.civil_registry',
                time: '2026-11-01T08:30:00Z',
              },
            ],
            record: {
              type: 'population_register',
              source: {
                name: 'National Organization for Civil Registration (Sabt-e Ahval)',
                country_code: 'IRN',
              },
            },
          },
          {
            type: 'electronic_record',
            check_details: [
              {
                check_method: 'data',
                organization: 'identity-service',
                check_id: 'vp-123.mobile_ownership',
                time: '2026-11-01T08:29:59Z',
              },
            ],
            record: {
              type: 'mobile_subscriber_register',
              source: { name: 'Iranian mobile network operators (subscriber registry)', country_code: 'IRN' },
            },
          },
        ],
      },
      claims: { given_name: 'علی', family_name: 'رضایی', birthdate: '1991-08-05' },
    });
  });

  it('gives only the verification data asked for (trust_framework always)', () => {
    const built = buildVerifiedClaims({
      request: { verification: { trust_framework: null }, claims: { national_code: null } },
      record: RECORD,
      claims: CLAIMS,
      consented: ALL,
      nowMs: NOW,
    });
    expect(built).to.deep.equal({
      verification: { trust_framework: TRUST_FRAMEWORK },
      claims: { national_code: '0499370899' },
    });
  });

  it('releases a claim asked for with value/values only when it has that value', () => {
    const build = (claims: Record<string, unknown>) =>
      buildVerifiedClaims({
        request: { verification: { trust_framework: null }, claims },
        record: RECORD,
        claims: CLAIMS,
        consented: ALL,
        nowMs: NOW,
      }) as { claims: Record<string, unknown> } | undefined;
    expect(build({ given_name: { value: 'علی' }, family_name: null })?.claims).to.deep.equal({
      given_name: 'علی',
      family_name: 'رضایی',
    });
    expect(build({ given_name: { value: 'حسین' }, family_name: null })?.claims).to.deep.equal({
      family_name: 'رضایی',
    });
    expect(build({ gender: { values: ['female', 'male'] } })?.claims).to.deep.equal({ gender: 'male' });
    expect(build({ national_code: { values: ['0000000000'] } }), 'nothing left: no element').to.equal(
      undefined,
    );
  });

  it('releases only consented claims, and nothing when none is consented', () => {
    const request = {
      verification: { trust_framework: null },
      claims: { given_name: null, national_code: null },
    };
    const some = buildVerifiedClaims({
      request,
      record: RECORD,
      claims: CLAIMS,
      consented: new Set(['given_name']),
      nowMs: NOW,
    });
    expect((some as { claims: object }).claims).to.deep.equal({ given_name: 'علی' });
    expect(buildVerifiedClaims({ request, record: RECORD, claims: CLAIMS, consented: new Set(), nowMs: NOW }))
      .to.be.undefined;
  });

  it('omits the element whose constraints Darvaze does not meet: trust framework, evidence type, record type, age', () => {
    const base = { record: RECORD, claims: CLAIMS, consented: ALL, nowMs: NOW };
    const claims = { given_name: null };
    const attempts = [
      { verification: { trust_framework: { value: 'eidas' } }, claims },
      { verification: { trust_framework: { values: ['de_aml', 'jp_aml'] } }, claims },
      { verification: { trust_framework: null, evidence: [{ type: { value: 'document' } }] }, claims },
      {
        verification: {
          trust_framework: null,
          evidence: [{ type: null, record: { type: { value: 'bank_account' } } }],
        },
        claims,
      },
      { verification: { trust_framework: null, time: { max_age: 3599 } }, claims },
      { verification: { trust_framework: null, assurance_level: { value: 'high' } }, claims },
    ];
    for (const request of attempts)
      expect(buildVerifiedClaims({ ...base, request }), JSON.stringify(request)).to.be.undefined;
    // At the age boundary the verification still counts.
    const atBoundary = buildVerifiedClaims({
      ...base,
      request: {
        verification: { trust_framework: { value: TRUST_FRAMEWORK }, time: { max_age: 3600 } },
        claims,
      },
    });
    expect(atBoundary).to.not.be.undefined;
  });

  it('filters evidence by record type, and keeps an array request an array', () => {
    const built = buildVerifiedClaims({
      request: [
        {
          verification: {
            trust_framework: null,
            evidence: [{ type: null, record: { type: { value: 'population_register' } } }],
          },
          claims: { birthdate: null },
        },
        { verification: { trust_framework: { value: 'eidas' } }, claims: { birthdate: null } },
      ],
      record: RECORD,
      claims: CLAIMS,
      consented: ALL,
      nowMs: NOW,
    }) as Array<{ verification: { evidence: Array<{ record: { type: string } }> } }>;
    expect(built).to.have.length(1);
    expect(built[0]!.verification.evidence.map((e) => e.record.type)).to.deep.equal(['population_register']);
    expect(verifiedClaimsErrors({ verified_claims: built })).to.deep.equal([]);
  });

  it('keeps consent to verified claims apart from plain claims in the grant', () => {
    const names = verifiedGrantClaimNames(['given_name', 'national_code']);
    expect(names).to.deep.equal(['verified_claims:given_name', 'verified_claims:national_code']);
    expect([...consentedVerifiedClaims(['national_code', ...names.slice(0, 1)])]).to.deep.equal([
      'given_name',
    ]);
  });

  it('an account verified before references were kept still gives valid evidence (times from verifiedAt)', () => {
    const built = buildVerifiedClaims({
      request: FULL_REQUEST,
      record: { verifiedAt: VERIFIED_AT, source: 'simulator' },
      claims: CLAIMS,
      consented: ALL,
      nowMs: NOW,
    }) as { verification: Record<string, unknown> };
    expect(built.verification).to.not.have.property('verification_process');
    expect(verifiedClaimsErrors({ verified_claims: built })).to.deep.equal([]);
  });
});

describe('verified_claims requests', () => {
  const bad: Array<[string, unknown]> = [
    ['claims.userinfo.verified_claims must be an object', { userinfo: { verified_claims: 'x' } }],
    [
      'claims.userinfo.verified_claims.verification is required',
      { userinfo: { verified_claims: { claims: { given_name: null } } } },
    ],
    [
      'claims.id_token.verified_claims.verification.trust_framework is required',
      { id_token: { verified_claims: { verification: {}, claims: { given_name: null } } } },
    ],
    [
      'claims.userinfo.verified_claims.claims is required',
      { userinfo: { verified_claims: { verification: { trust_framework: null }, claims: {} } } },
    ],
    [
      'claims.userinfo.verified_claims.claims.given_name.purpose must be 3 to 300 characters',
      {
        userinfo: {
          verified_claims: {
            verification: { trust_framework: null },
            claims: { given_name: { purpose: 'ab' } },
          },
        },
      },
    ],
    [
      'claims.userinfo.name.purpose must be 3 to 300 characters',
      { userinfo: { name: { purpose: 'x'.repeat(301) } } },
    ],
    [
      'claims.userinfo.verified_claims.verification.time.max_age must be a non-negative integer',
      {
        userinfo: {
          verified_claims: {
            verification: { trust_framework: null, time: { max_age: -1 } },
            claims: { a: null },
          },
        },
      },
    ],
    [
      'claims.userinfo.verified_claims has an unknown member "extra"',
      {
        userinfo: {
          verified_claims: { verification: { trust_framework: null }, claims: { a: null }, extra: 1 },
        },
      },
    ],
    [
      'claims.userinfo.verified_claims.verification.evidence[0].type is required',
      {
        userinfo: {
          verified_claims: { verification: { trust_framework: null, evidence: [{}] }, claims: { a: null } },
        },
      },
    ],
    [
      'claims.userinfo.verified_claims.verification.trust_framework.values must be a non-empty array of strings',
      {
        userinfo: {
          verified_claims: { verification: { trust_framework: { values: [] } }, claims: { a: null } },
        },
      },
    ],
    ['claims.userinfo.verified_claims must not be an empty array', { userinfo: { verified_claims: [] } }],
  ];
  for (const [message, request] of bad) {
    it(`refuses: ${message}`, () => {
      expect(() => validateClaimsRequest(request as Record<string, unknown>))
        .to.throw(ClaimsRequestError)
        .with.property('message')
        .that.includes(message);
      // The spec's schema agrees that these are bad, except the purpose bound on a plain claim,
      // which the IDA text (not its verified_claims schema) sets.
      if (!message.startsWith('claims.userinfo.name'))
        expect(claimsRequestErrors(request)).to.not.deep.equal([]);
    });
  }

  it("refuses a claim's value or values that is not a string or a non-empty list of strings", () => {
    // Darvaze's own rule (it filters by them); the spec's schema says nothing of them.
    const element = (claims: object) => ({
      userinfo: { verified_claims: { verification: { trust_framework: null }, claims } },
    });
    expect(() => validateClaimsRequest(element({ given_name: { value: 1 } }))).to.throw(
      ClaimsRequestError,
      'claims.userinfo.verified_claims.claims.given_name.value must be a string',
    );
    expect(() => validateClaimsRequest(element({ gender: { values: [] } }))).to.throw(
      ClaimsRequestError,
      'claims.userinfo.verified_claims.claims.gender.values must be a non-empty array of strings',
    );
    expect(() => validateClaimsRequest(element({ gender: { values: ['male'] } }))).to.not.throw();
  });

  it('accepts a full request, valid by the spec schema too', () => {
    const request = {
      userinfo: { verified_claims: FULL_REQUEST },
      id_token: { verified_claims: [FULL_REQUEST] },
    };
    expect(() => validateClaimsRequest(request)).to.not.throw();
    expect(claimsRequestErrors(request)).to.deep.equal([]);
  });

  it('limits the claims inside verified_claims to the client scopes, dropping what is left empty', () => {
    const request = {
      id_token: {
        verified_claims: {
          verification: { trust_framework: null },
          claims: { national_code: null, given_name: null, unknown_claim: null },
        },
      },
      userinfo: {
        verified_claims: { verification: { trust_framework: null }, claims: { national_code: null } },
      },
    };
    const profileOnly = limitClaimsRequest(request, claimsAllowedForScopes(['openid', 'profile']));
    expect(profileOnly.id_token).to.deep.equal({
      verified_claims: { verification: { trust_framework: null }, claims: { given_name: null } },
    });
    expect(profileOnly.userinfo).to.deep.equal({});
    const openidOnly = limitClaimsRequest(request, claimsAllowedForScopes(['openid']));
    expect(openidOnly).to.deep.equal({ id_token: {}, userinfo: {} });
  });

  it('answers which claims, how recent, and for what purpose', () => {
    const request = {
      userinfo: { verified_claims: FULL_REQUEST, phone_number: { purpose: 'To call you about delivery' } },
      id_token: {
        verified_claims: {
          verification: { trust_framework: null, time: { max_age: 60 } },
          claims: { gender: null },
        },
      },
    };
    expect(requestedVerifiedClaimNames(request).sort()).to.deep.equal([
      'birthdate',
      'family_name',
      'gender',
      'given_name',
    ]);
    expect(verificationMaxAge(request)).to.equal(60);
    expect(verificationMaxAge({ userinfo: {} })).to.be.undefined;
    expect(claimPurposes(request)).to.deep.equal([
      { claim: 'given_name', purpose: 'To print your name on the contract', verified: true },
      { claim: 'phone_number', purpose: 'To call you about delivery', verified: false },
    ]);
  });
});

describe("the request's own purpose (OIDC4IDA purpose parameter)", () => {
  it('takes 3 to 300 characters (counted as characters, not bytes), or none', () => {
    for (const good of [undefined, 'abc', 'ب'.repeat(300), 'To print your name on the contract'])
      expect(() => validateRequestPurpose(good), String(good)).to.not.throw();
    for (const bad of ['', 'ab', 'x'.repeat(301), 42, ['abc'], null])
      expect(() => validateRequestPurpose(bad), String(bad))
        .to.throw(ClaimsRequestError)
        .with.property('message', 'purpose must be 3 to 300 characters');
  });

  it('reads it from the authorization parameters', () => {
    expect(requestPurpose({ purpose: 'To print your name' })).to.equal('To print your name');
    expect(requestPurpose({ scope: 'openid' })).to.equal(undefined);
  });
});

describe('assurance requirements (acr and verification age)', () => {
  const verifiedOnly = { acr_values: ACR.registryVerified };
  it('reads acr_values and an acr claim requested by value', () => {
    expect(requestedAcrValues({ acr_values: `${ACR.sms} x` })).to.deep.equal([ACR.sms, 'x']);
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [ACR.registryVerified] } } });
    expect(requestedAcrValues({ claims })).to.deep.equal([ACR.registryVerified]);
  });

  it('a session signed in with SMS alone falls short of the registry-verified level; one that did the identity step does not', () => {
    expect(assuranceShortfall(verifiedOnly, { acr: ACR.sms, verifiedAt: VERIFIED_AT }, NOW)).to.equal('acr');
    expect(assuranceShortfall(verifiedOnly, { acr: ACR.registryVerified, verifiedAt: VERIFIED_AT }, NOW)).to
      .be.undefined;
    // Either level will do: the SMS session is enough.
    const either = { acr_values: `${ACR.registryVerified} ${ACR.sms}` };
    expect(assuranceShortfall(either, { acr: ACR.sms }, NOW)).to.be.undefined;
  });

  it('a verification older than the requested max_age needs the identity step', () => {
    const claims = JSON.stringify({
      userinfo: {
        verified_claims: {
          verification: { trust_framework: null, time: { max_age: 3000 } },
          claims: { a: null },
        },
      },
    });
    expect(
      assuranceShortfall({ claims }, { acr: ACR.registryVerified, verifiedAt: VERIFIED_AT }, NOW),
    ).to.equal('verification_max_age');
    expect(identityStepRequired({ claims }, VERIFIED_AT, NOW)).to.equal(true);
    expect(identityStepRequired({ claims }, VERIFIED_AT + 1000, NOW)).to.equal(false);
    expect(identityStepRequired({}, VERIFIED_AT, NOW)).to.equal(false);
    expect(identityStepRequired(verifiedOnly, VERIFIED_AT + 3599, NOW)).to.equal(true);
  });
});
