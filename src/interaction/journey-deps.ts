import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { AccountRepository } from '../accounts/account-repository.js';
import type { ConsentIndex } from '../accounts/consent-index.js';
import type { IdentityVerification } from '../accounts/identity-verification.js';
import type { SecurityEventType } from '../audit/security-audit.js';
import type { Captcha } from '../captcha/captcha.js';
import type { SmsSendPolicy } from '../limits/sms-send-policy.js';
import type { CodeDelivery } from '../otp/code-delivery.js';
import type { OneTimeCodes } from '../otp/one-time-codes.js';
import type { PasskeyOffers } from '../passkeys/passkey-offer.js';
import type { PasskeyService } from '../passkeys/passkey-service.js';
import type { JourneyStates } from './journey-state.js';

export type RenderPage = (ctx: Context, view: string, model: object, status?: number) => Promise<void>;

/** Security events worth an audit entry; the fields never hold codes or personal data. */
export type AuditEvent = (ctx: Context, type: SecurityEventType, fields: Record<string, string>) => void;

/** Everything the interaction routes use; app.ts wires the concrete parts. */
export interface JourneyDeps {
  provider: Provider;
  journeys: JourneyStates;
  captcha: Captcha;
  codes: OneTimeCodes;
  delivery: CodeDelivery;
  smsPolicy: SmsSendPolicy;
  accounts: AccountRepository;
  verification: IdentityVerification;
  consents: ConsentIndex;
  render: RenderPage;
  audit: AuditEvent;
  codeLength: number;
  interactionTtlSeconds: number;
  /** A verification older than this asks for the identity step again. */
  identityMaxAgeSeconds: number;
  now: () => number;
  /** Passkey sign-in and the offer after an SMS sign-in; absent, the journey is SMS only. */
  passkeys?: JourneyPasskeys;
}

export interface JourneyPasskeys {
  service: PasskeyService;
  offers: PasskeyOffers;
}
