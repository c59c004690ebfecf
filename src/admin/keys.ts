import { createHash } from 'node:crypto';
/**
 * Every store key the admin module reads or writes, in one place. The `{…}` hash tags keep a
 * client's keys in one Redis Cluster slot where it matters; nothing here needs a multi-key command.
 */

/** oidc-provider's own record of a client (see src/oidc/store-adapter.ts): the JSON metadata. */
export const clientRecordKey = (clientId: string) => `oidc:Client:{${clientId}}`;

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

/** oidc-provider's record of an initial access token. */
/** Where the adapter keeps an initial access token: under its hash (src/oidc/store-adapter.ts). */
export const initialAccessTokenKey = (jti: string) =>
  `oidc:InitialAccessToken:{${createHash('sha256').update(jti).digest('base64url')}}`;

/** The admin audit trail (a capped stream). */
export const AUDIT_LOG_KEY = 'audit:admin';
export const AUDIT_LOG_MAX = 10_000;

/** Back-channel logout delivery state of a client (backchannel-status.ts). */
export const backchannelStatusKeys = (clientId: string) => ({
  lastSuccess: `admin:backchannel-logout:{${clientId}}:last-success`,
  lastFailure: `admin:backchannel-logout:{${clientId}}:last-failure`,
  consecutiveFailures: `admin:backchannel-logout:{${clientId}}:failures`,
});
