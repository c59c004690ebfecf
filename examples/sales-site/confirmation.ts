/**
 * Seed step 6: registration completes only after a fresh confirmation at the provider. The site
 * asked for it with `prompt=login` and `max_age=0`; it does not trust that the provider obeyed,
 * so it checks the ID token it got back.
 */
export type ConfirmationVerdict =
  | { ok: true; authTime: number }
  | { ok: false; reason: 'different_person' | 'missing_auth_time' | 'not_fresh' };

export function checkFreshConfirmation(input: {
  /** The ID token claims of the confirmation round trip. */
  claims: { sub: string; auth_time?: unknown };
  /** The `sub` of the person registering (from their sign-in). */
  expectedSub: string;
  /** Epoch ms when the site sent the person to confirm. */
  startedAt: number;
  /** `auth_time` of the sign-in the session came from: a confirmation must be newer. */
  previousAuthTime?: number;
  /** Allowed clock difference between the provider and this site. Default 0 (same host). */
  clockSkewSeconds?: number;
}): ConfirmationVerdict {
  if (input.claims.sub !== input.expectedSub) return { ok: false, reason: 'different_person' };
  const authTime = input.claims.auth_time;
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) {
    return { ok: false, reason: 'missing_auth_time' };
  }
  // auth_time has whole seconds: an authentication in the second the request started counts.
  const startedAtSeconds = Math.floor(input.startedAt / 1000) - (input.clockSkewSeconds ?? 0);
  if (authTime < startedAtSeconds) return { ok: false, reason: 'not_fresh' };
  // The same authentication as the sign-in is never a confirmation, whatever the clocks say.
  if (input.previousAuthTime !== undefined && authTime <= input.previousAuthTime) {
    return { ok: false, reason: 'not_fresh' };
  }
  return { ok: true, authTime };
}

/** Why the registration was refused, in words for the person (catalog keys `confirm.*`). */
export const CONFIRMATION_REFUSALS = {
  different_person: 'confirm.different_person',
  missing_auth_time: 'confirm.missing_auth_time',
  not_fresh: 'confirm.not_fresh',
} as const satisfies Record<Exclude<ConfirmationVerdict, { ok: true }>['reason'], string>;
