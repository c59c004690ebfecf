import { ClientMetadataError } from '../../admin/client-metadata-validation.js';
import { AdminRequestError, ClientNotFoundError } from '../../admin/client-registry.js';

/**
 * What the console shows when the admin module's registry refuses a site: a localized summary,
 * the registry's own words apart (the same as the API's error_description), and the form field
 * they name. Every check is the registry's; the console only translates.
 */
export interface Refusal {
  /** The registry's own words (English, technical: the same as the API's error_description). */
  detail: string;
  field?: string;
}

/** A refusal the admin can fix (bad metadata, a busy client…), or undefined for a real failure. */
export function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof ClientMetadataError) {
    const field = /^([a-z_#]+)/.exec(error.description)?.[1];
    return { detail: error.description, ...(field ? { field } : {}) };
  }
  if (error instanceof AdminRequestError) return { detail: error.description };
  if (error instanceof ClientNotFoundError) return { detail: 'not_found' };
  return undefined;
}

/** The metadata field a refusal names, as the form's field name. */
const FORM_FIELD_OF: Record<string, string> = {
  client_name: 'name',
  'client_name#fa': 'name_fa',
  'client_name#en': 'name_en',
  redirect_uris: 'redirect_uris',
  post_logout_redirect_uris: 'post_logout_redirect_uris',
  backchannel_logout_uri: 'backchannel_logout_uri',
  logo_uri: 'logo_uri',
  client_uri: 'client_uri',
  scope: 'scope',
  token_endpoint_auth_method: 'token_endpoint_auth_method',
  jwks_uri: 'jwks_uri',
  subject_type: 'subject_type',
  sector_identifier_uri: 'subject_type',
  application_type: 'application_type',
  id_token_signed_response_alg: 'id_token_signed_response_alg',
  fapi_profile: 'fapi',
};

export function refusalModel(refusal: Refusal | undefined): object {
  if (!refusal) return {};
  return {
    errors: { form: { key: 'admin.site.refused' } },
    // The registry's own words (English, as the API answers them), shown apart in their direction.
    refusalDetail: refusal.detail,
    ...(refusal.field && FORM_FIELD_OF[refusal.field] ? { invalidField: FORM_FIELD_OF[refusal.field] } : {}),
  };
}
