import type { Store } from '../store/store.js';

/** A WebAuthn ceremony's challenge lives this long: enough for a fingerprint, not for a replay. */
export const CHALLENGE_TTL_SECONDS = 120;

export type CeremonyKind = 'register' | 'authenticate';

export interface PasskeyChallenges {
  /** Remembers the challenge just sent for this ceremony, replacing any earlier one. */
  issue(kind: CeremonyKind, binding: string, challenge: string): Promise<void>;
  /**
   * The challenge of this ceremony, removed in the same atomic step: of two requests carrying the
   * same assertion (a replay, a double click) only one finds it.
   */
  take(kind: CeremonyKind, binding: string): Promise<string | null>;
}

/** Challenges in the shared store, not one node's memory: options from one node, answer to another. */
export function createPasskeyChallenges(store: Store): PasskeyChallenges {
  const key = (kind: CeremonyKind, binding: string) => `passkey:challenge:${kind}:{${binding}}`;
  return {
    async issue(kind, binding, challenge) {
      await store.set(key(kind, binding), challenge, CHALLENGE_TTL_SECONDS);
    },
    take: (kind, binding) => store.take(key(kind, binding)),
  };
}
