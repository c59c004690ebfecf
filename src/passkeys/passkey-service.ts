import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Store } from '../store/store.js';
import { epochSeconds } from '../time/clock.js';
import type { PasskeyChallenges } from './passkey-challenges.js';
import {
  MAX_CREDENTIAL_ID_LENGTH,
  type PasskeyCredential,
  type PasskeyCredentials,
} from './passkey-credentials.js';

/** COSE algorithms accepted: ES256 and RS256 (what platform authenticators and keys offer). */
export const SUPPORTED_ALGORITHMS = [-7, -257];

export interface PasskeyServiceOptions {
  /** The provider's ISSUER: its origin is the only origin accepted, its host the RP id. */
  issuer: string;
  /** Shown by the authenticator beside the account. */
  rpName: string;
  credentials: PasskeyCredentials;
  challenges: PasskeyChallenges;
  store: Store;
  /** Failed assertions allowed per sign-in (interaction) and window, like wrong SMS codes. */
  attemptLimits: { max: number; windowSeconds: number };
  now: () => number;
}

export type AuthenticationResult =
  | { ok: true; credential: PasskeyCredential }
  | { ok: false; reason: 'expired' | 'unknown' | 'refused' | 'cloned' | 'locked'; credentialSub?: string };

export type RegistrationResult =
  | { ok: true; credential: PasskeyCredential }
  | { ok: false; reason: 'expired' | 'refused' | 'duplicate' };

export interface PasskeyService {
  registrationOptions(
    account: { sub: string; userName: string },
    binding: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON>;
  verifyRegistration(
    sub: string,
    binding: string,
    response: unknown,
    name: string,
  ): Promise<RegistrationResult>;
  authenticationOptions(binding: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  verifyAuthentication(binding: string, response: unknown): Promise<AuthenticationResult>;
}

/**
 * The two WebAuthn ceremonies (@simplewebauthn/server): discoverable credentials, user
 * verification required, attestation `none`, ES256/RS256. `binding` ties a challenge to one
 * sign-in (the interaction uid) or one manage-page session.
 */
export function createPasskeyService(options: PasskeyServiceOptions): PasskeyService {
  const origin = new URL(options.issuer).origin;
  const rpID = new URL(options.issuer).hostname;
  const { credentials, challenges, store } = options;
  /** What both ceremonies hold an answer to: this challenge, this origin and RP id, user verified. */
  const expected = (expectedChallenge: string) => ({
    expectedChallenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
  });

  return {
    async registrationOptions(account, binding) {
      const existing = await credentials.listFor(account.sub);
      const generated = await generateRegistrationOptions({
        rpName: options.rpName,
        rpID,
        userName: account.userName,
        userDisplayName: account.userName,
        // The opaque account id: no personal data goes into the authenticator's user handle.
        userID: new TextEncoder().encode(account.sub),
        attestationType: 'none',
        // The same authenticator is not registered twice for one account.
        excludeCredentials: existing.map((credential) => ({
          id: credential.id,
          transports: credential.transports as never,
        })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
        timeout: 120_000,
      });
      await challenges.issue('register', binding, generated.challenge);
      return generated;
    },

    async verifyRegistration(sub, binding, response, name) {
      const expectedChallenge = await challenges.take('register', binding);
      if (!expectedChallenge) return { ok: false, reason: 'expired' };
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          ...expected(expectedChallenge),
          supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
        });
      } catch {
        return { ok: false, reason: 'refused' };
      }
      if (!verified.verified || !verified.registrationInfo) return { ok: false, reason: 'refused' };
      const info = verified.registrationInfo;
      if (info.credential.id.length > MAX_CREDENTIAL_ID_LENGTH) return { ok: false, reason: 'refused' };
      const credential: PasskeyCredential = {
        id: info.credential.id,
        sub,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        name,
        createdAt: epochSeconds(options.now),
      };
      if (!(await credentials.add(credential))) return { ok: false, reason: 'duplicate' };
      return { ok: true, credential };
    },

    async authenticationOptions(binding) {
      // No allowCredentials: a discoverable credential names its account itself.
      const generated = await generateAuthenticationOptions({
        rpID,
        userVerification: 'required',
        timeout: 120_000,
      });
      await challenges.issue('authenticate', binding, generated.challenge);
      return generated;
    },

    async verifyAuthentication(binding, response) {
      // Counted before any work, atomically with the lock check, as wrong SMS codes are.
      const attempt = await store.countAttempt(`passkey:fail:{${binding}}`, `passkey:lock:{${binding}}`, {
        ...options.attemptLimits,
        nowMs: options.now(),
      });
      if (!attempt.allowed) return { ok: false, reason: 'locked' };
      const expectedChallenge = await challenges.take('authenticate', binding);
      if (!expectedChallenge) return { ok: false, reason: 'expired' };
      const id = (response as { id?: unknown } | null)?.id;
      const credential = typeof id === 'string' ? await credentials.find(id) : null;
      if (!credential) return { ok: false, reason: 'unknown' };
      let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        verified = await verifyAuthenticationResponse({
          response: response as AuthenticationResponseJSON,
          ...expected(expectedChallenge),
          credential: {
            id: credential.id,
            publicKey: Buffer.from(credential.publicKey, 'base64url'),
            counter: credential.counter,
            transports: credential.transports as never,
          },
        });
      } catch (error) {
        // A counter that did not grow: two copies of one authenticator are in use.
        const cloned = error instanceof Error && /counter value/i.test(error.message);
        return { ok: false, reason: cloned ? 'cloned' : 'refused', credentialSub: credential.sub };
      }
      if (!verified.verified) return { ok: false, reason: 'refused', credentialSub: credential.sub };
      const used: PasskeyCredential = {
        ...credential,
        counter: verified.authenticationInfo.newCounter,
        deviceType: verified.authenticationInfo.credentialDeviceType,
        lastUsedAt: epochSeconds(options.now),
      };
      await credentials.update(used);
      return { ok: true, credential: used };
    },
  };
}
