import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface PrivateJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

export interface SigningKeySet {
  keys: PrivateJwk[];
}

/** RS256 for relying parties that only know RSA, ES256 as the compact modern default. */
export const DEFAULT_ALGORITHMS = ['ES256', 'RS256'] as const;
const SUPPORTED = new Set(['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519']);

export async function generateSigningKey(alg: string): Promise<PrivateJwk> {
  if (!SUPPORTED.has(alg)) throw new Error(`unsupported signing algorithm ${alg}`);
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const date = new Date().toISOString().slice(0, 10);
  return { ...jwk, kid: `${alg.toLowerCase()}-${date}-${randomUUID().slice(0, 8)}`, alg, use: 'sig' };
}

export async function generateSigningKeySet(
  algorithms: readonly string[] = DEFAULT_ALGORITHMS,
): Promise<SigningKeySet> {
  return { keys: await Promise.all(algorithms.map(generateSigningKey)) };
}

/**
 * Rotation: the new keys go to the front, so they sign (the first key of an algorithm signs)
 * while the old ones stay published and keep verifying tokens issued before.
 */
export function rotateIn(existing: SigningKeySet, fresh: readonly PrivateJwk[]): SigningKeySet {
  return { keys: [...fresh, ...existing.keys] };
}

/** Reads a private JWK Set and checks what the provider relies on, naming every problem. */
export async function loadSigningKeySet(file: string): Promise<SigningKeySet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`JWKS_FILE ${file}: cannot read a JSON key set (${(error as Error).message})`);
  }
  const problems = validateSigningKeySet(parsed);
  if (problems.length) throw new Error(`JWKS_FILE ${file}: ${problems.join('; ')}`);
  return parsed as SigningKeySet;
}

export function validateSigningKeySet(value: unknown): string[] {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return ['expected {"keys":[…]} with at least one key'];
  const problems: string[] = [];
  const kids = new Set<string>();
  keys.forEach((key: Partial<PrivateJwk>, index) => {
    const name = `key ${index}${key?.kid ? ` (${key.kid})` : ''}`;
    if (!key || typeof key !== 'object') {
      problems.push(`${name}: not an object`);
      return;
    }
    if (!key.kid) problems.push(`${name}: missing kid`);
    else if (kids.has(key.kid)) problems.push(`${name}: duplicate kid`);
    else kids.add(key.kid);
    if (!key.alg) problems.push(`${name}: missing alg`);
    if (key.use !== 'sig') problems.push(`${name}: use must be "sig"`);
    if (!key.d) problems.push(`${name}: not a private key (no "d")`);
  });
  return problems;
}
