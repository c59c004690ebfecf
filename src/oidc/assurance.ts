/**
 * The identifiers Darvaze publishes about how sure it is of a person (docs/integration.md,
 * "Assurance levels" and "Verified claims"). They are contracts with the sites: never reuse one
 * for another meaning.
 */

/**
 * Authentication context classes (`acr`, OIDC Core §2). A URN of Darvaze's own: no registered
 * level (eIDAS, NIST) describes an SMS code or the Iranian registries.
 */
export const ACR = {
  /** Possession of the mobile number shown with an SMS one-time code. */
  sms: 'urn:darvaze:acr:sms',
  /**
   * In this sign-in, besides the SMS code, the civil registry matched the national code and
   * birth date and the mobile operators confirmed the number is registered in that person's name.
   */
  registryVerified: 'urn:darvaze:acr:registry-verified',
  /**
   * A passkey (WebAuthn, user verification required) of an account whose identity was verified
   * with the registries within the identity max age; no SMS code in this sign-in. Phishing
   * resistant, so above the SMS level; no registry check in this sign-in, so below
   * registry-verified.
   */
  passkey: 'urn:darvaze:acr:passkey',
} as const;

export type AcrValue = (typeof ACR)[keyof typeof ACR];

/** Weakest first: a site asking for one level is satisfied by it or anything after it. */
export const ACR_VALUES_SUPPORTED: AcrValue[] = [ACR.sms, ACR.passkey, ACR.registryVerified];

/**
 * The OIDC4IDA `trust_framework` of Darvaze's identity checks: the Iranian civil registry
 * (Sabt-e Ahval) matched national code + birth date, and the mobile operators' subscriber
 * registry matched the mobile number to that national code, both through the identity service.
 * A URN, so it cannot collide with the framework names the IDA registry predefines.
 */
export const TRUST_FRAMEWORK = 'urn:darvaze:trust_framework:ir_civil_registry_mobile';

/** `record.type` of the two electronic records checked (the first is a predefined IDA value). */
export const RECORD_TYPES = {
  civil_registry: 'population_register',
  mobile_ownership: 'mobile_subscriber_register',
} as const;

/** `record.source` of each record: who keeps it. */
export const RECORD_SOURCES = {
  civil_registry: {
    name: 'National Organization for Civil Registration (Sabt-e Ahval)',
    country_code: 'IRN',
  },
  mobile_ownership: { name: 'Iranian mobile network operators (subscriber registry)', country_code: 'IRN' },
} as const;

/** IDA check method `data`: the data was compared with an authoritative source. */
export const CHECK_METHOD = 'data';

/**
 * Claims Darvaze can release inside `verified_claims` (all from the civil registry, the phone
 * number from the ownership check), with the scope a site must be allowed to receive each.
 */
export const VERIFIED_CLAIM_SCOPES: Record<string, string> = {
  given_name: 'profile',
  family_name: 'profile',
  name: 'profile',
  birthdate: 'profile',
  birthdate_jalali: 'profile',
  gender: 'profile',
  national_code: 'national_id',
  father_name: 'national_id',
  phone_number: 'phone',
};

export const CLAIMS_IN_VERIFIED_CLAIMS_SUPPORTED = Object.keys(VERIFIED_CLAIM_SCOPES);
