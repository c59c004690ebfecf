/**
 * Which web origins may call the provider's client endpoints (token, userinfo, introspection,
 * revocation, PAR) from a browser: the origins of a client's registered redirect URIs, and no
 * other. A preflight (OPTIONS) names no client, so it is answered for an origin that belongs to
 * some registered client (`KnownOrigins`); the request that follows is then held to its own
 * client's origins.
 */

/** The origins of a client's redirect URIs. Custom-scheme URIs (native apps) have none. */
export function redirectOrigins(redirectUris: readonly unknown[] | undefined): Set<string> {
  const origins = new Set<string>();
  for (const uri of redirectUris ?? []) {
    if (typeof uri !== 'string') continue;
    const origin = URL.parse(uri)?.origin;
    if (origin && origin !== 'null') origins.add(origin);
  }
  return origins;
}

/** True when `origin` (an Origin request header) is the origin of one of the redirect URIs. */
export function originAllowed(redirectUris: readonly unknown[] | undefined, origin: string): boolean {
  // "null" is what sandboxed frames, file: pages and data: URLs send: never a client's site.
  if (!origin || origin === 'null') return false;
  return redirectOrigins(redirectUris).has(origin);
}

export interface KnownOrigins {
  /** Whether any registered client has a redirect URI on `origin`. Never throws. */
  has(origin: string): Promise<boolean>;
}

export interface KnownOriginsDeps {
  /** Every client's metadata (static clients and those in the store). */
  load(): Promise<ReadonlyArray<Record<string, unknown>>>;
  now?: () => number;
  /** How long a loaded set is used. Default 30 s: a deleted client's origin lingers that long. */
  maxAgeMs?: number;
  /**
   * An unknown origin reloads the set, at most this often (default 1 s): a client registered a
   * moment ago on another node is found, and random origins cannot hammer the store.
   */
  missReloadMs?: number;
  onError?: (error: Error) => void;
}

/** The union of every client's redirect origins, cached per process. */
export function createKnownOrigins(deps: KnownOriginsDeps): KnownOrigins {
  const now = deps.now ?? Date.now;
  const maxAgeMs = deps.maxAgeMs ?? 30_000;
  const missReloadMs = deps.missReloadMs ?? 1_000;
  let origins = new Set<string>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const reload = () => {
    loading ??= deps
      .load()
      .then((clients) => {
        const next = new Set<string>();
        for (const client of clients) {
          const uris = Array.isArray(client.redirect_uris) ? client.redirect_uris : [];
          for (const origin of redirectOrigins(uris)) next.add(origin);
        }
        origins = next;
      })
      .catch((error: Error) => deps.onError?.(error))
      .finally(() => {
        // A failed load is not retried sooner than a miss would (the store is down).
        loadedAt = now();
        loading = undefined;
      });
    return loading;
  };

  return {
    async has(origin) {
      if (!origin || origin === 'null') return false;
      const age = now() - loadedAt;
      if (age > maxAgeMs || (!origins.has(origin) && age > missReloadMs)) await reload();
      return origins.has(origin);
    },
  };
}
