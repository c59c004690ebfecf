/**
 * One set of keys and secrets for every provider process of a deployment: generated once into
 * a directory and handed to each process through the same environment variables production
 * uses (JWKS_FILE, COOKIE_KEYS, DATA_ENCRYPTION_KEYS, DATA_INDEX_KEY, OTP_PEPPER). Nodes that
 * share them can continue each other's sign-ins and verify each other's cookies and tokens.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeySet, type SigningKeySet } from '../../src/keys/signing-keys.js';

export interface SharedSecrets {
  jwksFile: string;
  jwks: SigningKeySet;
  cookieKeys: string[];
  dataEncryptionKeys: string[];
  dataIndexKey: string;
  otpPepper: string;
  /** The same, as environment variables for a provider process. */
  env: Record<string, string>;
}

export async function createSharedSecrets(
  dir: string,
  algorithms: readonly string[] = ['ES256', 'RS256'],
): Promise<SharedSecrets> {
  const jwks = await generateSigningKeySet(algorithms);
  const jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600 });
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const dataEncryptionKeys = [randomBytes(32).toString('base64')];
  const dataIndexKey = randomBytes(32).toString('base64');
  const otpPepper = randomBytes(32).toString('base64url');
  return {
    jwksFile,
    jwks,
    cookieKeys,
    dataEncryptionKeys,
    dataIndexKey,
    otpPepper,
    env: {
      JWKS_FILE: jwksFile,
      COOKIE_KEYS: cookieKeys.join(','),
      DATA_ENCRYPTION_KEYS: dataEncryptionKeys.join(','),
      DATA_INDEX_KEY: dataIndexKey,
      OTP_PEPPER: otpPepper,
    },
  };
}
