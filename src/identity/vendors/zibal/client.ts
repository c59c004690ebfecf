/**
 * Zibal: Shahkar (`POST /v1/facility/shahkarInquiry`) and the civil registry
 * (`POST /v1/facility/nationalIdentityInquiry` with `genderInquiry`, since the account needs the
 * gender). A static Bearer token from Zibal's panel; Zibal takes no track id, so ours is only
 * logged.
 */
import type { RegistryResult } from '../../identity-service.js';
import { jalaliSlashed, mobile09, nationalCode10 } from '../formats.js';
import { vendorUrl } from '../url.js';
import type { IdentityVendor, VendorCall } from '../vendor-client.js';
import { fieldOf, unavailable, type VendorResponse, vendorRequest } from '../vendor-http.js';
import { classifyZibal, ZIBAL_PATHS, zibalPerson, zibalResult } from './wire.js';

export interface ZibalOptions {
  baseUrl: string;
  token: string;
}

const VENDOR = 'zibal';

export function createZibalVendor(options: ZibalOptions): IdentityVendor {
  const post = (path: string, json: unknown, signal: AbortSignal) =>
    vendorRequest(
      VENDOR,
      {
        url: vendorUrl(options.baseUrl, path),
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}` },
        json,
      },
      signal,
    );

  /** `data` of a success, or a thrown failure. */
  function dataOf(response: VendorResponse): unknown {
    const result = zibalResult(response.body);
    const data = fieldOf(response.body, 'data');
    if (response.status === 200 && result === 1 && data !== null && typeof data === 'object') return data;
    if (response.status === 200 && result === 1)
      throw unavailable(VENDOR, 'malformed_response', 'success without data', 200);
    const reason = classifyZibal(response.status, result);
    throw unavailable(
      VENDOR,
      reason,
      `HTTP ${response.status}, result ${result ?? 'missing'}`,
      response.status,
    );
  }

  function matchedOf(data: unknown): boolean {
    const matched = fieldOf(data, 'matched');
    if (typeof matched !== 'boolean')
      throw unavailable(VENDOR, 'malformed_response', 'answer without matched', 200);
    return matched;
  }

  return {
    name: VENDOR,

    async checkMobileOwnership({ nationalCode, mobile }, call: VendorCall) {
      const response = await post(
        ZIBAL_PATHS.shahkar,
        { mobile: mobile09(mobile), nationalCode: nationalCode10(nationalCode) },
        call.signal,
      );
      return matchedOf(dataOf(response));
    },

    async inquireCivilRegistry({ nationalCode, birthDate }, call): Promise<RegistryResult> {
      const response = await post(
        ZIBAL_PATHS.identity,
        {
          nationalCode: nationalCode10(nationalCode),
          birthDate: jalaliSlashed(birthDate),
          genderInquiry: true,
        },
        call.signal,
      );
      const data = dataOf(response);
      if (!matchedOf(data)) return { matched: false };
      const person = zibalPerson(data, birthDate);
      if (!person) throw unavailable(VENDOR, 'ambiguous', 'match without names, gender or aliveness', 200);
      return { matched: true, person };
    },

    /**
     * Zibal has no token endpoint: an empty Shahkar request is refused as invalid data (result 6)
     * once the key is accepted, and as 2/3/4/7/8 when it is not. Nothing is looked up.
     */
    async checkCredentials(signal) {
      const response = await post(ZIBAL_PATHS.shahkar, {}, signal);
      const result = zibalResult(response.body);
      if (result === 6 || result === 1) return `key accepted (result ${result})`;
      const reason = classifyZibal(response.status, result);
      throw unavailable(
        VENDOR,
        reason,
        `key check: HTTP ${response.status}, result ${result ?? 'missing'}`,
        response.status,
      );
    },
  };
}
