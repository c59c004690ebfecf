/**
 * A vendor's access token, shared by every node through the store: the token endpoint is called
 * once (one node takes a short lock, the others wait for its result) and again only shortly
 * before the token expires. Where the vendor has refresh tokens, the refresh is tried first.
 * The cached tokens are secrets: they are sealed with the data-encryption key before they reach
 * the store, and never logged.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../../store/store.js';
import { IdentityServiceUnavailableError } from '../identity-service.js';

export interface VendorToken {
  accessToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  refreshToken?: string;
  /** Epoch ms; without it the refresh token is taken to live as long as the access token. */
  refreshExpiresAt?: number;
}

export interface TokenSource {
  /** Credentials → a new token pair. */
  generate(signal: AbortSignal): Promise<VendorToken>;
  /** A refresh token → a new pair; absent when the vendor has none. */
  refresh?(token: VendorToken, signal: AbortSignal): Promise<VendorToken>;
}

/** What the cache seals tokens with (the personal-data cipher fits). */
export interface TokenSealer {
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
}

export interface TokenCache {
  /** A token valid for at least the margin. */
  get(signal: AbortSignal): Promise<string>;
  /** The vendor refused this token: drop it (only if no node replaced it already). */
  invalidate(rejected: string): Promise<void>;
}

export interface TokenCacheOptions {
  store: Store;
  /** e.g. `jibit`: the store key is `upstream:token:<name>`. */
  name: string;
  source: TokenSource;
  sealer: TokenSealer;
  /** Renew this long before expiry. Default 5 minutes. */
  marginMs?: number;
  /** How long one node may hold the lock while it calls the token endpoint. Default 10 s. */
  lockSeconds?: number;
  now?: () => number;
}

const POLL_MS = 50;

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { store, source, sealer } = options;
  const key = `upstream:token:${options.name}`;
  const lockKey = `${key}:lock`;
  const context = `upstream-token:${options.name}`;
  const marginMs = options.marginMs ?? 5 * 60_000;
  const lockSeconds = options.lockSeconds ?? 10;
  const now = options.now ?? Date.now;

  async function read(): Promise<{ raw: string; token: VendorToken } | undefined> {
    const raw = await store.get(key);
    if (!raw) return undefined;
    try {
      return { raw, token: JSON.parse(sealer.open(raw, context)) as VendorToken };
    } catch {
      // Sealed with a key no longer listed, or damaged: a new token is cheaper than an outage.
      return undefined;
    }
  }

  const fresh = (token: VendorToken | undefined): token is VendorToken =>
    token !== undefined && token.accessExpiresAt - marginMs > now();
  const refreshable = (token: VendorToken | undefined): token is VendorToken =>
    token?.refreshToken !== undefined && (token.refreshExpiresAt ?? token.accessExpiresAt) - marginMs > now();

  async function renew(stale: VendorToken | undefined, signal: AbortSignal): Promise<VendorToken> {
    if (source.refresh && refreshable(stale)) {
      try {
        return await source.refresh(stale, signal);
      } catch (error) {
        // A refused refresh token is what generate is for; a vendor that is down stays down.
        if (!(error instanceof IdentityServiceUnavailableError) || error.reason !== 'unauthorized')
          throw error;
      }
    }
    return source.generate(signal);
  }

  async function write(token: VendorToken): Promise<void> {
    const lastsUntil = Math.max(token.refreshExpiresAt ?? 0, token.accessExpiresAt);
    const ttlSeconds = Math.max(1, Math.floor((lastsUntil - now()) / 1000));
    await store.set(key, sealer.seal(JSON.stringify(token), context), ttlSeconds);
  }

  return {
    async get(signal) {
      for (;;) {
        const cached = await read();
        const cachedToken = cached?.token;
        if (fresh(cachedToken)) return cachedToken.accessToken;
        const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
        if (await store.setIfAbsent(lockKey, owner, lockSeconds)) {
          try {
            // Another node may have written a token between our read and our lock.
            const again = (await read())?.token;
            if (fresh(again)) return again.accessToken;
            const token = await renew(again ?? cachedToken, signal);
            await write(token);
            return token.accessToken;
          } finally {
            await store.deleteIfEquals(lockKey, owner).catch(() => {});
          }
        }
        if (signal.aborted) {
          throw new IdentityServiceUnavailableError(`${options.name} token: timed out waiting`, {
            reason: 'timeout',
          });
        }
        await sleep(POLL_MS, undefined, { signal }).catch(() => {});
      }
    },

    async invalidate(rejected) {
      const cached = await read();
      if (cached && cached.token.accessToken === rejected) await store.deleteIfEquals(key, cached.raw);
    },
  };
}

/** A JWT's `exp` in epoch ms, or undefined when the token is not a JWT with one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
