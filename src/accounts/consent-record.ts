import { codedScope, decodedScope, isCodedScope } from '../oidc/scope-codes.js';
import type { RememberedConsent } from './consent-index.js';

/** A record as stored: the consent and, since issue 17, its end (epoch seconds). */
export type StoredConsent = RememberedConsent & { until?: number };

const base36 = (seconds?: number) => (seconds === undefined ? '' : seconds.toString(36));

/**
 * A record in a person's consent map: grant id, scope, claims (space-separated), granted and
 * until (base 36 epoch seconds), apart by tabs. Short, so that a person's map stays in Redis's
 * compact listpack form (every value at most 64 bytes), which costs about two thirds of the
 * hash-table form (issue 17: Redis per person). Since then the scope is coded when every scope
 * has a letter (`=oph` for `openid profile phone`), and such a record holds `until` as seconds
 * after `granted`: a 43-character grant id with all five scopes, granted for a year, is 64 bytes.
 * A longer record (claims asked by name, unknown scopes) costs the hash-table form, still less
 * than the key per site and set of the layout before the map.
 */
export function formatConsent(consent: StoredConsent): string {
  const coded = codedScope(consent.scope);
  const relative = coded !== undefined && consent.grantedAt !== undefined && consent.until !== undefined;
  return [
    consent.grantId,
    coded ?? consent.scope,
    consent.claims.join(' '),
    base36(consent.grantedAt),
    base36(relative ? (consent.until as number) - (consent.grantedAt as number) : consent.until),
  ].join('\t');
}

/**
 * A map record (formatConsent, coded or not), an earlier JSON one, or the earliest (a bare grant
 * id: what it granted is unknown).
 */
export function parseConsent(raw: string): StoredConsent | undefined {
  if (raw.includes('\t')) return parseTabbed(raw);
  if (!raw.startsWith('{')) return raw ? { grantId: raw, scope: '', claims: [] } : undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredConsent>;
    if (typeof value.grantId !== 'string') return undefined;
    return {
      grantId: value.grantId,
      scope: typeof value.scope === 'string' ? value.scope : '',
      claims: Array.isArray(value.claims)
        ? value.claims.filter((c): c is string => typeof c === 'string')
        : [],
      ...(typeof value.grantedAt === 'number' ? { grantedAt: value.grantedAt } : {}),
      ...(typeof value.until === 'number' ? { until: value.until } : {}),
    };
  } catch {
    return undefined;
  }
}

function parseTabbed(raw: string): StoredConsent | undefined {
  const [grantId = '', scopeField = '', claims = '', grantedText = '', untilText = ''] = raw.split('\t');
  if (!grantId) return undefined;
  const coded = isCodedScope(scopeField);
  const scope = decodedScope(scopeField);
  const grantedAt = grantedText ? Number.parseInt(grantedText, 36) : undefined;
  const untilValue = untilText ? Number.parseInt(untilText, 36) : undefined;
  const until =
    untilValue !== undefined && coded && grantedAt !== undefined ? grantedAt + untilValue : untilValue;
  return {
    grantId,
    scope,
    claims: claims ? claims.split(' ') : [],
    ...(grantedAt !== undefined ? { grantedAt } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}
