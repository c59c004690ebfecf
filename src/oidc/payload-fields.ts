/**
 * Shorter names for oidc-provider's payload fields in the store (issue 17: Redis per person).
 * A signed-in person keeps a Session, a Grant and a refresh chain for hours to a year; their
 * field names (`sessionUid`, `authorizations`, `rotations`…) were a sixth of their bytes.
 *
 * Only top-level fields are renamed: nested objects hold names that are data (client ids under
 * `authorizations`, claim names under `claims`). The short names are single capitals, which
 * oidc-provider (camelCase) never uses, so a record written before, with long names, reads as it
 * is. `accountId` keeps its name: it is what an operator (and the security suite) looks for in a
 * raw session to tell a signed-in one from an anonymous one.
 */
const SHORT_NAMES: Readonly<Record<string, string>> = {
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

const LONG_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHORT_NAMES).map(([long, short]) => [short, long]),
);

function renamed(payload: Record<string, unknown>, names: Readonly<Record<string, string>>) {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value !== undefined) result[Object.hasOwn(names, name) ? (names[name] as string) : name] = value;
  }
  return result;
}

/** The payload as stored: its known top-level fields under their short names. */
export const packPayload = (payload: Record<string, unknown>) =>
  JSON.stringify(renamed(payload, SHORT_NAMES));

/** A stored payload (short or long names) as oidc-provider wrote it. */
export const unpackPayload = <T>(stored: string): T =>
  renamed(JSON.parse(stored) as Record<string, unknown>, LONG_NAMES) as T;
