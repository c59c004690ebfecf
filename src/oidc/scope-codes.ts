/**
 * The protocol's scopes as one letter each, for records kept long in Redis (a person's consent
 * map, oidc-provider's grants, refresh chains and sessions; issue 17: Redis per person).
 * `openid profile phone offline_access` is stored as `=opha`.
 * Letters are only ever added: a record written with one must read the same for as long as it
 * lives (a year).
 */
const SCOPE_CODES: Readonly<Record<string, string>> = {
  openid: 'o',
  offline_access: 'a',
  profile: 'p',
  phone: 'h',
  national_id: 'n',
};
const SCOPES_BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SCOPE_CODES).map(([scope, code]) => [code, scope]),
);
/** Marks a coded scope; a scope as the protocol writes it never starts with it. */
const CODED = '=';

/** `=` and a letter per scope, in order; undefined when a scope has no letter (keep it as it is). */
export function codedScope(scope: string): string | undefined {
  if (scope === '') return undefined;
  const letters = scope
    .split(' ')
    .map((name) => (Object.hasOwn(SCOPE_CODES, name) ? SCOPE_CODES[name] : undefined));
  return letters.every((letter) => letter !== undefined) ? `${CODED}${letters.join('')}` : undefined;
}

export const isCodedScope = (stored: string) => stored.startsWith(CODED);

/** A stored scope, coded or as it was written. */
export function decodedScope(stored: string): string {
  if (!isCodedScope(stored)) return stored;
  return [...stored.slice(CODED.length)].map((letter) => SCOPES_BY_CODE[letter] ?? letter).join(' ');
}
