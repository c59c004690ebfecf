import type { Account } from './account.js';

/**
 * Whether an account's last identity verification (mobile ownership and civil registry) is
 * recent enough for a sign-in with the mobile and its SMS code alone. Past the maximum age
 * (`IDENTITY_MAX_AGE_DAYS`) the person verifies again (step C), because a number can change hands.
 * The boundary is inclusive: verified exactly `maxAgeSeconds` ago is still fresh.
 */
export function isVerificationFresh(
  account: Pick<Account, 'verifiedAt'>,
  nowMs: number,
  maxAgeSeconds: number,
): boolean {
  return nowMs / 1000 - account.verifiedAt <= maxAgeSeconds;
}
