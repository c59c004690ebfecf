/**
 * Finnotech: Shahkar (`GET /facility/v2/clients/{clientId}/shahkar/verify`) and the civil
 * registry (`GET /kyc/v2/clients/{clientId}/identificationInquiry`), with a client-credential
 * token from the shared cache. Our track id is Finnotech's `trackId` query parameter, so it is
 * searchable in their panel. A refused token is dropped and the call made once more.
 */
import type { RegistryResult } from '../../identity-service.js';
import { jalaliSlashed, mobile09, nationalCode10 } from '../formats.js';
import type { TokenCache, TokenSource } from '../token-cache.js';
import { vendorUrl } from '../url.js';
import type { IdentityVendor, VendorCall } from '../vendor-client.js';
import { fieldOf, unavailable, type VendorResponse, vendorRequest } from '../vendor-http.js';
import {
  classifyFinnotechError,
  type FinnotechShahkarRoute,
  finnotechError,
  finnotechIsValid,
  finnotechPaths,
  finnotechPerson,
  isTokenRefused,
} from './wire.js';

export interface FinnotechOptions {
  baseUrl: string;
  clientId: string;
  shahkarRoute: FinnotechShahkarRoute;
  tokens: TokenCache;
  tokenSource: TokenSource;
}

const VENDOR = 'finnotech';

export function createFinnotechVendor(options: FinnotechOptions): IdentityVendor {
  const paths = finnotechPaths(options.clientId, options.shahkarRoute);

  async function get(path: string, query: Record<string, string>, call: VendorCall): Promise<VendorResponse> {
    const once = async () => {
      const token = await options.tokens.get(call.signal);
      const response = await vendorRequest(
        VENDOR,
        {
          url: vendorUrl(options.baseUrl, path, { trackId: call.trackId, ...query }),
          method: 'GET',
          headers: { authorization: `Bearer ${token}` },
        },
        call.signal,
      );
      return { token, response };
    };
    const first = await once();
    if (
      isDone(first.response) ||
      !isTokenRefused(finnotechError(first.response.status, first.response.body))
    ) {
      return first.response;
    }
    await options.tokens.invalidate(first.token);
    return (await once()).response;
  }

  function failureOf(response: VendorResponse): 'not_found' {
    const error = finnotechError(response.status, response.body);
    const verdict = classifyFinnotechError(error);
    if (verdict.kind === 'not_found') return 'not_found';
    const detail = `HTTP ${response.status}, ${error.responseCode ?? error.code ?? 'no code'}`;
    throw unavailable(VENDOR, verdict.reason, detail, response.status);
  }

  return {
    name: VENDOR,

    async checkMobileOwnership({ nationalCode, mobile }, call) {
      const response = await get(
        paths.shahkar,
        { mobile: mobile09(mobile), nationalCode: nationalCode10(nationalCode) },
        call,
      );
      if (isDone(response)) {
        const valid = finnotechIsValid(fieldOf(response.body, 'result'));
        if (valid === undefined)
          throw unavailable(VENDOR, 'malformed_response', 'shahkar answer without isValid', 200);
        return valid;
      }
      failureOf(response);
      return false;
    },

    async inquireCivilRegistry({ nationalCode, birthDate }, call): Promise<RegistryResult> {
      const response = await get(
        paths.identity,
        { nationalCode: nationalCode10(nationalCode), birthDate: jalaliSlashed(birthDate) },
        call,
      );
      if (isDone(response)) {
        const person = finnotechPerson(fieldOf(response.body, 'result'), birthDate);
        if (!person)
          throw unavailable(
            VENDOR,
            'ambiguous',
            'identity answer without names, gender or death status',
            200,
          );
        return { matched: true, person };
      }
      failureOf(response);
      return { matched: false };
    },

    async checkCredentials(signal) {
      const token = await options.tokenSource.generate(signal);
      return `token issued for the configured scopes, valid ${Math.round((token.accessExpiresAt - Date.now()) / 3_600_000)} h`;
    },
  };
}

function isDone(response: VendorResponse): boolean {
  return response.status === 200 && fieldOf(response.body, 'status') === 'DONE';
}
