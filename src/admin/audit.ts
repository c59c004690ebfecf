import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { AUDIT_LOG_KEY, AUDIT_LOG_MAX } from './keys.js';

/** Who made an admin change, and under which request. */
export interface Actor {
  /**
   * `admin:<hash prefix of the admin token>`, `cli`, `reg` (dynamic registration) or
   * `console:<sub>` (the admin console: the signed-in admin's subject, never their national code).
   */
  who: string;
  requestId?: string;
}

export type AdminAction =
  | 'client.create'
  | 'client.update'
  | 'client.delete'
  | 'client.secret.rotate'
  | 'client.register'
  | 'client.register.update'
  | 'client.register.delete'
  | 'initial_access_token.issue'
  | 'initial_access_token.revoke';

export interface AuditEntry {
  id: string;
  at: string;
  who: string;
  action: string;
  client_id?: string;
  request_id?: string;
  /** Which fields changed, or other context: names only, never values and never a secret. */
  detail?: string;
}

export interface AdminAudit {
  record(actor: Actor, action: AdminAction, fields?: { clientId?: string; detail?: string }): Promise<void>;
  /** The newest entries first. */
  recent(limit: number): Promise<AuditEntry[]>;
}

/** The trail of admin changes, in the store's capped log `audit:admin` (10 000 entries). */
export function createAdminAudit(store: Store, now: () => number = Date.now): AdminAudit {
  return {
    async record(actor, action, fields = {}) {
      const entry: Record<string, string> = { at: new Date(now()).toISOString(), who: actor.who, action };
      if (fields.clientId) entry.client_id = fields.clientId;
      if (actor.requestId) entry.request_id = actor.requestId;
      if (fields.detail) entry.detail = fields.detail;
      await store.appendLog(AUDIT_LOG_KEY, entry, AUDIT_LOG_MAX);
    },
    async recent(limit) {
      const entries = await store.readLog(AUDIT_LOG_KEY, limit);
      return entries.map(({ id, fields }) => ({
        id,
        at: fields.at ?? '',
        who: fields.who ?? '',
        action: fields.action ?? '',
        ...(fields.client_id ? { client_id: fields.client_id } : {}),
        ...(fields.request_id ? { request_id: fields.request_id } : {}),
        ...(fields.detail ? { detail: fields.detail } : {}),
      }));
    },
  };
}

/**
 * The admin token's name in the audit trail: a short prefix of its sha256 digest. It tells
 * tokens apart after a rotation and reveals nothing usable about the token.
 */
export function adminActor(token: string): string {
  return `admin:${createHash('sha256').update(token).digest('hex').slice(0, 8)}`;
}
