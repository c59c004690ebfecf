import { CHECK_METHOD, RECORD_SOURCES, RECORD_TYPES, TRUST_FRAMEWORK } from './assurance.js';
import {
  type Constrainable,
  type EvidenceRequest,
  type VerifiedClaimsElementRequest,
  verifiedClaimsElements,
} from './verified-claims-request.js';

/**
 * Builds the `verified_claims` a site receives (OpenID Connect for Identity Assurance 1.0): the
 * account's last verification as `verification` (trust framework, time, process reference,
 * evidence) and the claims the person consented to under it. Pure: the caller gives the
 * account's claims, its verification record and the consented claim names.
 */

/** What the account keeps about its last verification (src/accounts/account.ts). */
export interface VerificationRecord {
  /** Epoch seconds. */
  verifiedAt: number;
  /** Which identity service answered. */
  source: string;
  id?: string;
  checkedAt?: Partial<Record<'mobile_ownership' | 'civil_registry', number>>;
}

/**
 * A consented claim inside `verified_claims` is kept in the grant under this name, apart from the
 * plain claim: consenting to a verified birth date is not consenting to a plain one, and back.
 */
export const VERIFIED_GRANT_PREFIX = 'verified_claims:';

export function verifiedGrantClaimNames(claims: Iterable<string>): string[] {
  return [...claims].map((claim) => `${VERIFIED_GRANT_PREFIX}${claim}`);
}

/** The claims inside `verified_claims` a grant covers. */
export function consentedVerifiedClaims(grantClaims: Iterable<string>): Set<string> {
  const consented = new Set<string>();
  for (const name of grantClaims) {
    if (name.startsWith(VERIFIED_GRANT_PREFIX)) consented.add(name.slice(VERIFIED_GRANT_PREFIX.length));
  }
  return consented;
}

export interface Evidence {
  type: 'electronic_record';
  check_details: Array<{ check_method: string; organization: string; check_id?: string; time: string }>;
  record: { type: string; source: { name: string; country_code: string } };
}

export interface VerifiedClaims {
  verification: {
    trust_framework: string;
    time?: string;
    verification_process?: string;
    evidence?: Evidence[];
  };
  claims: Record<string, unknown>;
}

/** IDA times are ISO 8601 date-times; whole seconds, UTC. */
export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The two records Darvaze checks, civil registry first. */
export function evidenceOf(record: VerificationRecord): Evidence[] {
  return (['civil_registry', 'mobile_ownership'] as const).map((check) => ({
    type: 'electronic_record',
    check_details: [
      {
        check_method: CHECK_METHOD,
        // The identity service that put the question to the registry: the organisation a site
        // names when it asks the operator about this check.
        organization: record.source,
        ...(record.id ? { check_id: `${record.id}.${check}` } : {}),
        time: isoTime(record.checkedAt?.[check] ?? record.verifiedAt),
      },
    ],
    record: { type: RECORD_TYPES[check], source: { ...RECORD_SOURCES[check] } },
  }));
}

function satisfies(constraint: Constrainable | undefined, actual: string): boolean {
  if (constraint === undefined || constraint === null) return true;
  if (constraint.value !== undefined && constraint.value !== actual) return false;
  if (constraint.values !== undefined && !constraint.values.includes(actual)) return false;
  return true;
}

function evidenceMatches(request: EvidenceRequest, evidence: Evidence): boolean {
  if (!satisfies(request.type, evidence.type)) return false;
  if (request.record?.type !== undefined && !satisfies(request.record.type, evidence.record.type))
    return false;
  for (const check of request.check_details ?? []) {
    if (!evidence.check_details.some((detail) => satisfies(check.check_method, detail.check_method)))
      return false;
  }
  return true;
}

export interface BuildInput {
  /** The `verified_claims` member of the (granted) claims request for this token or response. */
  request: unknown;
  record: VerificationRecord;
  /** All of the person's claims (src/oidc/claims.ts claimsOf). */
  claims: Record<string, unknown>;
  /** Claims inside verified_claims the person consented to for this site. */
  consented: ReadonlySet<string>;
  nowMs: number;
}

/**
 * One output element per requested element that Darvaze can honour; undefined when none can
 * (a trust framework, evidence or age constraint it does not meet, or no consented claim).
 * The `verification` holds `trust_framework` always and the other members only when asked
 * for: a site gets the verification data it requested, no more.
 */
export function buildVerifiedClaims(input: BuildInput): VerifiedClaims | VerifiedClaims[] | undefined {
  const elements = verifiedClaimsElements(input.request)
    .map((element) => buildElement(element, input))
    .filter((element): element is VerifiedClaims => element !== undefined);
  if (elements.length === 0) return undefined;
  return Array.isArray(input.request) ? elements : elements[0];
}

function buildElement(element: VerifiedClaimsElementRequest, input: BuildInput): VerifiedClaims | undefined {
  const { verification: wanted } = element;
  const { record } = input;
  if (!satisfies(wanted.trust_framework, TRUST_FRAMEWORK)) return undefined;
  // Not asserted: Darvaze has no assurance levels inside its trust framework.
  if (wanted.assurance_level !== undefined && wanted.assurance_level !== null) {
    const level = wanted.assurance_level as Constrainable;
    if (level && (level.value !== undefined || level.values !== undefined)) return undefined;
  }
  const maxAge = wanted.time?.max_age;
  if (maxAge !== undefined && input.nowMs / 1000 - record.verifiedAt > maxAge) return undefined;

  const verification: VerifiedClaims['verification'] = { trust_framework: TRUST_FRAMEWORK };
  if ('time' in wanted) verification.time = isoTime(record.verifiedAt);
  if ('verification_process' in wanted && record.id) verification.verification_process = record.id;
  if (wanted.evidence) {
    const available = evidenceOf(record);
    const chosen = new Set<Evidence>();
    for (const request of wanted.evidence) {
      const matching = available.filter((evidence) => evidenceMatches(request, evidence));
      if (matching.length === 0) return undefined;
      for (const evidence of matching) chosen.add(evidence);
    }
    verification.evidence = available.filter((evidence) => chosen.has(evidence));
  }

  const claims: Record<string, unknown> = {};
  for (const [claim, wanted] of Object.entries(element.claims)) {
    const actual = input.claims[claim];
    if (!input.consented.has(claim) || actual === undefined) continue;
    // `value`/`values` on a claim: the site wants it only with that value (an exact match of
    // the registry's), so another value is left out, as an unmet verification constraint is.
    if (!satisfies(wanted as Constrainable, String(actual))) continue;
    claims[claim] = actual;
  }
  if (Object.keys(claims).length === 0) return undefined;
  return { verification, claims };
}
