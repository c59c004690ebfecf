import { codedScope, decodedScope } from './scope-codes.js';

/**
 * Shorter names for oidc-provider's payload fields in the store (issue 17: Redis per person).
 * A signed-in person keeps a Session, a Grant and a refresh chain for hours to a year; their
 * field names (`sessionUid`, `authorizations`, `rotations`…) were a sixth of their bytes.
 *
 * Top-level fields are renamed, and the fields of a Session's per-client `authorizations` entries;
 * other nested objects hold names that are data (client ids, claim names under `claims`). The short names are single capitals, which
 * oidc-provider (camelCase) never uses, so a record written before, with long names, reads as it
 * is. `accountId` keeps its name: it is what an operator (and the security suite) looks for in a
 * raw session to tell a signed-in one from an anonymous one.
 */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  acr: 'Q',
  amr: 'W',
  authTime: 'T',
  authorizations: 'Z',
  claims: 'C',
  clientId: 'I',
  codeChallenge: 'K',
  codeChallengeMethod: 'M',
  expiresWithSession: 'X',
  grantId: 'G',
  iiat: 'F',
  loginTs: 'L',
  openid: 'P',
  redirectUri: 'R',
  rotations: 'O',
  scope: 'S',
  sessionUid: 'U',
};

/** A Session's `authorizations`: one object per client id, each of this known shape. */
const SHORT_AUTHORIZATION_NAMES: Readonly<Record<string, string>> = { grantId: 'G', persistsLogout: 'P' };

const reversed = (names: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
  Object.fromEntries(Object.entries(names).map(([long, short]) => [short, long]));
const LONG_NAMES = reversed(SHORT_NAMES);
const LONG_AUTHORIZATION_NAMES = reversed(SHORT_AUTHORIZATION_NAMES);

type Fields = Record<string, unknown>;

function renamed(payload: Fields, names: Readonly<Record<string, string>>): Fields {
  const result: Fields = {};
  // for…in, not Object.entries: no array per field on every token request (issue 17).
  for (const name in payload) {
    if (!Object.hasOwn(payload, name)) continue;
    const value = payload[name];
    if (value !== undefined) result[Object.hasOwn(names, name) ? (names[name] as string) : name] = value;
  }
  return result;
}

/** `authorizations` with each client's entry renamed (client ids, the keys, stay as they are). */
function renamedAuthorizations(authorizations: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!authorizations || typeof authorizations !== 'object') return authorizations;
  const result: Fields = {};
  for (const [clientId, entry] of Object.entries(authorizations as Fields)) {
    result[clientId] = entry && typeof entry === 'object' ? renamed(entry as Fields, names) : entry;
  }
  return result;
}

/**
 * Values said shorter, beside the names (issue 17): a scope as one letter per scope
 * (scope-codes.ts), Darvaze's acr values without their common prefix (`~sms`), and a session uid
 * that names its person (session-uids.ts) without the account id the record holds anyway
 * (`.<16 characters>`). Each short form starts with a character its long form never starts with,
 * so a record written before reads as it is.
 */
/**
 * Times said relative to the record's own `iat` (epoch seconds, ten digits each otherwise):
 * `exp` as seconds after it, `loginTs` and `authTime` as seconds before it. The relative forms have
 * names of their own, so a record holding the absolute ones reads as it is.
 */
const RELATIVE_TIMES: ReadonlyArray<readonly [field: string, relative: string, sign: 1 | -1]> = [
  ['exp', 'D', 1],
  ['loginTs', 'B', -1],
  ['authTime', 'A', -1],
];
const ACR_PREFIX = 'urn:darvaze:acr:';
const SHORT_ACR = '~';
const SESSION_UID_FIELDS = ['uid', 'sessionUid'];

function shortValues(payload: Fields): Fields {
  const result = { ...payload };
  if (typeof result.scope === 'string') result.scope = codedScope(result.scope) ?? result.scope;
  const openid = result.openid as Fields | undefined;
  if (openid && typeof openid === 'object' && typeof openid.scope === 'string')
    result.openid = { ...openid, scope: codedScope(openid.scope) ?? openid.scope };
  if (typeof result.acr === 'string' && result.acr.startsWith(ACR_PREFIX))
    result.acr = `${SHORT_ACR}${result.acr.slice(ACR_PREFIX.length)}`;
  if (typeof result.iat === 'number')
    for (const [field, relative, sign] of RELATIVE_TIMES) {
      const time = result[field];
      if (typeof time !== 'number' || relative in result) continue;
      result[relative] = sign * (time - result.iat);
      delete result[field];
    }
  // `["sms","otp"]` as `"sms otp"`.
  if (
    Array.isArray(result.amr) &&
    result.amr.every((method) => typeof method === 'string' && !/[ ]/.test(method))
  )
    result.amr = result.amr.join(' ');
  const { accountId } = result;
  for (const field of SESSION_UID_FIELDS) {
    const uid = result[field];
    if (typeof accountId === 'string' && typeof uid === 'string' && uid.startsWith(`${accountId}.`))
      result[field] = uid.slice(accountId.length);
  }
  return result;
}

function longValues(payload: Fields): Fields {
  if (typeof payload.scope === 'string') payload.scope = decodedScope(payload.scope);
  const openid = payload.openid as Fields | undefined;
  if (openid && typeof openid === 'object' && typeof openid.scope === 'string')
    openid.scope = decodedScope(openid.scope);
  if (typeof payload.acr === 'string' && payload.acr.startsWith(SHORT_ACR))
    payload.acr = `${ACR_PREFIX}${payload.acr.slice(SHORT_ACR.length)}`;
  if (typeof payload.iat === 'number')
    for (const [field, relative, sign] of RELATIVE_TIMES) {
      const offset = payload[relative];
      if (typeof offset !== 'number') continue;
      payload[field] = payload.iat + sign * offset;
      delete payload[relative];
    }
  if (typeof payload.amr === 'string') payload.amr = payload.amr === '' ? [] : payload.amr.split(' ');
  const { accountId } = payload;
  for (const field of SESSION_UID_FIELDS) {
    const uid = payload[field];
    if (typeof accountId === 'string' && typeof uid === 'string' && uid.startsWith('.'))
      payload[field] = `${accountId}${uid}`;
  }
  return payload;
}

/** The payload as stored: its known fields under their short names, some values shorter. */
export function packPayload(payload: Fields): string {
  const packed = renamed(shortValues(payload), SHORT_NAMES);
  if (packed.Z !== undefined) packed.Z = renamedAuthorizations(packed.Z, SHORT_AUTHORIZATION_NAMES);
  return JSON.stringify(packed);
}

/** A stored payload (short or long names and values) as oidc-provider wrote it. */
export function unpackPayload<T>(stored: string): T {
  const payload = longValues(renamed(JSON.parse(stored) as Fields, LONG_NAMES));
  if (payload.authorizations !== undefined)
    payload.authorizations = renamedAuthorizations(payload.authorizations, LONG_AUTHORIZATION_NAMES);
  return payload as T;
}
