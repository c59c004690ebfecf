/**
 * The time, in epoch milliseconds, like `Date.now`. Services are given one by the composition
 * root (which picks `Date.now`), so tests can move time and every layer agrees on it.
 */
export type Clock = () => number;

/** Whole seconds since the epoch: how OIDC (`exp`, `iat`, `loginTs`) and the store count time. */
export function epochSeconds(now: Clock): number {
  return Math.floor(now() / 1000);
}
