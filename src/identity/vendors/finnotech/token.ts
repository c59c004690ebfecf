/**
 * Finnotech's client-credential token: `POST /dev/v2/oauth2/token` with HTTP Basic
 * (clientId:clientSecret) and `{grant_type, nid, scopes}`; `result.lifeTime` is in milliseconds.
 * Refresh: the same URL with `{grant_type: refresh_token, token_type: CLIENT-CREDENTIAL}`.
 */
import type { TokenSource, VendorToken } from '../token-cache.js';
import { vendorUrl } from '../url.js';
import { fieldOf, unavailable, vendorRequest } from '../vendor-http.js';
import { FINNOTECH_TOKEN_PATH, finnotechError } from './wire.js';

/** When `lifeTime` is missing: shorter than the documented 10 days, so we never hold a dead one long. */
const FALLBACK_LIFETIME_MS = 24 * 3600_000;

export interface FinnotechCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The 10-digit national id of the client's owner. */
  nid: string;
  /** Comma-separated. */
  scopes: string;
  now?: () => number;
}

export function finnotechTokenSource(credentials: FinnotechCredentials): TokenSource {
  const now = credentials.now ?? Date.now;
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');

  async function exchange(json: unknown, signal: AbortSignal): Promise<VendorToken> {
    const { status, body } = await vendorRequest(
      'finnotech token',
      {
        url: vendorUrl(credentials.baseUrl, FINNOTECH_TOKEN_PATH),
        method: 'POST',
        headers: { authorization: `Basic ${basic}` },
        json,
      },
      signal,
    );
    const result = fieldOf(body, 'result');
    const value = fieldOf(result, 'value');
    if (status === 200 && typeof value === 'string' && value) {
      const lifeTime = fieldOf(result, 'lifeTime');
      const lifetimeMs = typeof lifeTime === 'number' && lifeTime > 0 ? lifeTime : FALLBACK_LIFETIME_MS;
      const refreshToken = fieldOf(result, 'refreshToken');
      const issued = now();
      return {
        accessToken: value,
        accessExpiresAt: issued + lifetimeMs,
        // How long the refresh token lasts is not documented; a refused refresh falls back to a new token.
        ...(typeof refreshToken === 'string' && refreshToken
          ? { refreshToken, refreshExpiresAt: issued + 2 * lifetimeMs }
          : {}),
      };
    }
    if (status >= 500 || status === 429) {
      throw unavailable(
        'finnotech token',
        status === 429 ? 'rate_limited' : 'http_status',
        `HTTP ${status}`,
        status,
      );
    }
    const error = finnotechError(status, body);
    throw unavailable(
      'finnotech token',
      status === 200 ? 'malformed_response' : 'unauthorized',
      `refused (HTTP ${status}, ${error.responseCode ?? error.code ?? 'no code'})`,
      status,
    );
  }

  return {
    generate: (signal) =>
      exchange(
        { grant_type: 'client_credentials', nid: credentials.nid, scopes: credentials.scopes },
        signal,
      ),
    refresh: (token, signal) =>
      exchange(
        { grant_type: 'refresh_token', token_type: 'CLIENT-CREDENTIAL', refresh_token: token.refreshToken },
        signal,
      ),
  };
}
