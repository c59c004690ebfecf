import type { PersonalDataCipher } from '../accounts/personal-data-cipher.js';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import { Mobile } from '../validation/mobile.js';

/** Where one sign-in (one oidc-provider interaction) stands. */
export interface JourneyState {
  step: 'mobile' | 'code' | 'identity';
  /** Set once an SMS was sent to it. */
  mobile?: Mobile;
  /** True once the SMS code was confirmed for `mobile`. */
  mobileVerified?: boolean;
  /**
   * The number to show again in the mobile field after "change mobile number" (national form,
   * `09…`): the person corrects a typo instead of typing it all again.
   */
  mobileDraft?: string;
  /** Anti-CSRF token of this interaction's forms. */
  csrf: string;
}

/**
 * Journey state lives in the store, keyed by the interaction's uid, so a sign-in started on one
 * node continues on another and survives a restart. It expires with the interaction. It holds the
 * mobile number, so it is sealed like every other personal value (bound to its uid: a state
 * copied under another interaction does not open).
 */
/** What the store holds: the same, with the mobile in E.164 (`+989…`). */
type StoredJourneyState = Omit<JourneyState, 'mobile'> & { mobile?: string };

export interface JourneyStates {
  load(uid: string): Promise<JourneyState>;
  save(uid: string, state: JourneyState, ttlSeconds: number): Promise<void>;
  clear(uid: string): Promise<void>;
}

export function createJourneyStates(
  store: Store,
  cipher: Pick<PersonalDataCipher, 'seal' | 'open' | 'blindIndex'>,
): JourneyStates {
  const key = (uid: string) => `journey:{${uid}}`;
  // A new sign-in's CSRF token is a keyed hash of its interaction's uid: the same on every node
  // and after a restart, unguessable without the index key, and so nothing to store until the
  // sign-in has something to remember (issue 17: no write when the first page is shown). States
  // stored by an older release keep the random token they hold.
  const freshCsrf = (uid: string) => cipher.blindIndex(`journey-csrf\u0000${uid}`);
  return {
    async load(uid) {
      const raw = await store.get(key(uid));
      const fresh = (): JourneyState => ({ step: 'mobile', csrf: freshCsrf(uid) });
      if (!raw) return fresh();
      // A state that does not open (altered, or its key retired) starts the sign-in over rather
      // than failing it.
      let stored: StoredJourneyState;
      try {
        stored = JSON.parse(cipher.open(raw, key(uid))) as StoredJourneyState;
      } catch {
        return fresh();
      }
      if (stored.mobile === undefined) return { ...stored, mobile: undefined };
      // The number becomes a Mobile again here, at the store; one that does not read back (an
      // altered state) starts the sign-in over.
      const mobile = Mobile.fromE164(stored.mobile);
      return mobile ? { ...stored, mobile } : fresh();
    },
    async save(uid, state, ttlSeconds) {
      // Same keys in the same order as ever: JSON leaves out the mobile while it is undefined.
      const stored: StoredJourneyState = { ...state, mobile: state.mobile?.e164 };
      await store.set(key(uid), cipher.seal(JSON.stringify(stored), key(uid)), ttlSeconds);
    },
    async clear(uid) {
      await store.delete(key(uid));
    },
  };
}

export function csrfMatches(state: JourneyState, submitted: unknown): boolean {
  return typeof submitted === 'string' && constantEquals(submitted, state.csrf);
}
