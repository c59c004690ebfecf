import type { ClientView, IssuedInitialAccessToken, RotatedSecret } from '../../src/admin/client-registry.js';

export type AuditStream = 'admin' | 'security';

/**
 * What the commands need from the client registry. Two implementations: the admin API of a
 * running server (the default) and, offline, the shared store itself. Failures are CliErrors.
 */
export interface ClientsBackend {
  list(): Promise<ClientView[]>;
  /** The client, or a not_found CliError. */
  get(clientId: string): Promise<ClientView>;
  create(metadata: Record<string, unknown>): Promise<ClientView>;
  replace(clientId: string, metadata: Record<string, unknown>): Promise<ClientView>;
  delete(clientId: string): Promise<void>;
  rotateSecret(clientId: string): Promise<RotatedSecret>;
  issueInitialAccessToken(expiresIn: number | undefined): Promise<IssuedInitialAccessToken>;
  audit(limit: number, stream: AuditStream): Promise<unknown[]>;
  backchannelLogout(clientId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}
