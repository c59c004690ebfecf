import type { IdentityService } from '../identity/identity-service.js';
import type { IdentityCheckPolicy } from '../limits/identity-check-policy.js';
import type { BirthDate } from '../validation/birth-date.js';
import type { Mobile } from '../validation/mobile.js';
import type { NationalCode } from '../validation/national-code.js';
import type { Account } from './account.js';
import type { AccountRepository } from './account-repository.js';

export type IdentityVerificationFailure =
  /** The operator has this mobile registered to someone else. */
  | 'mobile_not_owned'
  /** National code and birth date do not match a registry record. */
  | 'registry_mismatch'
  /** The registry records the person as deceased. */
  | 'deceased'
  /** Too many checks for this mobile or national code today. */
  | 'identity_checks'
  /** The identity service did not answer; try again later (never read as "no match"). */
  | 'unavailable';

export type IdentityVerificationResult =
  | { ok: true; account: Account }
  | { ok: false; reason: IdentityVerificationFailure; retryAfterSeconds?: number };

export interface IdentityVerificationInput {
  /** The sign-in's mobile, whose code the user just confirmed. */
  mobile: Mobile;
  nationalCode: NationalCode;
  birthDate: BirthDate;
}

export interface IdentityVerification {
  verify(input: IdentityVerificationInput): Promise<IdentityVerificationResult>;
}

export interface IdentityVerificationDeps {
  identityService: IdentityService;
  accounts: AccountRepository;
  identityCheckPolicy: IdentityCheckPolicy;
  /** Recorded in the account as the verification's source. */
  source?: string;
  /** Clock in epoch milliseconds: when each check answered (the evidence's check times). */
  now?: () => number;
}

/**
 * Step C of the journey: mobile ownership, then the civil registry, then the account. An
 * account is written only when every check passed, so a mismatch never leaves half an account.
 */
export function createIdentityVerification(deps: IdentityVerificationDeps): IdentityVerification {
  const { identityService, accounts, identityCheckPolicy } = deps;
  const source = deps.source ?? 'identity-service';
  const now = deps.now ?? Date.now;

  return {
    async verify({ mobile, nationalCode, birthDate }) {
      const quota = { mobile, nationalCode };
      const reservation = await identityCheckPolicy.reserve(quota);
      if (!reservation.allowed) {
        return { ok: false, reason: 'identity_checks', retryAfterSeconds: reservation.retryAfterSeconds };
      }

      let outcome: Awaited<ReturnType<typeof askIdentityService>>;
      try {
        outcome = await askIdentityService(identityService, nationalCode, mobile, birthDate, now);
      } catch {
        // Whatever went wrong upstream (IdentityServiceUnavailableError or a bug in a client),
        // it was not the user's doing: the check is given back and nothing is concluded.
        await identityCheckPolicy.release(quota);
        return { ok: false, reason: 'unavailable' };
      }
      if (!outcome.ok) return outcome;

      const { person } = outcome;
      // Which vendor answered the registry is the evidence's source; a service that does not say
      // (the simulator, the generic API) is the configured name.
      const answeredBy = outcome.source ?? source;
      const account = await accounts.saveVerified({
        mobile,
        nationalCode,
        person: {
          firstName: person.firstName,
          lastName: person.lastName,
          fatherName: person.fatherName,
          gender: person.gender,
          birthDateJalali: person.birthDate,
        },
        source: answeredBy,
        checkedAt: outcome.checkedAt,
      });
      return { ok: true, account };
    },
  };
}

/** The two upstream questions, in order; the second is asked only if the first passed. */
async function askIdentityService(
  service: IdentityService,
  nationalCode: NationalCode,
  mobile: Mobile,
  birthDate: BirthDate,
  now: () => number,
) {
  if (!(await service.checkMobileOwnership(nationalCode, mobile))) {
    return { ok: false as const, reason: 'mobile_not_owned' as const };
  }
  const mobileOwnershipAt = now();
  const registry = await service.inquireCivilRegistry(nationalCode, birthDate);
  if (!registry.matched) return { ok: false as const, reason: 'registry_mismatch' as const };
  if (!registry.person.alive) return { ok: false as const, reason: 'deceased' as const };
  const checkedAt = { mobile_ownership: mobileOwnershipAt, civil_registry: now() };
  return { ok: true as const, person: registry.person, source: registry.source, checkedAt };
}
