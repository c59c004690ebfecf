/**
 * Every store key of the admin module's own, in one place. (oidc-provider's records — clients,
 * grants, initial access tokens — are src/oidc/store-keys.ts's, reached through the OidcRecords
 * port.) The `{…}` hash tags keep a client's keys in one Redis Cluster slot where it matters;
 * nothing here needs a multi-key command.
 */

/** The ids of every client registered through the registry (admin API, CLI or /reg). */
export const CLIENT_INDEX_KEY = 'admin:clients';

/** The sha256 digest of a client's previous secret and when its grace ends. */
export const previousSecretKey = (clientId: string) => `admin:client-previous-secret:{${clientId}}`;

/** Present while at least one previous secret is within its grace (lets the middleware skip work). */
export const GRACE_ACTIVE_KEY = 'admin:secret-grace-active';

/** The ids of the grants (consents) given to a client, so deleting the client revokes them. */
export const clientGrantsKey = (clientId: string) => `admin:client-grants:{${clientId}}`;

/** Short lock so that two admin changes of one client do not overwrite each other. */
export const clientLockKey = (clientId: string) => `admin:client-lock:{${clientId}}`;

/** The admin audit trail (a capped stream). */
export const AUDIT_LOG_KEY = 'audit:admin';
export const AUDIT_LOG_MAX = 10_000;

/** Back-channel logout delivery state of a client (backchannel-status.ts). */
export const backchannelStatusKeys = (clientId: string) => ({
  lastSuccess: `admin:backchannel-logout:{${clientId}}:last-success`,
  lastFailure: `admin:backchannel-logout:{${clientId}}:last-failure`,
  consecutiveFailures: `admin:backchannel-logout:{${clientId}}:failures`,
});

/** The initial access tokens issued and not yet lapsed (a timed set of their ids, initial-access-token-index.ts). */
export const INITIAL_ACCESS_TOKEN_INDEX_KEY = 'admin:initial-access-tokens';
/** One issued initial access token: its value (to revoke it), when, by whom, until when. */
export const initialAccessTokenRecordKey = (id: string) => `admin:initial-access-token:{${id}}`;
