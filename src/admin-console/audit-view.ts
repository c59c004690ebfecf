/**
 * The console's Audit page: the admin trail and the security trail, filtered (time, event type,
 * site) and cut into pages. Both trails are capped logs read newest first; the filters apply to
 * the newest `SCAN_LIMIT` entries of a trail (a console page, not a search engine: older entries
 * stay in the store and in the admin API's answer).
 *
 * What is shown never holds a code, a token or a full personal datum: both trails keep none
 * (the security trail withholds anything that looks personal when it writes), and here every
 * value is cut short and a subject (`sub`) is shown by its first characters only.
 */
export const SCAN_LIMIT = 5000;
export const PAGE_SIZE = 50;
export const AUDIT_PERIODS = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  all: Infinity,
} as const;
export type AuditPeriod = keyof typeof AUDIT_PERIODS;
export type AuditStream = 'admin' | 'security';

export interface AuditFilter {
  stream: AuditStream;
  period: AuditPeriod;
  /** An event type (`action` of the admin trail, `type` of the security trail); '' for any. */
  type: string;
  /** A client id; '' for any. */
  site: string;
  /** 1-based. */
  page: number;
}

export interface AuditRow {
  at: string;
  type: string;
  who: string;
  site: string;
  /** Other fields, `name: value`, each cut short. */
  details: string[];
}

export interface AuditPage {
  filter: AuditFilter;
  rows: AuditRow[];
  /** Event types seen in the scanned entries, for the filter's list. */
  types: string[];
  total: number;
  pages: number;
}

const SHORT = 60;
const cut = (value: string) => (value.length > SHORT ? `${value.slice(0, SHORT)}…` : value);
// Shown in their own places (type, time, who, site) or not at all (the logs' own ids).
const HIDDEN_FIELDS = new Set([
  'id',
  'at',
  'type',
  'action',
  'who',
  'sub',
  'client_id',
  'client',
  'request_id',
  'requestId',
]);
/** An opaque id (interaction, grant, session, jti): recognisable by its start, never whole. */
const OPAQUE = /^(?=.*[0-9A-Z])[A-Za-z0-9_-]{16,}$/;

/** A subject or another opaque id, recognisable but not whole. */
export const shortId = (value: string) => (value.length > 12 ? `${value.slice(0, 8)}…` : value);

/** The filter from a query string; anything unknown falls back to its default. */
export function auditFilterOf(query: Record<string, unknown>): AuditFilter {
  const str = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim() : '');
  const stream = str('stream') === 'security' ? 'security' : 'admin';
  const period = (Object.keys(AUDIT_PERIODS) as AuditPeriod[]).find((key) => key === str('period')) ?? 'day';
  const type = /^[a-z_.-]{1,60}$/.test(str('type')) ? str('type') : '';
  const site = /^[A-Za-z0-9_.:-]{1,100}$/.test(str('site')) ? str('site') : '';
  const page = Math.min(
    Math.max(Number.parseInt(str('page'), 10) || 1, 1),
    Math.ceil(SCAN_LIMIT / PAGE_SIZE),
  );
  return { stream, period, type, site, page };
}

/** One trail's newest entries, filtered and paginated, as rows for the page. */
export function auditPageOf(
  entries: ReadonlyArray<Record<string, string | undefined>>,
  filter: AuditFilter,
  nowMs: number,
): AuditPage {
  const since = nowMs - AUDIT_PERIODS[filter.period];
  const typeOf = (entry: Record<string, string | undefined>) => entry.action ?? entry.type ?? '';
  const siteOf = (entry: Record<string, string | undefined>) => entry.client_id ?? entry.client ?? '';
  const types = [...new Set(entries.map(typeOf).filter(Boolean))].sort();
  const matching = entries.filter((entry) => {
    const at = Date.parse(entry.at ?? '');
    if (filter.period !== 'all' && !(at >= since)) return false;
    if (filter.type && typeOf(entry) !== filter.type) return false;
    if (filter.site && siteOf(entry) !== filter.site) return false;
    return true;
  });
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const rows = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((entry) => ({
    at: entry.at ?? '',
    type: typeOf(entry),
    who: whoOf(entry),
    site: siteOf(entry),
    details: Object.entries(entry)
      .filter(([name, value]) => !HIDDEN_FIELDS.has(name) && typeof value === 'string' && value !== '')
      .map(
        ([name, value]) =>
          `${name}: ${OPAQUE.test(value as string) ? shortId(value as string) : cut(value as string)}`,
      ),
  }));
  return { filter: { ...filter, page }, rows, types, total: matching.length, pages };
}

/** The admin trail's `who` (`console:<sub>` shows the sub short); the security trail's `sub`. */
function whoOf(entry: Record<string, string | undefined>): string {
  const who = entry.who ?? (entry.sub ? `sub:${entry.sub}` : '');
  const [kind, id] = who.split(/:(.*)/s);
  return id && (kind === 'console' || kind === 'sub') ? `${kind}:${shortId(id)}` : who;
}
