/**
 * How a client may authenticate at the token, introspection and revocation endpoints: one list
 * that discovery advertises (the provider's `clientAuthMethods`) and that registration accepts
 * (the admin API, the CLI and /reg, client-metadata-validation.ts), so the two cannot disagree.
 *
 * client_secret_jwt is left out on purpose: it is an HMAC made with the shared client secret, so
 * it protects nothing that private_key_jwt does not protect better, it would need the previous
 * secret's grace (src/admin/provider/previous-secret-grace.ts) to verify JWTs, and FAPI 2.0 forbids it. A
 * site that wants a credential that never crosses the wire uses private_key_jwt.
 */
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;

export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/**
 * Algorithms of a private_key_jwt client assertion. No HS*: those are client_secret_jwt's, which
 * is not offered, so discovery does not advertise them either.
 */
export const CLIENT_AUTH_SIGNING_ALGS = ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'] as const;

/** The scope a client registered without one gets: sign-in only, no personal data (DESIGN §2.5). */
export const DEFAULT_CLIENT_SCOPE = 'openid';
