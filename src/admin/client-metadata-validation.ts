import { SUPPORTED_SCOPES } from '../oidc/claims.js';
import { CLIENT_AUTH_METHODS } from '../oidc/client-auth-methods.js';
import { LOCALIZED_NAME_KEYS } from '../oidc/client-names.js';

/**
 * Darvaze's own rules for client metadata (RFC 7591), applied before oidc-provider's validation
 * by the admin API, the CLI and dynamic registration (/reg) alike. They are stricter than the
 * provider's: exact https URLs, no wildcards or fragments, loopback http only outside production
 * (or for native apps), only the scopes of DESIGN §2.5.
 *
 * Errors are in RFC 7591 form. An `invalid_redirect_uri` description always starts with
 * "redirect_uris", which is how oidc-provider's InvalidClientMetadata picks the same code.
 */

export type ClientMetadataErrorCode = 'invalid_client_metadata' | 'invalid_redirect_uri';

export class ClientMetadataError extends Error {
  override readonly name = 'ClientMetadataError';
  constructor(
    readonly error: ClientMetadataErrorCode,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export interface MetadataRules {
  /** In production only https URLs (loopback http for native apps' redirect URIs). */
  production: boolean;
}

export const ALLOWED_SCOPES: readonly string[] = SUPPORTED_SCOPES;
/** The same list discovery advertises (token_endpoint_auth_methods_supported). */
export const ALLOWED_AUTH_METHODS = CLIENT_AUTH_METHODS;
export const ALLOWED_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;
export const ALLOWED_RESPONSE_TYPES = ['code'] as const;
export const ALLOWED_SUBJECT_TYPES = ['public', 'pairwise'] as const;
export const ALLOWED_APPLICATION_TYPES = ['web', 'native'] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_URI_LENGTH = 2000;
const MAX_URIS = 50;
const MAX_NAME_LENGTH = 200;

type Metadata = Record<string, unknown>;

const invalid = (description: string) => new ClientMetadataError('invalid_client_metadata', description);

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Metadata {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the rule-bearing fields of a metadata object and throws a ClientMetadataError for the
 * first problem. Fields it does not know are left to oidc-provider's validation.
 */
export function checkClientMetadata(metadata: unknown, rules: MetadataRules): void {
  if (!isJsonObject(metadata)) throw invalid('client metadata must be a JSON object');

  const applicationType = optionalEnum(metadata, 'application_type', ALLOWED_APPLICATION_TYPES) ?? 'web';
  const native = applicationType === 'native';

  for (const key of ['client_name', ...LOCALIZED_NAME_KEYS]) {
    const name = metadata[key];
    if (name === undefined) continue;
    if (typeof name !== 'string' || !name.trim()) throw invalid(`${key} must be a non-empty string`);
    if (name.length > MAX_NAME_LENGTH) throw invalid(`${key} must be at most ${MAX_NAME_LENGTH} characters`);
  }

  const redirectUris = metadata.redirect_uris;
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) {
    throw new ClientMetadataError('invalid_redirect_uri', 'redirect_uris must be a non-empty array of URLs');
  }
  if (redirectUris.length > MAX_URIS) {
    throw new ClientMetadataError(
      'invalid_redirect_uri',
      `redirect_uris must have at most ${MAX_URIS} entries`,
    );
  }
  for (const uri of redirectUris) {
    const problem = urlProblem(uri, { ...rules, loopbackInProduction: native });
    if (problem) throw new ClientMetadataError('invalid_redirect_uri', `redirect_uris: ${problem}`);
  }

  const postLogout = metadata.post_logout_redirect_uris;
  if (postLogout !== undefined) {
    if (!Array.isArray(postLogout)) throw invalid('post_logout_redirect_uris must be an array of URLs');
    if (postLogout.length > MAX_URIS)
      throw invalid(`post_logout_redirect_uris must have at most ${MAX_URIS} entries`);
    for (const uri of postLogout) {
      const problem = urlProblem(uri, { ...rules, loopbackInProduction: native });
      if (problem) throw invalid(`post_logout_redirect_uris: ${problem}`);
    }
  }

  if (metadata.backchannel_logout_uri !== undefined) {
    const problem = urlProblem(metadata.backchannel_logout_uri, { ...rules, loopbackInProduction: false });
    if (problem) throw invalid(`backchannel_logout_uri: ${problem}`);
  }

  checkScope(metadata.scope);

  const grantTypes = optionalList(metadata, 'grant_types', ALLOWED_GRANT_TYPES);
  optionalList(metadata, 'response_types', ALLOWED_RESPONSE_TYPES);
  if (grantTypes && !grantTypes.includes('authorization_code')) {
    throw invalid('grant_types must include authorization_code (the only flow this provider offers)');
  }

  const authMethod = optionalEnum(metadata, 'token_endpoint_auth_method', ALLOWED_AUTH_METHODS);
  if (metadata.jwks !== undefined && metadata.jwks_uri !== undefined) {
    throw invalid('jwks and jwks_uri must not both be present');
  }
  if (metadata.jwks !== undefined) {
    if (!isJsonObject(metadata.jwks) || !Array.isArray(metadata.jwks.keys)) {
      throw invalid('jwks must be a JWK Set, {"keys":[…]}');
    }
  }
  if (metadata.jwks_uri !== undefined) {
    const problem = urlProblem(metadata.jwks_uri, { ...rules, loopbackInProduction: false });
    if (problem) throw invalid(`jwks_uri: ${problem}`);
  }
  if (authMethod === 'private_key_jwt' && metadata.jwks === undefined && metadata.jwks_uri === undefined) {
    throw invalid('token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri');
  }

  const subjectType = optionalEnum(metadata, 'subject_type', ALLOWED_SUBJECT_TYPES) ?? 'public';
  if (metadata.sector_identifier_uri !== undefined) {
    const problem = urlProblem(metadata.sector_identifier_uri, {
      ...rules,
      loopbackInProduction: false,
      httpsOnly: true,
    });
    if (problem) throw invalid(`sector_identifier_uri: ${problem}`);
  }
  if (subjectType === 'pairwise' && metadata.sector_identifier_uri === undefined) {
    const hosts = new Set(redirectUris.map((uri) => new URL(uri as string).hostname));
    if (hosts.size > 1) {
      throw invalid(
        'subject_type pairwise with redirect_uris on more than one host needs a sector_identifier_uri',
      );
    }
  }
}

function checkScope(scope: unknown): void {
  if (scope === undefined) return;
  if (typeof scope !== 'string' || !scope.trim()) {
    throw invalid('scope must be a space-separated string of scope values');
  }
  const unknown = scope
    .trim()
    .split(/\s+/)
    .filter((value) => !ALLOWED_SCOPES.includes(value));
  if (unknown.length) {
    throw invalid(
      `scope has unsupported value(s) ${unknown.join(', ')}; allowed: ${ALLOWED_SCOPES.join(' ')}`,
    );
  }
}

function optionalEnum<T extends string>(
  metadata: Metadata,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const value = metadata[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(`${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function optionalList<T extends string>(
  metadata: Metadata,
  field: string,
  allowed: readonly T[],
): T[] | undefined {
  const value = metadata[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${field} must be a non-empty array`);
  const bad = value.filter((item) => typeof item !== 'string' || !allowed.includes(item as T));
  if (bad.length) throw invalid(`${field} may only contain ${allowed.join(', ')}`);
  return value as T[];
}

interface UrlRules extends MetadataRules {
  /** Whether loopback http stays allowed in production (native apps' redirect URIs). */
  loopbackInProduction: boolean;
  /** No http at all, not even loopback (sector_identifier_uri). */
  httpsOnly?: boolean;
}

/** Why a URL is refused, or undefined when it is acceptable. */
export function urlProblem(value: unknown, rules: UrlRules): string | undefined {
  if (typeof value !== 'string' || !value) return 'every entry must be a URL string';
  if (value.length > MAX_URI_LENGTH) return `URLs must be at most ${MAX_URI_LENGTH} characters`;
  if (value.includes('*')) return `${value} must not contain wildcards (*): URLs are matched exactly`;
  if (value.includes('#')) return `${value} must not contain a fragment (#)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not an absolute URL`;
  }
  if (url.username || url.password) return `${value} must not contain credentials`;
  if (url.protocol === 'https:') return url.hostname ? undefined : `${value} has no host`;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && !rules.httpsOnly) {
    if (!rules.production || rules.loopbackInProduction) return undefined;
    return `${value}: loopback http is allowed in production only for application_type native; use https`;
  }
  if (url.protocol === 'http:' && !rules.httpsOnly) {
    return `${value} must use https (plain http only for loopback hosts outside production)`;
  }
  return `${value} must use https`;
}
