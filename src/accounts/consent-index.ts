import type { Store } from '../store/store.js';

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

export function createConsentIndex(store: Store): ConsentIndex {
  const key = (accountId: string, clientId: string) => `consent:{${accountId}}:${clientId}`;
  // The person's sites: a set of client ids beside the records (as long-lived as the newest).
  const sitesKey = (accountId: string) => `consent:{${accountId}}`;
  const find = async (accountId: string, clientId: string) => {
    const raw = await store.get(key(accountId, clientId));
    return raw === null ? undefined : parseConsent(raw);
  };
  return {
    find,
    async remember(accountId, clientId, consent, ttlSeconds) {
      await store.set(key(accountId, clientId), JSON.stringify(consent), ttlSeconds);
      await store.addToSet(sitesKey(accountId), clientId, ttlSeconds);
    },
    async forget(accountId, clientId) {
      await store.delete(key(accountId, clientId));
      await store.removeFromSet(sitesKey(accountId), clientId);
    },
    async listFor(accountId) {
      const clientIds = (await store.setMembers(sitesKey(accountId))).sort();
      const found = await Promise.all(
        clientIds.map(async (clientId) => ({ clientId, consent: await find(accountId, clientId) })),
      );
      return found.filter(
        (entry): entry is { clientId: string; consent: RememberedConsent } => entry.consent !== undefined,
      );
    },
  };
}

/** A record of this shape, or of the earlier one (a bare grant id: what it granted is unknown). */
function parseConsent(raw: string): RememberedConsent | undefined {
  if (!raw.startsWith('{')) return raw ? { grantId: raw, scope: '', claims: [] } : undefined;
  try {
    const value = JSON.parse(raw) as Partial<RememberedConsent>;
    if (typeof value.grantId !== 'string') return undefined;
    return {
      grantId: value.grantId,
      scope: typeof value.scope === 'string' ? value.scope : '',
      claims: Array.isArray(value.claims)
        ? value.claims.filter((c): c is string => typeof c === 'string')
        : [],
      ...(typeof value.grantedAt === 'number' ? { grantedAt: value.grantedAt } : {}),
    };
  } catch {
    return undefined;
  }
}
