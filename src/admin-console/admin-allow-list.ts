import { constantEquals } from '../crypto/constant-equals.js';
import { ACR } from '../oidc/assurance.js';

/**
 * Who may use the admin console: a person signed in through Darvaze itself (the first-party
 * sign-in), at the registry-verified level, whose account's national code is on the allow list
 * (`ADMIN_NATIONAL_CODES`). No separate password store: the journey people use is the proof.
 *
 * The national code is read from the account (by the ID token's `sub`) and compared with every
 * entry in constant time, with no early exit, so neither the list's order nor its contents show
 * in the answer's timing. The code itself never leaves this function: the console names the
 * admin by `sub` in the audit trail.
 */
export type AdminDecision =
  | { allowed: true }
  /** `disabled`: the allow list is empty; `not_listed`: this person is not on it; `not_verified`: the sign-in's level is too low. */
  | { allowed: false; reason: 'disabled' | 'not_listed' | 'not_verified' };

/** The acr values the console asks for and accepts: the identity step, not a passkey or SMS alone. */
export const ADMIN_ACR_VALUES: readonly string[] = [ACR.registryVerified];

export interface AdminAllowList {
  /** False when the list is empty: the console refuses everyone without asking anyone to sign in. */
  readonly enabled: boolean;
  decide(signedIn: { sub: string; acr?: string | undefined }): Promise<AdminDecision>;
}

export function createAdminAllowList(deps: {
  nationalCodes: readonly string[];
  /** The account's national code (10 ASCII digits) by `sub`; null when there is no such account. */
  nationalCodeOf(sub: string): Promise<string | null>;
}): AdminAllowList {
  const listed = [...deps.nationalCodes];
  return {
    enabled: listed.length > 0,
    async decide({ sub, acr }) {
      if (listed.length === 0) return { allowed: false, reason: 'disabled' };
      // A passkey or SMS-only session is not enough, whatever the person's account says.
      if (acr === undefined || !ADMIN_ACR_VALUES.includes(acr))
        return { allowed: false, reason: 'not_verified' };
      const code = await deps.nationalCodeOf(sub);
      let found = false;
      for (const entry of listed) {
        // Every entry is compared, matched or not: the comparison runs before the `||`, no early exit.
        found = constantEquals(code ?? '', entry) || found;
      }
      return code !== null && found ? { allowed: true } : { allowed: false, reason: 'not_listed' };
    },
  };
}
