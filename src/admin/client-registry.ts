import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import { epochSeconds } from '../time/clock.js';
import type { Actor, AdminAudit } from './audit.js';
import { createBackchannelStatus } from './backchannel-status.js';
import type { ClientGrants } from './client-grants.js';
import { ClientBusyError, createClientLock } from './client-lock.js';
import {
  ClientMetadataError,
  checkClientMetadata,
  isJsonObject,
  type MetadataRules,
} from './client-metadata-validation.js';
import { createInitialAccessTokenIndex, type IssuedTokenInfo } from './initial-access-token-index.js';
import { CLIENT_INDEX_KEY } from './keys.js';
import type { ClientRecord, InitialAccessTokens, OidcRecords, ProviderClientRules } from './ports.js';
import { createPreviousSecrets } from './previous-secrets.js';

/**
 * The client registry: the one place that creates, reads, replaces, deletes and re-keys the
 * relying parties kept in the store. The admin API and the `clients` CLI are two doors to it;
 * dynamic registration (/reg) is oidc-provider's own door, whose clients are adopted here.
 *
 * A client is oidc-provider's own record (read and written through the `OidcRecords` port): the
 * metadata exactly as the provider normalizes it (with `client_secret` in clear: oidc-provider
 * compares it as is), stored without expiry. `admin:clients` lists the ids. Nothing here knows
 * Koa, oidc-provider or its key layout: the provider's validation, its records and the initial
 * access tokens come in as ports (ports.ts).
 */

/** What reads answer: the record without its secret. */
export type ClientView = Record<string, unknown> & {
  client_id: string;
  client_id_issued_at?: number;
  client_secret_expires_at?: number;
};

export interface ClientRegistryDeps {
  /** The registry's own keys: the client index, locks, previous secrets, back-channel state. */
  store: Store;
  /** oidc-provider's records: the clients themselves. */
  records: Pick<
    OidcRecords,
    | 'readClient'
    | 'createClient'
    | 'writeClient'
    | 'deleteClient'
    | 'takeInitialAccessToken'
    | 'hasInitialAccessToken'
  >;
  rules: MetadataRules;
  provider: ProviderClientRules;
  grants: Pick<ClientGrants, 'revokeAll'>;
  initialAccessTokens: InitialAccessTokens;
  audit: AdminAudit;
  secretRotationGraceSeconds: number;
  logger?: Logger;
  now?: () => number;
}

export class ClientNotFoundError extends Error {
  override readonly name = 'ClientNotFoundError';
  constructor(readonly clientId: string) {
    super(`no client ${clientId}`);
  }
}

/** A request the registry refuses for a reason other than the metadata (409 for a busy client). */
export class AdminRequestError extends Error {
  override readonly name = 'AdminRequestError';
  constructor(
    readonly error: 'invalid_request' | 'conflict',
    readonly description: string,
    readonly status: 400 | 409 = 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export interface RotatedSecret {
  client_id: string;
  client_secret: string;
  client_secret_expires_at: 0;
  /** Epoch seconds until which the previous secret is still accepted. */
  previous_secret_expires_at: number;
}

export interface IssuedInitialAccessToken {
  initial_access_token: string;
  expires_in: number;
}

export interface ClientRegistry {
  /** RFC 7591 client information: the stored metadata with `client_secret` (shown this once). */
  create(metadata: unknown, actor: Actor): Promise<ClientRecord>;
  list(): Promise<ClientView[]>;
  get(clientId: string): Promise<ClientView | undefined>;
  /** Full replace (RFC 7592 style); the secret is kept. Answers the view, or the record when a secret was issued. */
  replace(clientId: string, metadata: unknown, actor: Actor): Promise<ClientView>;
  /** False when there was no such client. */
  delete(clientId: string, actor: Actor): Promise<boolean>;
  rotateSecret(clientId: string, actor: Actor): Promise<RotatedSecret>;
  issueInitialAccessToken(expiresIn: number | undefined, actor: Actor): Promise<IssuedInitialAccessToken>;
  /** The initial access tokens issued and not lapsed, newest first (never their values). */
  listInitialAccessTokens(): Promise<IssuedTokenInfo[]>;
  /** Revokes an issued initial access token by its listed id; false when there is none. */
  revokeInitialAccessToken(id: string, actor: Actor): Promise<boolean>;
  /** Takes a client registered at /reg into the index (listing, audit). */
  adoptRegistered(
    clientId: string,
    actor: Actor,
    action: 'client.register' | 'client.register.update',
  ): Promise<void>;
  /** Cleans up after a client deleted at /reg: index, previous secret, grants. */
  forgetRegistered(clientId: string, actor: Actor): Promise<void>;
}

/** Fields the server assigns; a request may echo them back (a GET turned into a PUT). */
const ECHOED_SERVER_FIELDS = [
  'client_id_issued_at',
  'client_secret_expires_at',
  'registration_access_token',
  'registration_client_uri',
];

export const DEFAULT_INITIAL_ACCESS_TOKEN_SECONDS = 24 * 3600;
export const MAX_INITIAL_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600;

/**
 * 128 random bits, URL-safe, starting with a letter or digit: an id that starts with "-" would
 * read as an option on a command line (`npm run clients -- show -f…`).
 */
export function newClientId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
/** 256 random bits, URL-safe (43 characters). */
export const newClientSecret = () => randomBytes(32).toString('base64url');

export function createClientRegistry(deps: ClientRegistryDeps): ClientRegistry {
  const { store, records, provider, audit } = deps;
  const now = deps.now ?? Date.now;
  const previousSecrets = createPreviousSecrets({ store, clients: records, now });
  const read = (clientId: string) => records.readClient(clientId);
  const tokenIndex = createInitialAccessTokenIndex(store, records, now);

  async function record(
    actor: Actor,
    action: Parameters<AdminAudit['record']>[1],
    clientId?: string,
    detail?: string,
  ) {
    try {
      await audit.record(actor, action, { clientId, detail });
    } catch (error) {
      // The change is made; losing its audit line must be loud, not a failed request.
      deps.logger?.error({ err: (error as Error).message, action, clientId }, 'admin audit write failed');
    }
  }

  const lock = createClientLock(store);
  /** Serializes changes of one client (read-modify-write) across requests and nodes. */
  async function withLock<T>(clientId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await lock(clientId, work);
    } catch (error) {
      if (!(error instanceof ClientBusyError)) throw error;
      throw new AdminRequestError('conflict', 'another change of this client is in progress; try again', 409);
    }
  }

  return {
    async create(input, actor) {
      const metadata = requestMetadata(input);
      for (const field of ['client_id', 'client_secret']) {
        if (field in metadata) {
          throw new ClientMetadataError('invalid_client_metadata', `${field} is assigned by the server`);
        }
      }
      checkClientMetadata(metadata, deps.rules);
      for (let attempt = 0; attempt < 3; attempt++) {
        const properties: ClientRecord = {
          ...metadata,
          client_id: newClientId(),
          client_id_issued_at: epochSeconds(now),
        };
        if (provider.needsSecret(properties)) {
          properties.client_secret = newClientSecret();
          properties.client_secret_expires_at = 0;
        }
        const stored = await provider.normalize(properties);
        if (!(await records.createClient(stored))) continue;
        await store.addToSet(CLIENT_INDEX_KEY, stored.client_id);
        await record(
          actor,
          'client.create',
          stored.client_id,
          `fields: ${Object.keys(metadata).sort().join(' ')}`,
        );
        return stored;
      }
      throw new Error('could not allocate a unique client_id');
    },

    async list() {
      const ids = await store.setMembers(CLIENT_INDEX_KEY);
      const records = await Promise.all(ids.map(read));
      return records
        .filter((client): client is ClientRecord => client !== undefined)
        .sort(
          (a, b) =>
            (a.client_id_issued_at ?? 0) - (b.client_id_issued_at ?? 0) ||
            a.client_id.localeCompare(b.client_id),
        )
        .map(view);
    },

    async get(clientId) {
      const client = await read(clientId);
      return client ? view(client) : undefined;
    },

    async replace(clientId, input, actor) {
      return withLock(clientId, async () => {
        const current = await read(clientId);
        if (!current) throw new ClientNotFoundError(clientId);
        const metadata = requestMetadata(input);
        if ('client_id' in metadata) {
          if (metadata.client_id !== clientId) {
            throw new ClientMetadataError(
              'invalid_client_metadata',
              'client_id does not match the client being replaced',
            );
          }
          delete metadata.client_id;
        }
        if ('client_secret' in metadata) {
          if (!sameSecret(metadata.client_secret, current.client_secret)) {
            throw new ClientMetadataError(
              'invalid_client_metadata',
              'client_secret cannot be set; rotate it with POST /admin/api/clients/{id}/secret',
            );
          }
          delete metadata.client_secret;
        }
        checkClientMetadata(metadata, deps.rules);
        const properties: ClientRecord = {
          ...metadata,
          client_id: clientId,
          ...(current.client_id_issued_at !== undefined
            ? { client_id_issued_at: current.client_id_issued_at }
            : {}),
        };
        let issuedSecret = false;
        if (current.client_secret) {
          properties.client_secret = current.client_secret;
          properties.client_secret_expires_at = current.client_secret_expires_at ?? 0;
        } else if (provider.needsSecret(properties)) {
          properties.client_secret = newClientSecret();
          properties.client_secret_expires_at = 0;
          issuedSecret = true;
        }
        const stored = await provider.normalize(properties);
        await records.writeClient(stored);
        await store.addToSet(CLIENT_INDEX_KEY, clientId);
        const changed = changedFields(current, stored);
        await record(
          actor,
          'client.update',
          clientId,
          `${changed.length ? `changed: ${changed.join(' ')}` : 'no change'}${issuedSecret ? '; secret issued' : ''}`,
        );
        // A secret issued now (the client moved to a secret-based method) is shown this once.
        return issuedSecret ? stored : view(stored);
      });
    },

    async delete(clientId, actor) {
      return withLock(clientId, async () => {
        // The record first: from here on the provider knows no such client and issues nothing.
        const existed = await records.deleteClient(clientId);
        await store.removeFromSet(CLIENT_INDEX_KEY, clientId);
        await previousSecrets.forget(clientId);
        await createBackchannelStatus(store).forget(clientId);
        const revoked = await deps.grants.revokeAll(clientId);
        if (existed) await record(actor, 'client.delete', clientId, `revoked grants: ${revoked}`);
        return existed;
      });
    },

    async rotateSecret(clientId, actor) {
      return withLock(clientId, async () => {
        const current = await read(clientId);
        if (!current) throw new ClientNotFoundError(clientId);
        if (!current.client_secret) {
          throw new AdminRequestError(
            'invalid_request',
            `this client has no secret (token_endpoint_auth_method ${String(current.token_endpoint_auth_method)})`,
          );
        }
        const secret = newClientSecret();
        // The grace first, so there is no moment in which neither secret works.
        const until = await previousSecrets.remember(
          clientId,
          current.client_secret,
          deps.secretRotationGraceSeconds,
        );
        await records.writeClient({ ...current, client_secret: secret });
        await record(
          actor,
          'client.secret.rotate',
          clientId,
          `previous secret valid until ${until.toISOString()}`,
        );
        return {
          client_id: clientId,
          client_secret: secret,
          client_secret_expires_at: 0,
          previous_secret_expires_at: Math.floor(until.getTime() / 1000),
        };
      });
    },

    async issueInitialAccessToken(expiresIn = DEFAULT_INITIAL_ACCESS_TOKEN_SECONDS, actor) {
      if (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > MAX_INITIAL_ACCESS_TOKEN_SECONDS) {
        throw new AdminRequestError(
          'invalid_request',
          `expires_in must be a whole number of seconds from 60 to ${MAX_INITIAL_ACCESS_TOKEN_SECONDS}`,
        );
      }
      const token = await deps.initialAccessTokens.issue(expiresIn);
      await tokenIndex.remember(token, expiresIn, actor.who);
      await record(actor, 'initial_access_token.issue', undefined, `expires_in: ${expiresIn}`);
      return { initial_access_token: token, expires_in: expiresIn };
    },

    listInitialAccessTokens: () => tokenIndex.list(),

    async revokeInitialAccessToken(id, actor) {
      const revoked = await tokenIndex.revoke(id);
      if (revoked) await record(actor, 'initial_access_token.revoke', undefined, `id: ${id}`);
      return revoked;
    },

    async adoptRegistered(clientId, actor, action) {
      await store.addToSet(CLIENT_INDEX_KEY, clientId);
      await record(actor, action, clientId);
    },

    async forgetRegistered(clientId, actor) {
      await store.removeFromSet(CLIENT_INDEX_KEY, clientId);
      await previousSecrets.forget(clientId);
      await createBackchannelStatus(store).forget(clientId);
      const revoked = await deps.grants.revokeAll(clientId);
      await record(actor, 'client.register.delete', clientId, `revoked grants: ${revoked}`);
    },
  };
}

/** A copy of the request's metadata without the server-assigned fields it may echo back. */
function requestMetadata(input: unknown): Record<string, unknown> {
  if (!isJsonObject(input))
    throw new ClientMetadataError('invalid_client_metadata', 'client metadata must be a JSON object');
  const metadata = { ...input };
  for (const field of ECHOED_SERVER_FIELDS) delete metadata[field];
  return metadata;
}

function sameSecret(presented: unknown, current: string | undefined): boolean {
  if (typeof presented !== 'string' || !current) return false;
  return constantEquals(presented, current);
}

export function view(client: ClientRecord): ClientView {
  const { client_secret: _secret, ...rest } = client;
  return rest;
}

/** Names of the metadata fields that differ (values are not logged: they may be personal or secret). */
function changedFields(before: ClientRecord, after: ClientRecord): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete('client_secret');
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
}
