import {
  ALLOWED_APPLICATION_TYPES,
  ALLOWED_AUTH_METHODS,
  ALLOWED_SCOPES,
  ALLOWED_SUBJECT_TYPES,
} from '../admin/client-metadata-validation.js';
import { FAPI_ALGORITHMS } from '../oidc/client-profiles.js';

/**
 * The console's site form and the client metadata (RFC 7591) it stands for. The form only
 * translates: every rule is the admin module's (client-metadata-validation.ts, then
 * oidc-provider's own validation, through the client registry), so the console, the admin API,
 * the command line and /reg accept and refuse exactly the same sites.
 */
export interface SiteFormValues {
  name: string;
  name_fa: string;
  name_en: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string;
  logo_uri: string;
  client_uri: string;
  scopes: string[];
  refresh_tokens: boolean;
  token_endpoint_auth_method: string;
  jwks_uri: string;
  subject_type: string;
  application_type: string;
  id_token_signed_response_alg: string;
  par: boolean;
  dpop: boolean;
  fapi: boolean;
}

export const SITE_FORM_CHOICES = {
  scopes: ALLOWED_SCOPES,
  authMethods: ALLOWED_AUTH_METHODS,
  subjectTypes: ALLOWED_SUBJECT_TYPES,
  applicationTypes: ALLOWED_APPLICATION_TYPES,
  /** '' leaves the provider's default (RS256); FAPI 2.0 needs one of its three. */
  idTokenAlgorithms: ['', 'RS256', ...FAPI_ALGORITHMS],
} as const;

/** The metadata fields the form owns: an edit replaces these and keeps every other field as it was. */
const FORM_FIELDS = [
  'client_name',
  'client_name#fa',
  'client_name#en',
  'redirect_uris',
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'logo_uri',
  'client_uri',
  'scope',
  'grant_types',
  'response_types',
  'token_endpoint_auth_method',
  'jwks_uri',
  'subject_type',
  'application_type',
  'id_token_signed_response_alg',
  'require_pushed_authorization_requests',
  'dpop_bound_access_tokens',
  'fapi_profile',
];

const MAX_FIELD = 4000;

const text = (body: Record<string, unknown>, name: string): string => {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, MAX_FIELD).trim() : '';
};
const list = (body: Record<string, unknown>, name: string): string[] => {
  const value = body[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string').map((item) => item.slice(0, 100));
};
const lines = (value: string) =>
  value
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The form as posted (urlencoded body), bounded and typed; nothing is checked yet. */
export function readSiteForm(body: unknown): SiteFormValues {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return {
    name: text(fields, 'name'),
    name_fa: text(fields, 'name_fa'),
    name_en: text(fields, 'name_en'),
    redirect_uris: text(fields, 'redirect_uris'),
    post_logout_redirect_uris: text(fields, 'post_logout_redirect_uris'),
    backchannel_logout_uri: text(fields, 'backchannel_logout_uri'),
    logo_uri: text(fields, 'logo_uri'),
    client_uri: text(fields, 'client_uri'),
    scopes: [...new Set(['openid', ...list(fields, 'scope')])],
    refresh_tokens: text(fields, 'refresh_tokens') === 'on',
    token_endpoint_auth_method: text(fields, 'token_endpoint_auth_method') || 'client_secret_basic',
    jwks_uri: text(fields, 'jwks_uri'),
    subject_type: text(fields, 'subject_type') || 'public',
    application_type: text(fields, 'application_type') || 'web',
    id_token_signed_response_alg: text(fields, 'id_token_signed_response_alg'),
    par: text(fields, 'par') === 'on',
    dpop: text(fields, 'dpop') === 'on',
    fapi: text(fields, 'fapi') === 'on',
  };
}

/**
 * Client metadata from the form. With `current` (an edit), every field the form does not own is
 * kept; the ones it owns are replaced, and an emptied one is removed.
 */
export function siteMetadataOf(
  form: SiteFormValues,
  current?: Record<string, unknown>,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...(current ?? {}) };
  for (const field of FORM_FIELDS) delete metadata[field];
  const set = (name: string, value: unknown) => {
    if (value !== '' && value !== undefined && value !== false) metadata[name] = value;
  };
  set('client_name', form.name);
  set('client_name#fa', form.name_fa);
  set('client_name#en', form.name_en);
  metadata.redirect_uris = lines(form.redirect_uris);
  const postLogout = lines(form.post_logout_redirect_uris);
  if (postLogout.length) metadata.post_logout_redirect_uris = postLogout;
  set('backchannel_logout_uri', form.backchannel_logout_uri);
  set('logo_uri', form.logo_uri);
  set('client_uri', form.client_uri);
  metadata.scope = form.scopes.join(' ');
  metadata.grant_types = form.refresh_tokens
    ? ['authorization_code', 'refresh_token']
    : ['authorization_code'];
  metadata.response_types = ['code'];
  set('token_endpoint_auth_method', form.token_endpoint_auth_method);
  set('jwks_uri', form.jwks_uri);
  set('subject_type', form.subject_type);
  set('application_type', form.application_type);
  set('id_token_signed_response_alg', form.id_token_signed_response_alg);
  set('require_pushed_authorization_requests', form.par);
  set('dpop_bound_access_tokens', form.dpop);
  if (form.fapi) metadata.fapi_profile = '2.0';
  return metadata;
}

/** The form filled in from a stored client (to edit it). */
export function siteFormOf(client: Record<string, unknown>): SiteFormValues {
  const str = (name: string) => (typeof client[name] === 'string' ? (client[name] as string) : '');
  const arr = (name: string) =>
    Array.isArray(client[name])
      ? (client[name] as unknown[]).filter((v) => typeof v === 'string').join('\n')
      : '';
  const scope = str('scope') || 'openid';
  return {
    name: str('client_name'),
    name_fa: str('client_name#fa'),
    name_en: str('client_name#en'),
    redirect_uris: arr('redirect_uris'),
    post_logout_redirect_uris: arr('post_logout_redirect_uris'),
    backchannel_logout_uri: str('backchannel_logout_uri'),
    logo_uri: str('logo_uri'),
    client_uri: str('client_uri'),
    scopes: scope.split(/\s+/).filter(Boolean),
    refresh_tokens: Array.isArray(client.grant_types) && client.grant_types.includes('refresh_token'),
    token_endpoint_auth_method: str('token_endpoint_auth_method') || 'client_secret_basic',
    jwks_uri: str('jwks_uri'),
    subject_type: str('subject_type') || 'public',
    application_type: str('application_type') || 'web',
    id_token_signed_response_alg: str('id_token_signed_response_alg'),
    par: client.require_pushed_authorization_requests === true,
    dpop: client.dpop_bound_access_tokens === true,
    fapi: client.fapi_profile === '2.0',
  };
}

/** An empty form for a new site: a confidential web client with openid, profile and phone. */
export function newSiteForm(): SiteFormValues {
  return readSiteForm({ scope: ['profile', 'phone'] });
}
