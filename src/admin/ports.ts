/**
 * What the client registry needs from outside, as interfaces: the registry itself knows neither
 * Koa nor oidc-provider nor where oidc-provider keeps its records. The composition root passes
 * the implementations (src/oidc/oidc-records.ts; provider/registry-ports.ts on oidc-provider).
 */

/** A client's metadata as stored: RFC 7591 names, with the server-assigned fields. */
export type ClientRecord = Record<string, unknown> & {
  client_id: string;
  client_secret?: string;
  client_id_issued_at?: number;
  client_secret_expires_at?: number;
};

/** oidc-provider's stored records the registry manages, whatever their key layout. */
export interface OidcRecords {
  readClient(clientId: string): Promise<ClientRecord | undefined>;
  /** Stores a new client; false (and nothing written) when its client_id is taken. */
  createClient(client: ClientRecord): Promise<boolean>;
  /** Stores a client, replacing the record with that client_id. */
  writeClient(client: ClientRecord): Promise<void>;
  /** Deletes a client's record; true when there was one. */
  deleteClient(clientId: string): Promise<boolean>;
  /** Revokes a grant (a consent): every token issued under it and the grant itself. */
  revokeGrant(grantId: string): Promise<void>;
  /** Uses up an initial access token in one atomic step: true for the one caller that took it. */
  takeInitialAccessToken(jti: string): Promise<boolean>;
  /** Whether an initial access token is still there (not used up, revoked or expired). */
  hasInitialAccessToken(jti: string): Promise<boolean>;
}

/** oidc-provider's own client validation (provider/registry-ports.ts). */
export interface ProviderClientRules {
  /** Validates complete client properties; resolves to the metadata as the provider stores it. */
  normalize(properties: ClientRecord): Promise<ClientRecord>;
  /** Whether the properties call for a client secret (auth method, HMAC algorithms). */
  needsSecret(properties: Record<string, unknown>): boolean;
}

export interface InitialAccessTokens {
  /** A new initial access token for /reg, valid for `expiresIn` seconds. */
  issue(expiresIn: number): Promise<string>;
}
