import type { Store } from '../store/store.js';
import { formatConsent, parseConsent, type StoredConsent } from './consent-record.js';

/** What a person agreed a site may have: the scopes and the claims asked for by name. */
export interface RememberedConsent {
  /** The grant that carries it now (oidc-provider's Grant model). */
  grantId: string;
  /** Space-separated OIDC scopes. */
  scope: string;
  claims: string[];
  /** When the person gave it, epoch seconds (absent on records kept before this was). */
  grantedAt?: number;
}

/**
 * Remembers the consent a person gave each site, across browsers, sessions and sign-outs, so a
 * returning person is asked again only when a site wants more data (or after withdrawing it).
 *
 * Why the scopes and claims are kept beside the grant id: oidc-provider revokes a session's
 * grants at sign-out for sites without offline access (their tokens die with the session). The
 * person's consent does not die with it; the provider makes a new grant from what is kept here.
 * Nothing personal is stored: an account id, a client id and scope/claim names.
 */
export interface ConsentIndex {
  find(accountId: string, clientId: string): Promise<RememberedConsent | undefined>;
  remember(
    accountId: string,
    clientId: string,
    consent: RememberedConsent,
    ttlSeconds: number,
  ): Promise<void>;
  forget(accountId: string, clientId: string): Promise<void>;
  /** The sites this person consented to (the person's page lists them), with what each got. */
  listFor(accountId: string): Promise<Array<{ clientId: string; consent: RememberedConsent }>>;
}

/**
 * One map per person (`consents:{<sub>}`, a Redis hash: client id → record), since issue 17: one
 * key instead of a key per site plus a set listing them. A record holds its own end (`until`,
 * epoch seconds; the map lives as long as its newest record) and is ignored past it. Records of
 * the earlier layout (`consent:{<sub>}:<client>` and the set `consent:{<sub>}`) are still read,
 * and forgotten with the new ones, until they expire.
 */
export function createConsentIndex(store: Store, now: () => number = Date.now): ConsentIndex {
  const mapKey = (accountId: string) => `consents:{${accountId}}`;
  const legacyKey = (accountId: string, clientId: string) => `consent:{${accountId}}:${clientId}`;
  const legacySitesKey = (accountId: string) => `consent:{${accountId}}`;
  const current = (raw: string | null) => {
    const consent = raw === null ? undefined : parseConsent(raw);
    return consent && (consent.until === undefined || consent.until > now() / 1000) ? consent : undefined;
  };
  const withoutUntil = ({ until: _until, ...consent }: StoredConsent): RememberedConsent => consent;
  const findLegacy = async (accountId: string, clientId: string) =>
    current(await store.get(legacyKey(accountId, clientId)));
  return {
    async find(accountId, clientId) {
      const found =
        current(await store.getFromMap(mapKey(accountId), clientId)) ??
        (await findLegacy(accountId, clientId));
      return found && withoutUntil(found);
    },
    async remember(accountId, clientId, consent, ttlSeconds) {
      const until = Math.floor(now() / 1000) + Math.ceil(ttlSeconds);
      await store.putInMap(mapKey(accountId), clientId, formatConsent({ ...consent, until }), ttlSeconds);
    },
    async forget(accountId, clientId) {
      await Promise.all([
        store.removeFromMap(mapKey(accountId), clientId),
        store.delete(legacyKey(accountId, clientId)),
        store.removeFromSet(legacySitesKey(accountId), clientId),
      ]);
    },
    async listFor(accountId) {
      const [entries, legacyIds] = await Promise.all([
        store.mapEntries(mapKey(accountId)),
        store.setMembers(legacySitesKey(accountId)),
      ]);
      const sites = new Map<string, StoredConsent>();
      for (const clientId of legacyIds) {
        if (clientId in entries) continue;
        const consent = await findLegacy(accountId, clientId);
        if (consent) sites.set(clientId, consent);
      }
      for (const [clientId, raw] of Object.entries(entries)) {
        const consent = current(raw);
        if (consent) sites.set(clientId, consent);
      }
      return [...sites.keys()].sort().map((clientId) => ({
        clientId,
        consent: withoutUntil(sites.get(clientId) as StoredConsent),
      }));
    },
  };
}
