import type { PersonalDataCipher } from '../accounts/personal-data-cipher.js';
import type { JourneyPasskeys } from '../interaction/journey-deps.js';
import { createPasskeyChallenges } from '../passkeys/passkey-challenges.js';
import { createPasskeyCredentials } from '../passkeys/passkey-credentials.js';
import { createPasskeyOffers } from '../passkeys/passkey-offer.js';
import { createPasskeyService } from '../passkeys/passkey-service.js';
import type { Store } from '../store/store.js';

/** Failed passkey assertions allowed per sign-in in 15 minutes (wrong SMS codes get 5). */
export const PASSKEY_ATTEMPT_LIMITS = { max: 5, windowSeconds: 15 * 60 };

/** The passkey parts of the journey, on the shared store (any node can finish a ceremony). */
export function createJourneyPasskeys(options: {
  store: Store;
  cipher: Pick<PersonalDataCipher, 'seal' | 'open'>;
  issuer: string;
  now: () => number;
}): JourneyPasskeys {
  const { store, cipher, issuer, now } = options;
  return {
    service: createPasskeyService({
      issuer,
      rpName: 'Darvaze',
      credentials: createPasskeyCredentials(store, cipher),
      challenges: createPasskeyChallenges(store),
      store,
      attemptLimits: PASSKEY_ATTEMPT_LIMITS,
      now,
    }),
    offers: createPasskeyOffers(store, cipher),
  };
}
