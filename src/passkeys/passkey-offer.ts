import type { PersonalDataCipher } from '../accounts/personal-data-cipher.js';
import type { Store } from '../store/store.js';

/** "Not now" on the enrol page is respected this long. */
export const OFFER_SNOOZE_SECONDS = 30 * 24 * 3600;

/** A sign-in that succeeded and waits while the person is offered a passkey. */
export interface PendingLogin {
  sub: string;
  acr: string;
  amr: string[];
  /** Epoch seconds of the sign-in. */
  ts: number;
}

export interface PasskeyOffers {
  /** True unless the person said "not now" in the last 30 days. */
  shouldOffer(sub: string): Promise<boolean>;
  snooze(sub: string): Promise<void>;
  /** Drops the person's snooze (the account is deleted). */
  forget(sub: string): Promise<void>;
  hold(uid: string, login: PendingLogin, ttlSeconds: number): Promise<void>;
  /** The held sign-in, left in place (the enrol page reads it on every view). */
  peek(uid: string): Promise<PendingLogin | null>;
  /** The held sign-in, removed atomically: it completes once, whichever button finishes it. */
  release(uid: string): Promise<PendingLogin | null>;
}

/** The offer after sign-in: held logins (sealed, bound to their interaction) and the snooze. */
export function createPasskeyOffers(
  store: Store,
  cipher: Pick<PersonalDataCipher, 'seal' | 'open'>,
): PasskeyOffers {
  const heldKey = (uid: string) => `passkey:held:{${uid}}`;
  const snoozeKey = (sub: string) => `passkey:snooze:{${sub}}`;
  const open = (uid: string, raw: string | null): PendingLogin | null => {
    if (!raw) return null;
    try {
      return JSON.parse(cipher.open(raw, heldKey(uid))) as PendingLogin;
    } catch {
      return null;
    }
  };
  return {
    async shouldOffer(sub) {
      return (await store.get(snoozeKey(sub))) === null;
    },
    async forget(sub) {
      await store.delete(snoozeKey(sub));
    },
    async snooze(sub) {
      await store.set(snoozeKey(sub), '1', OFFER_SNOOZE_SECONDS);
    },
    async hold(uid, login, ttlSeconds) {
      await store.set(heldKey(uid), cipher.seal(JSON.stringify(login), heldKey(uid)), ttlSeconds);
    },
    async peek(uid) {
      return open(uid, await store.get(heldKey(uid)));
    },
    async release(uid) {
      return open(uid, await store.take(heldKey(uid)));
    },
  };
}
