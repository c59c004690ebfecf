import type { AccountRepository } from '../accounts/account-repository.js';
import type { ConsentIndex } from '../accounts/consent-index.js';
import type { IdentityVerification } from '../accounts/identity-verification.js';
import type { SecurityAudit, SecurityEventType } from '../audit/security-audit.js';
import type { FirstPartySignIn } from '../first-party/first-party-sign-in.js';
import type { Render } from '../http/render.js';
import type { Locale } from '../i18n/index.js';
import type { PersonSessions } from '../oidc/person-sessions.js';
import type { PasskeyCredentials } from '../passkeys/passkey-credentials.js';
import type { PasskeyOffers } from '../passkeys/passkey-offer.js';
import type { Clock } from '../time/clock.js';

/** What the person's page (/account) works with; the composition root hands it over. */
export interface AccountPageDeps {
  signIn: FirstPartySignIn;
  render: Render;
  accounts: AccountRepository;
  consents: ConsentIndex;
  /** "Check again with the registry": the journey's identity check, under the same daily limits. */
  verification: IdentityVerification;
  passkeys: PasskeyCredentials;
  passkeyOffers: Pick<PasskeyOffers, 'forget'>;
  sessions: PersonSessions;
  audit: Pick<SecurityAudit, 'recentFor' | 'forgetPerson'>;
  /** Records a security event (audit trail and metrics). */
  record(
    ctx: { state: { requestId?: string }; ip?: string },
    type: SecurityEventType,
    fields: Record<string, string>,
  ): void;
  /** A site's name in this language; undefined for a client that no longer exists. */
  clientName(clientId: string, locale: Locale): Promise<string | undefined>;
  now: Clock;
}

/** A changing action needs a sign-in at most this old (seconds). */
export const FRESH_SIGN_IN_SECONDS = 5 * 60;
