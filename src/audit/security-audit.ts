import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { coarseNetwork } from './coarse-network.js';

/**
 * The trail of security events (sign-ins, identity checks, consents, lockouts, SMS sends, token
 * replays) in the store's capped log `audit:security`, next to the admin trail `audit:admin`.
 *
 * Entries say what happened, when, under which request and to which pseudonymous subject (`sub`,
 * interaction id, client id) — never a code, a token or personal data. Callers already pass only
 * such fields; as a safety net a value that looks like personal data (a run of 9+ digits, as a
 * mobile or national code is, or Persian/Arabic script, as names are) is stored as `[withheld]`.
 *
 * This service knows no framework; the oidc-provider events it records are wired in
 * provider/audit-events.ts.
 */

export const SECURITY_AUDIT_KEY = 'audit:security';
/** Entries kept (Redis `XADD MAXLEN ~`, so approximately): about a year of a busy provider. */
export const DEFAULT_SECURITY_AUDIT_MAX_ENTRIES = 100_000;
export const WITHHELD = '[withheld]';
/**
 * Each person's own recent events (their page, /account, lists them): one small record per person,
 * `audit:person:{<hash of sub>}`, holding their last PERSON_AUDIT_MAX_ENTRIES events as compact
 * rows (time, type, site, method, network in coarse form), forgotten 90 days after the last event.
 * A string, not a stream: a Redis stream costs ~4.7 KB even with one entry.
 */
export const PERSON_AUDIT_MAX_ENTRIES = 15;
export const PERSON_AUDIT_TTL_SECONDS = 90 * 24 * 3600;
export const personAuditKey = (sub: string) =>
  `audit:person:{${createHash('sha256').update(sub).digest('base64url').slice(0, 22)}}`;

/** The events the journey and the provider record today. */
export type SecurityEventType =
  | 'sms.sent'
  | 'sms.refused'
  | 'otp.locked'
  | 'login.succeeded'
  | 'identity.verified'
  | 'identity.refused'
  | 'consent.granted'
  | 'consent.denied'
  | 'token.replayed'
  | 'logout'
  | 'backchannel_logout.failed'
  | 'backchannel_logout.delivered'
  | 'upstream.failover'
  | 'passkey.enrolled'
  | 'passkey.used'
  | 'passkey.refused'
  | 'passkey.removed'
  | 'passkey.renamed'
  | 'site.signed_in'
  | 'consent.withdrawn'
  | 'account.signed_out_everywhere'
  | 'account.exported'
  | 'account.deleted'
  /** A signed-in person the admin console refused (not on the allow list, or not verified). */
  | 'admin.console_refused';

export interface SecurityAuditEntry {
  /** The log's own id (a Redis stream id: `<epoch ms>-<seq>`). */
  id: string;
  at: string;
  type: string;
  request_id?: string;
  /** The event's other fields (interaction, sub, client, scope, reason, checks, method). */
  [field: string]: string | undefined;
}

/** What `record` reads from a Koa context: the request id set by requestContext, the address. */
export interface AuditContext {
  state: { requestId?: string };
  /** The client address (Koa's ctx.ip); only its coarse network goes to the person's own log. */
  ip?: string;
}

export interface SecurityAudit {
  /** Appends an event; never throws and never delays the request (a failed write is logged). */
  record(ctx: AuditContext, type: SecurityEventType, fields: Record<string, string>): void;
  /** The newest `limit` entries, newest first. */
  recent(limit: number): Promise<SecurityAuditEntry[]>;
  /** This person's newest events (their `sub`'s own log), newest first. */
  recentFor(sub: string, limit: number): Promise<SecurityAuditEntry[]>;
  /** Drops the person's own log (the account is deleted; the main trail keeps its entries). */
  forgetPerson(sub: string): Promise<void>;
}

export interface SecurityAuditDeps {
  store: Store;
  logger: Logger;
  /** Clock in epoch milliseconds. */
  now?: () => number;
  /** Entries kept; older ones are trimmed as new ones arrive. */
  maxEntries?: number;
  /**
   * Entries older than this many days are dropped too (at most one trim an hour per process),
   * through `trim` (the Store's trimLog: on Redis `XTRIM <key> MINID <epoch ms>`).
   */
  retentionDays?: number;
  trim?: (key: string, olderThanEpochMs: number) => Promise<void>;
}

const TRIM_INTERVAL_MS = 3600_000;

const LOOKS_PERSONAL = /\d{9,}|[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const RESERVED = new Set(['type', 'at', 'requestId', 'id']);

export function createSecurityAudit(deps: SecurityAuditDeps): SecurityAudit {
  const { store, logger } = deps;
  const now = deps.now ?? Date.now;
  const maxEntries = deps.maxEntries ?? DEFAULT_SECURITY_AUDIT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new RangeError('maxEntries must be a positive integer');
  const { retentionDays, trim } = deps;
  if (retentionDays !== undefined && !(retentionDays > 0))
    throw new RangeError('retentionDays must be positive');
  let lastTrim = Number.NEGATIVE_INFINITY;
  const trimOld = () => {
    if (!retentionDays || !trim || now() - lastTrim < TRIM_INTERVAL_MS) return;
    lastTrim = now();
    trim(SECURITY_AUDIT_KEY, now() - retentionDays * 86_400_000).catch((error: Error) =>
      logger.warn({ err: error.message }, 'audit trim failed'),
    );
  };

  // One atomic step per event (Store.prependLine): two events of one sign-in, or two nodes
  // writing at once, never overwrite each other. A record an older release wrote (JSON) is read
  // and rewritten whole once, in the current form; from then on it is appended to in place.
  const appendForPerson = async (sub: string, row: PersonRow) => {
    const key = personAuditKey(sub);
    const line = formatRows([row]);
    if (await store.prependLine(key, line, PERSON_AUDIT_MAX_ENTRIES, PERSON_AUDIT_TTL_SECONDS)) return;
    const rows = parseRows(await store.get(key));
    rows.unshift(row);
    await store.set(key, formatRows(rows.slice(0, PERSON_AUDIT_MAX_ENTRIES)), PERSON_AUDIT_TTL_SECONDS);
  };

  const recent = async (limit: number): Promise<SecurityAuditEntry[]> => {
    const rows = await store.readLog(SECURITY_AUDIT_KEY, limit);
    return rows.map(({ id, fields }) => {
      const { type = '', at = '', requestId, ...rest } = fields;
      return { id, at, type, ...(requestId ? { request_id: requestId } : {}), ...rest };
    });
  };

  return {
    record(ctx, type, fields) {
      const entry: Record<string, string> = {
        type,
        at: new Date(now()).toISOString(),
        requestId: ctx.state?.requestId ?? '',
      };
      const withheld: string[] = [];
      for (const [name, value] of Object.entries(fields)) {
        if (RESERVED.has(name) || typeof value !== 'string') continue;
        if (LOOKS_PERSONAL.test(value)) {
          entry[name] = WITHHELD;
          withheld.push(name);
        } else entry[name] = value;
      }
      if (withheld.length) logger.warn({ type, fields: withheld }, 'audit: personal-looking values withheld');
      store
        .appendLog(SECURITY_AUDIT_KEY, entry, maxEntries)
        .then(trimOld)
        .catch((error: Error) => logger.warn({ err: error.message, type }, 'audit write failed'));
      // A deleted account's own log is gone with it; its deletion is kept in the main trail only.
      if (entry.sub && entry.sub !== WITHHELD && type !== 'account.deleted') {
        const row: PersonRow = [
          Math.floor(now() / 1000),
          type,
          entry.client ?? '',
          entry.method ?? '',
          coarseNetwork((ctx as { ip?: unknown }).ip as string | undefined),
        ];
        appendForPerson(entry.sub, row).catch((error: Error) =>
          logger.warn({ err: error.message, type }, 'person audit write failed'),
        );
      }
    },

    recent,
    async recentFor(sub, limit) {
      const rows = parseRows(await store.get(personAuditKey(sub))).slice(0, limit);
      return rows.map(([at, type, client, method, network], index) => ({
        id: String(index),
        at: new Date(at * 1000).toISOString(),
        type,
        ...(client ? { client } : {}),
        ...(method ? { method } : {}),
        ...(network ? { network } : {}),
      }));
    },
    async forgetPerson(sub) {
      await store.delete(personAuditKey(sub));
    },
  };
}

/** One event in a person's own record: epoch seconds, type, client id, method, coarse network. */
type PersonRow = [number, string, string, string, string];

/**
 * The person's record is a few rows kept 90 days per person, so it is written tightly (issue 17):
 * one line per event, fields apart by tabs, the time in base 36 and the type by a short code
 * (`login.succeeded` → `ls`); a type without a code is written in full. Records written before,
 * a JSON array of rows, still read.
 */
const TYPE_CODES: Readonly<Record<SecurityEventType, string>> = {
  'sms.sent': 'ss',
  'sms.refused': 'sr',
  'otp.locked': 'ol',
  'login.succeeded': 'ls',
  'identity.verified': 'iv',
  'identity.refused': 'ir',
  'consent.granted': 'cg',
  'consent.denied': 'cd',
  'token.replayed': 'tr',
  logout: 'lo',
  'backchannel_logout.failed': 'bf',
  'backchannel_logout.delivered': 'bd',
  'upstream.failover': 'uf',
  'passkey.enrolled': 'pe',
  'passkey.used': 'pu',
  'passkey.refused': 'pf',
  'passkey.removed': 'pd',
  'passkey.renamed': 'pn',
  'site.signed_in': 'si',
  'consent.withdrawn': 'cw',
  'account.signed_out_everywhere': 'ao',
  'account.exported': 'ae',
  'account.deleted': 'ad',
  'admin.console_refused': 'ar',
};
const TYPE_OF_CODE = new Map(Object.entries(TYPE_CODES).map(([type, code]) => [code, type]));
const codeOf = (type: string) => (TYPE_CODES as Record<string, string | undefined>)[type] ?? type;
// A tab or a line break inside a field would split it: never in ids, methods or networks, but cheap to rule out.
const field = (value: string) => value.replace(/[\t\n]/g, ' ');

function formatRows(rows: readonly PersonRow[]): string {
  return rows
    .map(([at, type, client, method, network]) =>
      [at.toString(36), codeOf(type), field(client), field(method), field(network)].join('\t'),
    )
    .join('\n');
}

function parseRows(raw: string | null): PersonRow[] {
  if (!raw) return [];
  if (raw.startsWith('[')) return parseJsonRows(raw);
  return raw.split('\n').flatMap((line): PersonRow[] => {
    const [at = '', code = '', client = '', method = '', network = ''] = line.split('\t');
    const seconds = Number.parseInt(at, 36);
    return Number.isFinite(seconds) && code
      ? [[seconds, TYPE_OF_CODE.get(code) ?? code, client, method, network]]
      : [];
  });
}

/** The record as written before issue 17's tightening: a JSON array of rows. */
function parseJsonRows(raw: string): PersonRow[] {
  try {
    const rows = JSON.parse(raw) as unknown;
    return Array.isArray(rows)
      ? rows.filter(
          (row): row is PersonRow =>
            Array.isArray(row) &&
            row.length === 5 &&
            typeof row[0] === 'number' &&
            row.slice(1).every((v) => typeof v === 'string'),
        )
      : [];
  } catch {
    return [];
  }
}
