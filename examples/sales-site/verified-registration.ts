import { type Locale, t } from '../shared/messages.js';

/**
 * What the sales site asks at "confirm registration" besides a fresh SMS code: the name and birth
 * date as the civil registry confirmed them, checked within the last 30 days, for a stated
 * purpose (OpenID Connect for Identity Assurance `verified_claims`). A verification older than
 * that sends the person through the identity step again at the provider; the site does not trust
 * that it did, so it reads the verification time and source from what came back.
 */

export const VERIFICATION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** The `claims` request parameter of the confirmation; the purpose in the person's language. */
export function verifiedRegistrationClaims(locale: Locale = 'fa'): string {
  const purpose = t(locale, 'registry.purpose');
  return JSON.stringify({
    id_token: {
      verified_claims: {
        verification: {
          trust_framework: null,
          time: { max_age: VERIFICATION_MAX_AGE_SECONDS },
          verification_process: null,
          evidence: [
            {
              type: { value: 'electronic_record' },
              check_details: [{ check_method: null }],
              record: { type: { value: 'population_register' } },
            },
          ],
        },
        claims: {
          given_name: { essential: true, purpose },
          family_name: { essential: true, purpose },
          birthdate: { essential: true, purpose },
        },
      },
    },
  });
}

/** The registry check the registration rests on, as the site shows it. */
export interface RegistryVerification {
  /** Epoch seconds. */
  verifiedAt: number;
  /** Who keeps the record (the civil registry). */
  recordSource: string;
  /** The service that put the question to the registry. */
  checkedBy: string;
  /** The provider's reference of this verification, for a dispute. */
  reference?: string;
  givenName: string;
  familyName: string;
  /** Gregorian YYYY-MM-DD. */
  birthdate: string;
}

/**
 * Reads the verified claims of the confirmation's ID token; undefined when they are missing,
 * incomplete or older than the site asked for.
 */
export function readRegistryVerification(
  claims: Record<string, unknown>,
  nowMs: number,
): RegistryVerification | undefined {
  const verified = claims.verified_claims as
    | {
        verification?: {
          time?: unknown;
          verification_process?: unknown;
          evidence?: Array<{
            record?: { type?: unknown; source?: { name?: unknown } };
            check_details?: Array<{ organization?: unknown }>;
          }>;
        };
        claims?: Record<string, unknown>;
      }
    | undefined;
  if (!verified || typeof verified !== 'object' || Array.isArray(verified)) return undefined;
  const time =
    typeof verified.verification?.time === 'string' ? Date.parse(verified.verification.time) : Number.NaN;
  if (!Number.isFinite(time) || nowMs - time > VERIFICATION_MAX_AGE_SECONDS * 1000) return undefined;
  const registry = verified.verification?.evidence?.find((e) => e.record?.type === 'population_register');
  const { given_name: givenName, family_name: familyName, birthdate } = verified.claims ?? {};
  if (typeof givenName !== 'string' || typeof familyName !== 'string' || typeof birthdate !== 'string')
    return undefined;
  const process = verified.verification?.verification_process;
  return {
    verifiedAt: Math.floor(time / 1000),
    recordSource: String(registry?.record?.source?.name ?? ''),
    checkedBy: String(registry?.check_details?.[0]?.organization ?? ''),
    ...(typeof process === 'string' ? { reference: process } : {}),
    givenName,
    familyName,
    birthdate,
  };
}
