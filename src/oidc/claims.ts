import type { VerificationRecord } from './verified-claims.js';
import { limitVerifiedClaimsRequest } from './verified-claims-request.js';

/**
 * Scopes and the claims each yields (DESIGN §2.5, a fixed contract). The consent page lists
 * these claims in plain words; oidc-provider releases only the claims of granted scopes.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'gender', 'birthdate', 'birthdate_jalali'],
  phone: ['phone_number', 'phone_number_verified'],
  national_id: ['national_code', 'father_name'],
} as const;

export const SUPPORTED_SCOPES = ['openid', 'offline_access', 'profile', 'phone', 'national_id'];

/**
 * The claims worth showing on the consent page, one line per piece of data: `sub` and flags are
 * not personal data, and the first and last names are already in "first and last name".
 */
const DISPLAYED_CLAIMS: Record<string, string> = {
  name: 'claim.name',
  gender: 'claim.gender',
  birthdate: 'claim.birthdate',
  phone_number: 'claim.phone_number',
  national_code: 'claim.national_code',
  father_name: 'claim.father_name',
};

/**
 * The i18n keys of the data a set of scopes and individually requested claims (the `claims`
 * parameter) releases, in a stable order, without repeats. Given and family names are shown as
 * the full name.
 */
export function claimKeysFor(scopes: Iterable<string>, claims: Iterable<string> = []): string[] {
  const wantedScopes = new Set(scopes);
  const wantedClaims = new Set([...claims].map((claim) => (NAME_PARTS.has(claim) ? 'name' : claim)));
  const keys: string[] = [];
  for (const [scope, scopeClaims] of Object.entries(SCOPE_CLAIMS)) {
    for (const claim of scopeClaims) {
      if (!wantedScopes.has(scope) && !wantedClaims.has(claim)) continue;
      const key = DISPLAYED_CLAIMS[claim];
      if (key && !keys.includes(key)) keys.push(key);
    }
  }
  return keys;
}

const NAME_PARTS = new Set(['given_name', 'family_name']);

/** The consent page's i18n key for one claim (given and family names show as the full name). */
export function claimKeyOf(claim: string): string | undefined {
  if (NAME_PARTS.has(claim)) return DISPLAYED_CLAIMS.name;
  if (claim === 'birthdate_jalali') return DISPLAYED_CLAIMS.birthdate;
  return DISPLAYED_CLAIMS[claim];
}

/**
 * Claims carrying no personal data, about the authentication itself: any site may ask for them
 * by name (oidc-provider never puts them to consent either).
 */
const PROTOCOL_CLAIMS = new Set(['sub', 'sid', 'auth_time', 'acr', 'amr', 'iss']);

/** Every claim a site allowed these scopes may ever receive, whatever it asks for. */
export function claimsAllowedForScopes(scopes: Iterable<string>): Set<string> {
  const allowed = new Set(PROTOCOL_CLAIMS);
  for (const scope of scopes) {
    for (const claim of SCOPE_CLAIMS[scope as keyof typeof SCOPE_CLAIMS] ?? []) allowed.add(claim);
  }
  return allowed;
}

export type ClaimsRequest = {
  id_token?: Record<string, unknown>;
  userinfo?: Record<string, unknown>;
} & Record<string, unknown>;

/**
 * The `claims` request parameter (OIDC Core §5.5) cut down to the claims a site may receive.
 * Why: a claim asked for by name would otherwise bypass the client's allowed scopes; what is
 * left goes to the consent page like scope-derived data and leaves only once consented.
 * Inside `verified_claims` the same rule holds claim by claim (verified-claims-request.ts).
 * Members other than `id_token` and `userinfo` are kept as they are.
 */
export function limitClaimsRequest(request: ClaimsRequest, allowed: ReadonlySet<string>): ClaimsRequest {
  const limited: ClaimsRequest = { ...request };
  for (const container of ['id_token', 'userinfo'] as const) {
    const members = request[container];
    if (members === undefined) continue;
    const kept: Record<string, unknown> = {};
    for (const [claim, value] of Object.entries(members)) {
      if (claim === 'verified_claims') {
        const verified = limitVerifiedClaimsRequest(value, allowed);
        if (verified !== undefined) kept[claim] = verified;
      } else if (allowed.has(claim)) kept[claim] = value;
    }
    limited[container] = kept;
  }
  return limited;
}

export interface VerifiedPerson {
  sub: string;
  /** E.164; null when another person has since proven ownership of the number. */
  mobile: string | null;
  nationalCode: string;
  firstName: string;
  lastName: string;
  fatherName: string;
  gender: 'male' | 'female';
  birthDateJalali: string;
  birthDateGregorian: string;
  /** The account's last identity verification: what `verified_claims` says about it. */
  verification: VerificationRecord;
}

/** Every claim of a person; oidc-provider filters them by what the grant allows. */
export function claimsOf(person: VerifiedPerson): Record<string, unknown> {
  return {
    sub: person.sub,
    name: `${person.firstName} ${person.lastName}`,
    given_name: person.firstName,
    family_name: person.lastName,
    gender: person.gender,
    birthdate: person.birthDateGregorian,
    birthdate_jalali: person.birthDateJalali,
    ...(person.mobile ? { phone_number: person.mobile, phone_number_verified: true } : {}),
    national_code: person.nationalCode,
    father_name: person.fatherName,
  };
}
