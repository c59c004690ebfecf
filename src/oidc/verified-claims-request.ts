import { CLAIMS_IN_VERIFIED_CLAIMS_SUPPORTED } from './assurance.js';

/**
 * The `verified_claims` member of the `claims` request parameter (OpenID Connect for Identity
 * Assurance 1.0, "Requesting Verified Claims"): its validation, its limiting to what a site may
 * receive, and the questions the rest of Darvaze asks of it (which claims, for what purpose, how
 * recent a verification). Pure functions over the parsed JSON; no framework here.
 */

/** A request the provider must refuse with `invalid_request`; the message names the problem. */
export class ClaimsRequestError extends Error {
  override readonly name = 'ClaimsRequestError';
}

/** `null` or `{essential?, value?, values?}`: a constraint on a verification element. */
export type Constrainable = null | { essential?: boolean; value?: string; values?: string[] };

export interface EvidenceRequest {
  type: Constrainable;
  check_details?: Array<{ check_method?: Constrainable }>;
  record?: { type?: Constrainable; source?: unknown };
  [other: string]: unknown;
}

/** One requested `verified_claims` element, after validation. */
export interface VerifiedClaimsElementRequest {
  verification: {
    trust_framework: Constrainable;
    time?: null | { essential?: boolean; max_age?: number };
    verification_process?: null | { essential?: boolean };
    evidence?: EvidenceRequest[];
    [other: string]: unknown;
  };
  claims: Record<string, null | ClaimRequest>;
}

export interface ClaimRequest {
  essential?: boolean;
  purpose?: string;
  value?: unknown;
  values?: unknown[];
  [other: string]: unknown;
}

const CONTAINERS = ['id_token', 'userinfo'] as const;
export type ClaimsContainer = (typeof CONTAINERS)[number];

/** The spec's bounds on `purpose` (its failure is `invalid_request`). */
const PURPOSE_MIN = 3;
const PURPOSE_MAX = 300;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the whole `claims` parameter the way the IDA request schema does, plus the `purpose`
 * bounds on every requested claim (plain or verified).
 * @throws ClaimsRequestError naming the offending member.
 */
export function validateClaimsRequest(request: Record<string, unknown>): void {
  for (const container of CONTAINERS) {
    const members = request[container];
    if (!isObject(members)) continue;
    for (const [claim, value] of Object.entries(members)) {
      const path = `claims.${container}.${claim}`;
      if (claim === 'verified_claims') validateVerifiedClaims(value, path);
      else validateClaimRequest(value, path);
    }
  }
}

function validateClaimRequest(value: unknown, path: string): void {
  if (value === null) return;
  if (!isObject(value)) throw new ClaimsRequestError(`${path} must be null or an object`);
  if (value.essential !== undefined && typeof value.essential !== 'boolean')
    throw new ClaimsRequestError(`${path}.essential must be a boolean`);
  if (value.purpose !== undefined) {
    if (typeof value.purpose !== 'string') throw new ClaimsRequestError(`${path}.purpose must be a string`);
    const length = [...value.purpose].length;
    if (length < PURPOSE_MIN || length > PURPOSE_MAX)
      throw new ClaimsRequestError(`${path}.purpose must be ${PURPOSE_MIN} to ${PURPOSE_MAX} characters`);
  }
}

/**
 * The `purpose` authorization request parameter (OpenID Connect for Identity Assurance 1.0,
 * "Requesting End-User Claims"): why the site wants the data, in its own words, for the whole
 * request. Same bounds as a claim's `purpose`; absent is fine.
 * @throws ClaimsRequestError when it is not a string of 3 to 300 characters.
 */
export function validateRequestPurpose(value: unknown): void {
  if (value === undefined) return;
  const length = typeof value === 'string' ? [...value].length : 0;
  if (length < PURPOSE_MIN || length > PURPOSE_MAX)
    throw new ClaimsRequestError(`purpose must be ${PURPOSE_MIN} to ${PURPOSE_MAX} characters`);
}

/** The request-wide `purpose` of (validated) authorization parameters, if the site gave one. */
export function requestPurpose(params: Record<string, unknown>): string | undefined {
  return typeof params.purpose === 'string' ? params.purpose : undefined;
}

function validateVerifiedClaims(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ClaimsRequestError(`${path} must not be an empty array`);
    value.forEach((element, index) => {
      validateElement(element, `${path}[${index}]`);
    });
    return;
  }
  validateElement(value, path);
}

function validateElement(value: unknown, path: string): void {
  if (!isObject(value)) throw new ClaimsRequestError(`${path} must be an object`);
  for (const key of Object.keys(value)) {
    if (key !== 'verification' && key !== 'claims')
      throw new ClaimsRequestError(`${path} has an unknown member "${key}"`);
  }
  const { verification, claims } = value;
  if (!isObject(verification)) throw new ClaimsRequestError(`${path}.verification is required (an object)`);
  if (!('trust_framework' in verification))
    throw new ClaimsRequestError(`${path}.verification.trust_framework is required`);
  validateConstrainable(verification.trust_framework, `${path}.verification.trust_framework`);
  if (verification.time !== undefined) validateTime(verification.time, `${path}.verification.time`);
  if (verification.verification_process !== undefined)
    validateClaimRequest(verification.verification_process, `${path}.verification.verification_process`);
  if (verification.assurance_level !== undefined)
    validateConstrainable(verification.assurance_level, `${path}.verification.assurance_level`);
  if (verification.evidence !== undefined)
    validateEvidence(verification.evidence, `${path}.verification.evidence`);

  if (!isObject(claims) || Object.keys(claims).length === 0)
    throw new ClaimsRequestError(`${path}.claims is required (an object naming at least one claim)`);
  // A claim's `value`/`values` filter what is released (verified-claims.ts): strings only.
  for (const [claim, request] of Object.entries(claims))
    validateConstrainable(request, `${path}.claims.${claim}`);
}

function validateConstrainable(value: unknown, path: string): void {
  validateClaimRequest(value, path);
  if (!isObject(value)) return;
  if (value.value !== undefined && typeof value.value !== 'string')
    throw new ClaimsRequestError(`${path}.value must be a string`);
  if (
    value.values !== undefined &&
    (!Array.isArray(value.values) ||
      value.values.length === 0 ||
      value.values.some((item) => typeof item !== 'string'))
  )
    throw new ClaimsRequestError(`${path}.values must be a non-empty array of strings`);
}

function validateTime(value: unknown, path: string): void {
  validateClaimRequest(value, path);
  if (!isObject(value) || value.max_age === undefined) return;
  if (typeof value.max_age !== 'number' || !Number.isSafeInteger(value.max_age) || value.max_age < 0)
    throw new ClaimsRequestError(`${path}.max_age must be a non-negative integer (seconds)`);
}

function validateEvidence(value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length === 0)
    throw new ClaimsRequestError(`${path} must be a non-empty array`);
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (!isObject(item)) throw new ClaimsRequestError(`${itemPath} must be an object`);
    if (!('type' in item)) throw new ClaimsRequestError(`${itemPath}.type is required`);
    validateConstrainable(item.type, `${itemPath}.type`);
    if (item.check_details !== undefined) {
      if (!Array.isArray(item.check_details) || item.check_details.length === 0)
        throw new ClaimsRequestError(`${itemPath}.check_details must be a non-empty array`);
      item.check_details.forEach((check, checkIndex) => {
        if (!isObject(check))
          throw new ClaimsRequestError(`${itemPath}.check_details[${checkIndex}] must be an object`);
        if (check.check_method !== undefined)
          validateConstrainable(check.check_method, `${itemPath}.check_details[${checkIndex}].check_method`);
      });
    }
    if (item.record !== undefined) {
      if (!isObject(item.record)) throw new ClaimsRequestError(`${itemPath}.record must be an object`);
      if (item.record.type !== undefined) validateConstrainable(item.record.type, `${itemPath}.record.type`);
    }
  });
}

/** The elements of a (validated) `verified_claims` request member, as a list. */
export function verifiedClaimsElements(member: unknown): VerifiedClaimsElementRequest[] {
  if (member === undefined || member === null) return [];
  return (Array.isArray(member) ? member : [member]) as VerifiedClaimsElementRequest[];
}

/**
 * The request member cut down to the claims this site may receive (`allowed`, from its scopes)
 * that Darvaze can verify; an element left with no claim is dropped, and so is the member when
 * no element is left. Why: a claim inside `verified_claims` is personal data like any other and
 * must not bypass the client's allowed scopes.
 */
export function limitVerifiedClaimsRequest(member: unknown, allowed: ReadonlySet<string>): unknown {
  const limited = verifiedClaimsElements(member)
    .map((element) => ({
      ...element,
      claims: Object.fromEntries(
        Object.entries(element.claims).filter(
          ([claim]) => allowed.has(claim) && CLAIMS_IN_VERIFIED_CLAIMS_SUPPORTED.includes(claim),
        ),
      ),
    }))
    .filter((element) => Object.keys(element.claims).length > 0);
  if (limited.length === 0) return undefined;
  return Array.isArray(member) ? limited : limited[0];
}

type ClaimsParameter = Partial<Record<ClaimsContainer, Record<string, unknown>>>;

/** Every claim asked for inside `verified_claims`, in either container. */
export function requestedVerifiedClaimNames(request: ClaimsParameter | undefined): string[] {
  const names = new Set<string>();
  for (const container of CONTAINERS) {
    for (const element of verifiedClaimsElements(request?.[container]?.verified_claims)) {
      for (const claim of Object.keys(element.claims)) names.add(claim);
    }
  }
  return [...names];
}

/** The strictest `verification.time.max_age` asked for, in seconds; undefined when none is. */
export function verificationMaxAge(request: ClaimsParameter | undefined): number | undefined {
  let strictest: number | undefined;
  for (const container of CONTAINERS) {
    for (const element of verifiedClaimsElements(request?.[container]?.verified_claims)) {
      const maxAge = element.verification.time?.max_age;
      if (typeof maxAge === 'number' && (strictest === undefined || maxAge < strictest)) strictest = maxAge;
    }
  }
  return strictest;
}

export interface ClaimPurpose {
  claim: string;
  purpose: string;
  verified: boolean;
}

/** The purposes a site gave for the claims it asks for, to show on the consent page. */
export function claimPurposes(request: ClaimsParameter | undefined): ClaimPurpose[] {
  const purposes: ClaimPurpose[] = [];
  const add = (claim: string, value: unknown, verified: boolean) => {
    const purpose = isObject(value) && typeof value.purpose === 'string' ? value.purpose : undefined;
    if (
      purpose &&
      !purposes.some((p) => p.claim === claim && p.purpose === purpose && p.verified === verified)
    )
      purposes.push({ claim, purpose, verified });
  };
  for (const container of CONTAINERS) {
    const members = request?.[container] ?? {};
    for (const [claim, value] of Object.entries(members)) {
      if (claim === 'verified_claims') {
        for (const element of verifiedClaimsElements(value)) {
          for (const [inner, innerValue] of Object.entries(element.claims)) add(inner, innerValue, true);
        }
      } else add(claim, value, false);
    }
  }
  return purposes;
}

/** Parses the stored `claims` parameter (a JSON string); anything unreadable reads as none. */
export function parseClaimsParameter(raw: unknown): ClaimsParameter | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return isObject(parsed) ? (parsed as ClaimsParameter) : undefined;
  } catch {
    return undefined;
  }
}
