/**
 * The national identity service as the rest of Darvaze sees it (DESIGN.md §2.3). Two
 * implementations: the HTTP client for the real service and an in-process simulator.
 */
import type { BirthDate } from '../validation/birth-date.js';
import type { Mobile } from '../validation/mobile.js';
import type { NationalCode } from '../validation/national-code.js';

/** A person as the civil registry records them. Names are in Persian script. */
export interface Person {
  firstName: string;
  lastName: string;
  fatherName: string;
  gender: 'male' | 'female';
  /** Jalali `YYYY/MM/DD`, ASCII digits. */
  birthDate: string;
  alive: boolean;
}

/**
 * `source` names who answered (a vendor such as `jibit`, or `identity-service`) when the
 * implementation knows; the verification records it as the evidence's source.
 */
export type RegistryResult = ({ matched: false } | { matched: true; person: Person }) & { source?: string };

export interface IdentityService {
  /**
   * Whether the mobile line is registered to this national code.
   */
  checkMobileOwnership(nationalCode: NationalCode, mobile: Mobile): Promise<boolean>;
  /**
   * Looks a person up by national code + birth date; a mismatch of either is `matched: false`.
   */
  inquireCivilRegistry(nationalCode: NationalCode, birthDate: BirthDate): Promise<RegistryResult>;
}

/** Why the upstream could not answer; for logs and metrics, never for the user. */
export type UpstreamFailureReason =
  | 'timeout'
  | 'network'
  | 'http_status'
  | 'malformed_response'
  | 'circuit_open'
  | 'simulated'
  /** The vendor's quota, balance or rate limit: ask another vendor, or later. */
  | 'rate_limited'
  /** The vendor refused our input's format; it passed our own validation, so not the person's fault. */
  | 'invalid_input'
  /** The vendor refused our credentials (after a fresh token, where the vendor has tokens). */
  | 'unauthorized'
  /** An answer that is neither yes nor no (an unknown error code, "undeterminable", missing fields). */
  | 'ambiguous';

/**
 * The identity service could not give an answer. Callers must show "try again later" and must
 * never read this as "no match": a user would otherwise be told their mobile is not theirs
 * because a server was down.
 */
export class IdentityServiceUnavailableError extends Error {
  override readonly name = 'IdentityServiceUnavailableError';
  readonly reason: UpstreamFailureReason;
  /** HTTP status of the last attempt, when there was one. */
  readonly status: number | undefined;

  constructor(
    message: string,
    options: { reason: UpstreamFailureReason; status?: number; cause?: unknown } = { reason: 'network' },
  ) {
    super(message, { cause: options.cause });
    this.reason = options.reason;
    this.status = options.status;
  }
}
