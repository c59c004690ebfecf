import { hash } from 'node:crypto';
import { pooledRandomBase64url } from '../crypto/random-pool.js';

/**
 * Refresh-token values that name their chain, so a grant refreshed a thousand times costs Redis
 * one record, not a thousand.
 *
 * Rotation hands out a new refresh token on every use, and a used one presented again must
 * revoke the grant (RFC 9700 §4.14.2). Recognising a used token used to mean keeping each used
 * token's record (a day of them per grant). Instead a value here is
 *
 *   <chain id: 22 chars, 128 random bits><secret: 43 chars, 256 random bits><generation: digits>
 *
 * The chain id is drawn when a chain starts (a code exchange) and kept by every rotation; the
 * generation counts the rotations. The store keeps one record per chain: the current token's
 * payload, its generation and the SHA-256 of its value (store-adapter.ts). A presented value of
 * an earlier generation of a live chain is a used token: a replay. Only someone who has held a
 * token of the chain knows its id (128 random bits), and such a presenter replaying is exactly
 * what revokes the grant. A copy of the store holds the hash of the current value, not the value.
 */

const CHAIN_ID_LENGTH = 22;
const SECRET_LENGTH = 43;
const VALUE = new RegExp(
  `^([A-Za-z0-9_-]{${CHAIN_ID_LENGTH}})[A-Za-z0-9_-]{${SECRET_LENGTH}}(0|[1-9][0-9]{0,8})$`,
);

export interface ChainToken {
  chainId: string;
  generation: number;
}

/** The chain and generation a value names; undefined for any other value (an older token format). */
export function parseChainToken(value: string): ChainToken | undefined {
  const match = VALUE.exec(value);
  if (!match) return undefined;
  return { chainId: match[1] as string, generation: Number(match[2]) };
}

/** The value of the token that follows `previous` in its chain, or the first of a new chain. */
export function nextChainToken(previous?: string): string {
  const parent = previous === undefined ? undefined : parseChainToken(previous);
  const chainId = parent?.chainId ?? pooledRandomBase64url(16);
  const generation = parent ? parent.generation + 1 : 0;
  return `${chainId}${pooledRandomBase64url(32)}${generation}`;
}

/**
 * What the store keeps of a value: 128 bits of its SHA-256, enough to recognise it (a forger
 * would need a second preimage), useless to present.
 */
export const chainTokenHash = (value: string) => hash('sha256', value, 'base64url').slice(0, 22);
