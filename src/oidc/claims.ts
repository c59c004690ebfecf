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

/** The i18n keys of the data a set of scopes releases, in a stable order, without repeats. */
export function claimKeysForScopes(scopes: Iterable<string>): string[] {
  const wanted = new Set(scopes);
  const keys: string[] = [];
  for (const [scope, claims] of Object.entries(SCOPE_CLAIMS)) {
    if (!wanted.has(scope)) continue;
    for (const claim of claims) {
      const key = DISPLAYED_CLAIMS[claim];
      if (key && !keys.includes(key)) keys.push(key);
    }
  }
  return keys;
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

/** Every claim that is personal data: the claims of every scope but openid. */
const PERSONAL_CLAIMS: ReadonlySet<string> = new Set(
  Object.entries(SCOPE_CLAIMS).flatMap(([scope, claims]) => (scope === 'openid' ? [] : [...claims])),
);

/**
 * The personal claims a `claims` request parameter names that the requested scopes do not
 * release. The consent page lists the data of the scopes, and a site's registered `scope`
 * bounds the scopes it may request; a claim asked for by name outside them would reach the site
 * without either check (a site registered without national_id naming `national_code`).
 */
export function claimsOutsideScopes(
  requested: { id_token?: Record<string, unknown>; userinfo?: Record<string, unknown> },
  scopes: Iterable<string>,
): string[] {
  const released = new Set<string>();
  for (const scope of scopes) {
    for (const claim of (SCOPE_CLAIMS as Record<string, readonly string[]>)[scope] ?? []) released.add(claim);
  }
  const outside = new Set<string>();
  for (const container of [requested.id_token, requested.userinfo]) {
    for (const claim of Object.keys(container ?? {})) {
      if (PERSONAL_CLAIMS.has(claim) && !released.has(claim)) outside.add(claim);
    }
  }
  return [...outside];
}
