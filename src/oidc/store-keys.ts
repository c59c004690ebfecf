import { hash } from 'node:crypto';

/** SHA-256, base64url (one-shot: no Hash object per key, on every token request's path). */
const sha256 = (value: string) => hash('sha256', value, 'base64url');

/**
 * Where oidc-provider's records live in the Store: the one module that knows the key layout.
 * The store adapter reads and writes through these functions, and so does every other part of
 * Darvaze that touches an oidc-provider record (through the port in oidc-records.ts); a change of
 * layout is a change here.
 *
 * `oidc:<Model>:{<id>}` holds the JSON payload and `…:consumed` its consumption mark. The `{id}`
 * hash tag puts a record and its mark in one Redis Cluster slot, so one MGET reads both.
 */

/**
 * Models whose id is itself a bearer credential (an opaque token's value is its id). They are
 * stored under a SHA-256 of the id, so a copy of the store holds no usable token. (The values
 * are 256 random bits: a plain hash cannot be reversed or guessed.)
 */
/** oidc-provider's models whose records belong to a grant and must die with it. */
export const GRANTABLE_MODELS: ReadonlySet<string> = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

export const HASHED_IDS: ReadonlySet<string> = new Set([
  'AccessToken',
  'RefreshToken',
  'AuthorizationCode',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
  'RegistrationAccessToken',
  'InitialAccessToken',
]);

/** The key of a model's record, e.g. `oidc:Client:{<client_id>}`. */
export function recordKey(model: string, id: string): string {
  const stored = HASHED_IDS.has(model) ? sha256(id) : id;
  return `oidc:${model}:{${stored}}`;
}

/** The mark that a single-use record was consumed; it shares its record's hash tag. */
export const consumedKey = (key: string) => `${key}:consumed`;

/** oidc-provider's record of a client: its metadata as JSON. */
export const clientKey = (clientId: string) => recordKey('Client', clientId);

/** A grant (a consent): what a person allowed a client. */
export const grantKey = (grantId: string) => recordKey('Grant', grantId);

/** An initial access token for /reg, under the hash of its value. */
export const initialAccessTokenKey = (jti: string) => recordKey('InitialAccessToken', jti);

/** The timed set of the records issued under a grant (tokens, codes), so revoking it finds them. */
export const grantIndexKey = (grantId: string) => `oidc:grant-index:{${grantId}}`;
/**
 * A refresh-token chain (refresh-chain.ts): the current token's payload, generation and value
 * hash, overwritten by each rotation; its `:consumed` counter (consumedKey) counts the
 * generations used. Two keys per chain, however often it rotates.
 */
export const refreshChainKey = (chainId: string) =>
  // Under a hash of the chain id, like every token: the id is part of the token's value, and a
  // copy of the store that named chains would let its holder present their earlier generations
  // (a replay, which revokes the grant).
  // 128 bits of it: chain ids are 128 random bits, so nothing is lost, and the key (and its
  // grant-index member) is 21 bytes shorter.
  `oidc:refresh-chain:{${sha256(chainId).slice(0, 22)}}`;
/**
 * A person's timed set: their live provider sessions (session-uids.ts), so the person's page can
 * end them ("sign out everywhere", withdrawing a site's permission), and their refresh chains
 * (chainIndexMember below), so revoking a grant finds its chains. Each member lapses with its
 * session or chain.
 */
export const accountSessionsKey = (accountId: string) => `oidc:account-sessions:{${accountId}}`;
/** A session's id by its uid (oidc-provider looks sessions up both ways). */
export const sessionUidKey = (uid: string) => `oidc:session-uid:{${uid}}`;
/** A device flow's record id by its user code. */
export const userCodeKey = (userCode: string) => `oidc:user-code:{${userCode}}`;

// Grant-index members leave out the common `oidc:` prefix: at 64 bytes or less Redis keeps a
// small sorted set in its compact listpack form, several times smaller than its skiplist form.
// The families a grant's index holds most name themselves in one capital (no model is named so);
// an index with a lapsed access token and a refresh chain then fits Redis's 96-byte allocation,
// not 128 (issue 17). Members written before, with the whole family name, still read.
const MEMBER_CODES: ReadonlyArray<readonly [family: string, code: string]> = [
  ['AccessToken:', 'A:'],
  ['AuthorizationCode:', 'K:'],
  ['RefreshToken:', 'R:'],
  ['refresh-chain:', 'C:'],
];
export function grantIndexMember(key: string): string {
  const member = key.slice('oidc:'.length);
  const coded = MEMBER_CODES.find(([family]) => member.startsWith(family));
  return coded ? `${coded[1]}${member.slice(coded[0].length)}` : member;
}
export function keyOfGrantIndexMember(member: string): string {
  const coded = MEMBER_CODES.find(([, code]) => member.startsWith(code));
  return `oidc:${coded ? `${coded[0]}${member.slice(coded[1].length)}` : member}`;
}

// A refresh chain is indexed in its person's timed set (accountSessionsKey), not in its grant's
// index: the grant's index then holds only short-lived records (codes, access tokens) and lapses
// with them, one key per person and site fewer (issue 17). The member names the grant by the first
// 16 characters of its id (96 random bits: oidc-provider's ids are random) and the chain by its
// key's hash, 41 bytes: within Redis's 64 for a compact set. `C:` sets it apart from sessions'
// members, which have no colon.
const CHAIN_MEMBER = 'C:';
const GRANT_TAG_LENGTH = 16;
const CHAIN_KEY_START = 'oidc:refresh-chain:{';

/** A refresh chain's member in its person's timed set. */
export const chainIndexMember = (grantId: string, chainKey: string) =>
  `${CHAIN_MEMBER}${grantId.slice(0, GRANT_TAG_LENGTH)} ${chainKey.slice(CHAIN_KEY_START.length, -1)}`;

/** The chain key a person's set member names, when it is a chain of this grant. */
export function chainKeyOfIndexMember(member: string, grantId: string): string | undefined {
  const prefix = `${CHAIN_MEMBER}${grantId.slice(0, GRANT_TAG_LENGTH)} `;
  return member.startsWith(prefix) ? `${CHAIN_KEY_START}${member.slice(prefix.length)}}` : undefined;
}

/** Whether a person's set member is a refresh chain's (not a session's). */
export const isChainIndexMember = (member: string) => member.startsWith(CHAIN_MEMBER);
