import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** Authenticator data flags (WebAuthn §6.1): user present, user verified, attested data. */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface SoftwarePasskey {
  /** Credential id, base64url. */
  id: string;
  /** The account's user handle as the relying party gave it (base64url). */
  userHandle: string;
  privateKey: KeyObject;
  /** The signature counter the next assertion will carry (0: a synced passkey keeps none). */
  counter: number;
}

export interface Ceremony {
  /** The origin the browser would put in clientDataJSON. */
  origin: string;
  /** Authenticator data flags; default user present + user verified. */
  flags?: number;
}

/**
 * A WebAuthn authenticator in plain Node (ES256, attestation `none`), for tests and the
 * benchmark: it answers the provider's options as a browser with a platform authenticator would,
 * and can be told to lie (another origin, no user verification, a counter that went back).
 */
export function createSoftwareAuthenticator() {
  const rpIdHash = (rpId: string) => createHash('sha256').update(rpId).digest();
  const clientData = (type: string, challenge: string, origin: string) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  const counterBytes = (counter: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(counter);
    return bytes;
  };

  return {
    /** navigator.credentials.create(): a new discoverable ES256 credential. */
    register(
      options: PublicKeyCredentialCreationOptionsJSON,
      ceremony: Ceremony & { credentialId?: string },
    ): { response: RegistrationResponseJSON; passkey: SoftwarePasskey } {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
      const cosePublicKey = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, 'base64url')],
          [-3, Buffer.from(jwk.y!, 'base64url')],
        ]),
      );
      // A given id: an authenticator presenting a credential id that is already registered.
      const id = ceremony.credentialId ? Buffer.from(ceremony.credentialId, 'base64url') : randomBytes(16);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        rpIdHash(options.rp.id ?? new URL(ceremony.origin).hostname),
        Buffer.from([ceremony.flags ?? UP | UV | AT]),
        counterBytes(0),
        Buffer.alloc(16), // AAGUID: none, as with attestation `none`
        idLength,
        id,
        Buffer.from(cosePublicKey),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', new Uint8Array(authData)],
        ]) as never,
      );
      const credentialId = id.toString('base64url');
      return {
        passkey: { id: credentialId, userHandle: options.user.id, privateKey, counter: 1 },
        response: {
          id: credentialId,
          rawId: credentialId,
          type: 'public-key',
          response: {
            clientDataJSON: clientData('webauthn.create', options.challenge, ceremony.origin).toString(
              'base64url',
            ),
            attestationObject: Buffer.from(attestationObject).toString('base64url'),
            transports: ['internal'],
          },
          clientExtensionResults: {},
          authenticatorAttachment: 'platform',
        },
      };
    },

    /** navigator.credentials.get(): an assertion by `passkey`, its counter then moved on. */
    assert(
      passkey: SoftwarePasskey,
      options: PublicKeyCredentialRequestOptionsJSON,
      ceremony: Ceremony & { counter?: number },
    ): AuthenticationResponseJSON {
      const counter = ceremony.counter ?? passkey.counter;
      passkey.counter = counter + 1;
      const authData = Buffer.concat([
        rpIdHash(options.rpId ?? new URL(ceremony.origin).hostname),
        Buffer.from([ceremony.flags ?? UP | UV]),
        counterBytes(counter),
      ]);
      const data = clientData('webauthn.get', options.challenge, ceremony.origin);
      const signature = sign(
        'sha256',
        Buffer.concat([authData, createHash('sha256').update(data).digest()]),
        passkey.privateKey,
      );
      return {
        id: passkey.id,
        rawId: passkey.id,
        type: 'public-key',
        response: {
          clientDataJSON: data.toString('base64url'),
          authenticatorData: authData.toString('base64url'),
          signature: signature.toString('base64url'),
          userHandle: passkey.userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
}

export const AUTHENTICATOR_FLAGS = { UP, UV, AT } as const;
