/**
 * A software WebAuthn authenticator (ES256, attestation `none`) for the load generator and the
 * tests: an ES256 key pair per credential (node:crypto), and answers built as a platform
 * authenticator builds them (clientDataJSON, authenticatorData, an ECDSA signature over both).
 * The tests can also make it lie (another origin, no user verification, a counter that went back,
 * a credential id that is already registered).
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** Authenticator data flags (WebAuthn §6.1): user present, user verified, attested data. */
export const AUTHENTICATOR_FLAGS = { UP: 0x01, UV: 0x04, AT: 0x40 } as const;
const { UP, UV, AT } = AUTHENTICATOR_FLAGS;

export interface SoftwareCredential {
  /** base64url credential id. */
  id: string;
  /** The COSE_Key (EC2, P-256, ES256) as the relying party stores it. */
  cosePublicKey: Buffer;
  privateKey: KeyObject;
  /** The user handle the credential was created for (the account's sub). */
  userHandle: string;
}

/** A credential that counts its signatures, as a device-bound authenticator does. */
export interface SoftwarePasskey extends SoftwareCredential {
  /** The signature counter the next assertion will carry. */
  counter: number;
}

/** A new ES256 credential for `userHandle` (the id: random, or a given one). */
export function createSoftwareCredential(userHandle: string, id?: string): SoftwareCredential {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x as string, 'base64url');
  const y = Buffer.from(jwk.y as string, 'base64url');
  // CBOR map(5) {1 (kty): 2 (EC2), 3 (alg): -7 (ES256), -1 (crv): 1 (P-256), -2 (x): bstr(32), -3 (y): bstr(32)}
  const cosePublicKey = Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
    x,
    Buffer.from([0x22, 0x58, 0x20]),
    y,
  ]);
  return { id: id ?? randomBytes(16).toString('base64url'), cosePublicKey, privateKey, userHandle };
}

const clientData = (type: string, challenge: string, origin: string) =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
const rpIdHash = (rpId: string) => createHash('sha256').update(rpId).digest();
const counterBytes = (counter: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
};

/** An AuthenticationResponseJSON for `challenge`, as navigator.credentials.get() would return it. */
export function assertion(
  credential: SoftwareCredential,
  options: { challenge: string; origin: string; rpId: string; counter?: number; flags?: number },
): AuthenticationResponseJSON {
  const data = clientData('webauthn.get', options.challenge, options.origin);
  const authenticatorData = Buffer.concat([
    rpIdHash(options.rpId),
    Buffer.from([options.flags ?? UP | UV]),
    counterBytes(options.counter ?? 0),
  ]);
  const signature = sign(
    'sha256',
    Buffer.concat([authenticatorData, createHash('sha256').update(data).digest()]),
    credential.privateKey,
  );
  return {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    response: {
      clientDataJSON: data.toString('base64url'),
      authenticatorData: authenticatorData.toString('base64url'),
      signature: signature.toString('base64url'),
      userHandle: Buffer.from(credential.userHandle).toString('base64url'),
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}

/** Where the browser would run a ceremony: its origin, and the flags the authenticator sets. */
export interface Ceremony {
  origin: string;
  flags?: number;
}

/** Both ceremonies against a provider's options, as a browser with a platform authenticator. */
export function createSoftwareAuthenticator() {
  return {
    /** navigator.credentials.create(): a new discoverable credential (`credentialId`: reuse one). */
    register(
      options: PublicKeyCredentialCreationOptionsJSON,
      ceremony: Ceremony & { credentialId?: string },
    ): { response: RegistrationResponseJSON; passkey: SoftwarePasskey } {
      const userHandle = Buffer.from(options.user.id, 'base64url').toString();
      const credential = createSoftwareCredential(userHandle, ceremony.credentialId);
      const id = Buffer.from(credential.id, 'base64url');
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        rpIdHash(options.rp.id ?? new URL(ceremony.origin).hostname),
        Buffer.from([ceremony.flags ?? UP | UV | AT]),
        counterBytes(0),
        Buffer.alloc(16), // AAGUID: none, as with attestation `none`
        idLength,
        id,
        credential.cosePublicKey,
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', new Uint8Array(authData)],
        ]) as never,
      );
      return {
        passkey: { ...credential, counter: 1 },
        response: {
          id: credential.id,
          rawId: credential.id,
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
      options: { challenge: string; rpId?: string },
      ceremony: Ceremony & { counter?: number },
    ): AuthenticationResponseJSON {
      const counter = ceremony.counter ?? passkey.counter;
      passkey.counter = counter + 1;
      return assertion(passkey, {
        challenge: options.challenge,
        origin: ceremony.origin,
        rpId: options.rpId ?? new URL(ceremony.origin).hostname,
        counter,
        ...(ceremony.flags === undefined ? {} : { flags: ceremony.flags }),
      });
    },
  };
}
