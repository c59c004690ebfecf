/**
 * Jibit Identicator: Shahkar (`GET /v1/services/matching`) and the civil registry
 * (`GET /v1/services/identity`), with a Bearer token from the shared token cache and our track
 * id in `X-TRACK-ID`. A 403 means the token lapsed early: it is dropped and the call made once
 * more with a new one.
 */
import type { RegistryResult } from '../../identity-service.js';
import { jalaliCompact, mobile09, nationalCode10 } from '../formats.js';
import type { TokenCache, TokenSource } from '../token-cache.js';
import { vendorUrl } from '../url.js';
import type { IdentityVendor, VendorCall } from '../vendor-client.js';
import { fieldOf, unavailable, type VendorResponse, vendorRequest } from '../vendor-http.js';
import { classifyJibitError, JIBIT_PATHS, jibitErrorCode, jibitPerson } from './wire.js';

export interface JibitOptions {
  baseUrl: string;
  tokens: TokenCache;
  /** For the deploy-time check: asks for a token without touching the cache. */
  tokenSource: TokenSource;
}

const VENDOR = 'jibit';

export function createJibitVendor(options: JibitOptions): IdentityVendor {
  async function get(path: string, query: Record<string, string>, call: VendorCall): Promise<VendorResponse> {
    const once = async () => {
      const token = await options.tokens.get(call.signal);
      const response = await vendorRequest(
        VENDOR,
        {
          url: vendorUrl(options.baseUrl, path, query),
          method: 'GET',
          headers: { authorization: `Bearer ${token}`, 'x-track-id': call.trackId },
        },
        call.signal,
      );
      return { token, response };
    };
    const first = await once();
    if (!isTokenRefused(first.response)) return first.response;
    await options.tokens.invalidate(first.token);
    return (await once()).response;
  }

  /** Anything but a plain success, as a thrown failure or `not_found`. */
  function failureOf(response: VendorResponse): 'not_found' {
    const code = jibitErrorCode(response.body);
    const verdict = classifyJibitError(response.status, code);
    if (verdict.kind === 'not_found') return 'not_found';
    throw unavailable(
      VENDOR,
      verdict.reason,
      `HTTP ${response.status}, ${code ?? 'no code'}`,
      response.status,
    );
  }

  return {
    name: VENDOR,

    async checkMobileOwnership({ nationalCode, mobile }, call) {
      const response = await get(
        JIBIT_PATHS.matching,
        { nationalCode: nationalCode10(nationalCode), mobileNumber: mobile09(mobile) },
        call,
      );
      const matched = fieldOf(response.body, 'matched');
      if (
        response.status === 200 &&
        typeof matched === 'boolean' &&
        jibitErrorCode(response.body) === undefined
      ) {
        return matched;
      }
      if (response.status === 200 && jibitErrorCode(response.body) === undefined) {
        throw unavailable(VENDOR, 'malformed_response', 'matching answer without `matched`', 200);
      }
      // No such national code: the line cannot be registered to it.
      failureOf(response);
      return false;
    },

    async inquireCivilRegistry({ nationalCode, birthDate }, call): Promise<RegistryResult> {
      const response = await get(
        JIBIT_PATHS.identity,
        { nationalCode: nationalCode10(nationalCode), birthDate: jalaliCompact(birthDate) },
        call,
      );
      const info = fieldOf(response.body, 'identityInfo');
      if (response.status === 200 && info && jibitErrorCode(response.body) === undefined) {
        const person = jibitPerson(info, birthDate);
        if (!person)
          throw unavailable(VENDOR, 'ambiguous', 'identityInfo without names, gender or aliveness', 200);
        return { matched: true, person };
      }
      if (response.status === 200 && jibitErrorCode(response.body) === undefined) {
        throw unavailable(VENDOR, 'malformed_response', 'identity answer without identityInfo', 200);
      }
      failureOf(response);
      return { matched: false };
    },

    async checkCredentials(signal) {
      const token = await options.tokenSource.generate(signal);
      return `token issued, valid ${Math.round((token.accessExpiresAt - Date.now()) / 60_000)} min`;
    },
  };
}

function isTokenRefused(response: VendorResponse): boolean {
  const code = jibitErrorCode(response.body);
  return (
    response.status === 403 ||
    response.status === 401 ||
    code === 'forbidden' ||
    code === 'security.auth_required'
  );
}
