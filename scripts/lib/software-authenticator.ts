/**
 * A software WebAuthn authenticator for the load generator: an ES256 key pair per credential
 * (node:crypto), and assertions built as a platform authenticator builds them (clientDataJSON,
 * authenticatorData with user present + verified, an ECDSA signature over both). No browser, no
 * CBOR library: the one CBOR structure needed, the credential's COSE public key, is written here.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export interface SoftwareCredential {
  /** base64url credential id. */
  id: string;
  /** The COSE_Key (EC2, P-256, ES256) as the relying party stores it. */
  cosePublicKey: Buffer;
  privateKey: KeyObject;
  /** The user handle the credential was created for (the account's sub). */
  userHandle: string;
}

export function createSoftwareCredential(userHandle: string): SoftwareCredential {
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
  return { id: randomBytes(16).toString('base64url'), cosePublicKey, privateKey, userHandle };
}

/** User present (0x01) and user verified (0x04): what a fingerprint or screen lock gives. */
const FLAGS_UP_UV = 0x05;

/** An AuthenticationResponseJSON for `challenge`, as navigator.credentials.get() would return it. */
export function assertion(
  credential: SoftwareCredential,
  options: { challenge: string; origin: string; rpId: string; counter?: number },
) {
  const clientData = Buffer.from(
    JSON.stringify({
      type: 'webauthn.get',
      challenge: options.challenge,
      origin: options.origin,
      crossOrigin: false,
    }),
  );
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(options.counter ?? 0);
  const authenticatorData = Buffer.concat([
    createHash('sha256').update(options.rpId).digest(),
    Buffer.from([FLAGS_UP_UV]),
    counter,
  ]);
  const signature = sign(
    'sha256',
    Buffer.concat([authenticatorData, createHash('sha256').update(clientData).digest()]),
    credential.privateKey,
  );
  return {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    response: {
      clientDataJSON: clientData.toString('base64url'),
      authenticatorData: authenticatorData.toString('base64url'),
      signature: signature.toString('base64url'),
      userHandle: Buffer.from(credential.userHandle).toString('base64url'),
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}
