import type { ClientView } from '../../src/admin/client-registry.js';

/**
 * Where the commands write. With --json a command prints exactly one JSON document on stdout
 * (the admin API's answer, or {"error","error_description"}): that shape is the stable
 * interface for scripts. Without it, readable lines and tables.
 */
export interface Output {
  readonly json: boolean;
  /** One JSON document (only with --json). */
  document(value: unknown): void;
  line(text: string): void;
  client(client: ClientView): void;
  table(header: string[], rows: string[][]): void;
}

export function createOutput(json: boolean, write: (text: string) => void): Output {
  const line = (text: string) => write(`${text}\n`);
  return {
    json,
    document: (value) => line(JSON.stringify(value, null, 2)),
    line,
    client: (client) => {
      for (const row of clientLines(client)) line(row);
    },
    table: (header, rows) => {
      for (const row of tableLines(header, rows)) line(row);
    },
  };
}

const FIRST_FIELDS = ['client_id', 'client_name', 'redirect_uris', 'post_logout_redirect_uris', 'scope'];

/** A client's metadata as aligned `field  value` lines, the well-known fields first; never the secret. */
function clientLines(client: ClientView): string[] {
  const rank = (key: string) =>
    FIRST_FIELDS.includes(key) ? FIRST_FIELDS.indexOf(key) : FIRST_FIELDS.length;
  const rows = Object.entries(client)
    .filter(([key]) => key !== 'client_secret')
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([key, value]): [string, string] => [key, display(value)]);
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`);
}

export function display(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(' ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function tableLines(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

export function summarizeUris(value: unknown): string {
  if (!Array.isArray(value) || !value.length) return '';
  return value.length === 1 ? String(value[0]) : `${value[0]} (+${value.length - 1})`;
}
