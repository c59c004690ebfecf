/**
 * Jibit's access/refresh token pair: `apiKey` + `secretKey` → `{accessToken, refreshToken}`.
 * The access token is a JWT, so its own `exp` says when it lapses; without one, the documented
 * 24 h (access) and 48 h (refresh) apply.
 */
import type { TokenSource, VendorToken } from '../token-cache.js';
import { jwtExpiry } from '../token-cache.js';
import { vendorUrl } from '../url.js';
import { fieldOf, unavailable, vendorRequest } from '../vendor-http.js';
import { classifyJibitError, JIBIT_PATHS, jibitErrorCode } from './wire.js';

const ACCESS_MS = 24 * 3600_000;
const REFRESH_MS = 48 * 3600_000;

export interface JibitCredentials {
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  now?: () => number;
}

export function jibitTokenSource(credentials: JibitCredentials): TokenSource {
  const now = credentials.now ?? Date.now;

  async function exchange(path: string, json: unknown, signal: AbortSignal): Promise<VendorToken> {
    const { status, body } = await vendorRequest(
      'jibit token',
      { url: vendorUrl(credentials.baseUrl, path), method: 'POST', json },
      signal,
    );
    const accessToken = fieldOf(body, 'accessToken');
    const refreshToken = fieldOf(body, 'refreshToken');
    if (status === 200 && typeof accessToken === 'string' && accessToken) {
      const issued = now();
      return {
        accessToken,
        accessExpiresAt: jwtExpiry(accessToken) ?? issued + ACCESS_MS,
        ...(typeof refreshToken === 'string' && refreshToken
          ? { refreshToken, refreshExpiresAt: issued + REFRESH_MS }
          : {}),
      };
    }
    const code = jibitErrorCode(body);
    if (status === 200) throw unavailable('jibit token', 'malformed_response', 'no accessToken', status);
    const verdict = classifyJibitError(status, code);
    // Every refusal of a token request is a credentials problem (`invalid.credentials`,
    // `refreshToken.not_valid`, `apiKey.is_required`…), except the vendor being down.
    const reason =
      verdict.kind === 'failure' && (verdict.reason === 'http_status' || verdict.reason === 'rate_limited')
        ? verdict.reason
        : 'unauthorized';
    throw unavailable('jibit token', reason, `refused (HTTP ${status}, ${code ?? 'no code'})`, status);
  }

  return {
    generate: (signal) =>
      exchange(
        JIBIT_PATHS.generate,
        { apiKey: credentials.apiKey, secretKey: credentials.secretKey },
        signal,
      ),
    refresh: (token, signal) =>
      exchange(
        JIBIT_PATHS.refresh,
        { accessToken: token.accessToken, refreshToken: token.refreshToken },
        signal,
      ),
  };
}
