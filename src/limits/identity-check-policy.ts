import type { Store } from '../store/store.js';
import type { Mobile } from '../validation/mobile.js';
import type { NationalCode } from '../validation/national-code.js';
import { createFixedWindowCounter, hitAll, type LimitWindow } from './fixed-window-counter.js';
import { hashSubject } from './subject-hash.js';

/**
 * How many identity checks (mobile ownership + civil registry) may run. Each check is a paid,
 * logged query to a government service and an oracle for "does this national code own this
 * mobile", so it is capped per mobile and per national code.
 */
export interface IdentityCheckLimits {
  perMobilePerDay: number;
  perNationalCodePerDay: number;
}

export interface IdentityCheckRequest {
  mobile: Mobile;
  nationalCode: NationalCode;
}

export type IdentityCheckDecision =
  | { allowed: true }
  | { allowed: false; reason: 'identity_checks'; retryAfterSeconds: number };

export interface IdentityCheckPolicy {
  /** Counts one check for both the mobile and the national code, or refuses without counting. */
  reserve(request: IdentityCheckRequest): Promise<IdentityCheckDecision>;
  /** Gives a reserved check back when the upstream failed: that was not the user's fault. */
  release(request: IdentityCheckRequest): Promise<void>;
}

export interface IdentityCheckPolicyDeps {
  store: Store;
  /** Clock in epoch milliseconds; decides which day window is current (days start 00:00 UTC). */
  now?: () => number;
  /** No defaults here: configuration (IDENTITY_CHECKS_PER_DAY) is their one source. */
  limits: IdentityCheckLimits;
  /** Secret for hashing mobiles and national codes in counter keys. */
  subjectKey?: Buffer | string;
}

const DAY = 24 * 3600;

export function createIdentityCheckPolicy(deps: IdentityCheckPolicyDeps): IdentityCheckPolicy {
  const { limits } = deps;
  const counter = createFixedWindowCounter({ store: deps.store, now: deps.now });
  const perMobile: LimitWindow = { name: 'identity:mobile:day', limit: limits.perMobilePerDay, seconds: DAY };
  const perNationalCode: LimitWindow = {
    name: 'identity:national-code:day',
    limit: limits.perNationalCodePerDay,
    seconds: DAY,
  };

  function windowHits({ mobile, nationalCode }: IdentityCheckRequest) {
    return [
      { window: perMobile, subject: hashSubject('mobile', mobile.e164, deps.subjectKey) },
      { window: perNationalCode, subject: hashSubject('national-code', nationalCode.value, deps.subjectKey) },
    ];
  }

  return {
    async reserve(request) {
      const result = await hitAll(counter, windowHits(request));
      if (result.ok) return { allowed: true };
      return {
        allowed: false,
        reason: 'identity_checks',
        retryAfterSeconds: result.refusedBy.retryAfterSeconds,
      };
    },

    async release(request) {
      await Promise.all(
        windowHits(request).map(({ window, subject }) => counter.undoCurrent(window, subject)),
      );
    },
  };
}
