import type { Configuration } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { clientMetadataOf } from './client-metadata.js';
import { LOCALIZED_NAME_KEYS } from './client-names.js';

/**
 * Per-client security profiles. A client opts into FAPI 2.0 with the metadata
 * `fapi_profile: "2.0"`; it then must use PAR, sender-constrained tokens (DPoP) and an asymmetric
 * client authentication, and its ID tokens are signed with PS256, ES256 or EdDSA only.
 * oidc-provider applies the rest of the profile itself (features.fapi).
 */
export const FAPI_ALGORITHMS = ['PS256', 'ES256', 'EdDSA'];

export const clientProfileMetadata: NonNullable<Configuration['extraClientMetadata']> = {
  properties: ['fapi_profile', ...LOCALIZED_NAME_KEYS],
  validator(_ctx, key, value, metadata) {
    if ((LOCALIZED_NAME_KEYS as readonly string[]).includes(key)) {
      if (value !== undefined && (typeof value !== 'string' || !value.trim() || value.length > 200))
        throw new errors.InvalidClientMetadata(`${key} must be a non-empty string of at most 200 characters`);
      return;
    }
    if (key !== 'fapi_profile' || value === undefined) return;
    if (value !== '2.0') throw new errors.InvalidClientMetadata('fapi_profile must be "2.0" when present');
    const problems: string[] = [];
    if (metadata.require_pushed_authorization_requests !== true)
      problems.push('require_pushed_authorization_requests: true');
    if (metadata.dpop_bound_access_tokens !== true) problems.push('dpop_bound_access_tokens: true');
    if (metadata.token_endpoint_auth_method !== 'private_key_jwt')
      problems.push('token_endpoint_auth_method: private_key_jwt');
    if (!FAPI_ALGORITHMS.includes(String(metadata.id_token_signed_response_alg))) {
      problems.push(`id_token_signed_response_alg one of ${FAPI_ALGORITHMS.join(', ')}`);
    }
    if (problems.length)
      throw new errors.InvalidClientMetadata(`fapi_profile 2.0 requires ${problems.join('; ')}`);
  },
};

export function fapiProfileOf(
  client: { metadata(): Record<string, unknown> } | undefined,
): '2.0' | undefined {
  return client && clientMetadataOf(client).fapi_profile === '2.0' ? '2.0' : undefined;
}
