import { ACR } from './assurance.js';
import { parseClaimsParameter, verificationMaxAge } from './verified-claims-request.js';

/**
 * When a sign-in must include the identity step (a fresh check with the civil registry and the
 * mobile operators) because of what the site asked for. One rule, asked in two places: by the
 * provider's login prompt (is the current session good enough?) and by the code step (the person
 * just proved the mobile: may they skip the identity step?). Keeping them together means the
 * prompt never asks for a sign-in that the journey would then complete without the step.
 */

/** The authorization request's parameters this rule reads (as oidc-provider keeps them). */
export interface AssuranceRequest {
  acr_values?: unknown;
  /** The `claims` parameter, a JSON string (already limited to the client's scopes). */
  claims?: unknown;
}

/** The acr values a site asked for: `acr_values`, or an `acr` claim requested by value(s). */
export function requestedAcrValues(request: AssuranceRequest): string[] {
  const values = new Set<string>();
  if (typeof request.acr_values === 'string') {
    for (const value of request.acr_values.split(' ')) if (value) values.add(value);
  }
  const acr = parseClaimsParameter(request.claims)?.id_token?.acr as
    | { value?: unknown; values?: unknown }
    | null
    | undefined;
  if (acr && typeof acr.value === 'string') values.add(acr.value);
  if (acr && Array.isArray(acr.values))
    for (const value of acr.values) if (typeof value === 'string') values.add(value);
  return [...values];
}

/**
 * True when the site will only take the registry-verified level: it asked for it and not for the
 * SMS level (asking for both means either will do). Unknown values are ignored, as OIDC Core
 * lets a provider do with acr values it does not support.
 */
export function requiresRegistryVerified(request: AssuranceRequest): boolean {
  const values = requestedAcrValues(request);
  return values.includes(ACR.registryVerified) && !values.includes(ACR.sms);
}

/** True when the site asked for verified claims checked more recently than the account was. */
export function verificationTooOld(
  request: AssuranceRequest,
  verifiedAt: number | undefined,
  nowMs: number,
): boolean {
  const maxAge = verificationMaxAge(parseClaimsParameter(request.claims));
  if (maxAge === undefined) return false;
  return verifiedAt === undefined || nowMs / 1000 - verifiedAt > maxAge;
}

/**
 * Why the current session does not satisfy the request, or undefined when it does.
 * @param session the signed-in session's acr, and its account's last verification time.
 */
export function assuranceShortfall(
  request: AssuranceRequest,
  session: { acr?: string; verifiedAt?: number },
  nowMs: number,
): 'acr' | 'verification_max_age' | undefined {
  if (requiresRegistryVerified(request) && session.acr !== ACR.registryVerified) return 'acr';
  if (verificationTooOld(request, session.verifiedAt, nowMs)) return 'verification_max_age';
  return undefined;
}

/** Whether a person who just proved their mobile must also pass the identity step. */
export function identityStepRequired(request: AssuranceRequest, verifiedAt: number, nowMs: number): boolean {
  return requiresRegistryVerified(request) || verificationTooOld(request, verifiedAt, nowMs);
}
