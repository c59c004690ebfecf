import type { ClientView, IssuedInitialAccessToken, RotatedSecret } from '../../src/admin/client-registry.js';
import type { AuditStream, ClientsBackend } from './backend.js';
import { type Connection, NO_TOKEN_HINT } from './connection.js';
import { CliError, EXIT, notFound } from './errors.js';

const ADMIN_PREFIX = '/admin/api';
const DEFAULT_TIMEOUT_MS = 15_000;

interface Answer {
  status: number;
  body: unknown;
}

/**
 * The admin API of a running server (/admin/api, docs/contracts.md §2.7) as a ClientsBackend,
 * so the command line works whatever store the server has (the embedded one included).
 * Every failure becomes a CliError that says what to do; the token never appears in one.
 */
export function adminApiBackend(connection: Connection, timeoutMs = DEFAULT_TIMEOUT_MS): ClientsBackend {
  const base = connection.server.href.replace(/\/+$/, '');
  const where = connection.server.origin + connection.server.pathname.replace(/\/+$/, '');

  async function send(method: string, path: string, body?: unknown): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${base}${ADMIN_PREFIX}${path}`, {
        method,
        headers: {
          ...(connection.token === undefined ? {} : { authorization: `Bearer ${connection.token}` }),
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A redirect would carry the token elsewhere: the admin API never redirects.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CliError(
        EXIT.unreachable,
        'unreachable',
        `cannot reach ${where} (${reasonOf(error, timeoutMs)}). Is the server running? ` +
          'Start it with "npm start", or point at it with --server URL.',
      );
    }
    const text = await response.text();
    let parsed: unknown;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || !response.headers.get('content-type')?.includes('json')) {
        throw new CliError(
          EXIT.unreachable,
          'unexpected_answer',
          `cannot reach the admin API at ${where}: it answered ${response.status} ` +
            `${response.headers.get('content-type') ?? 'without a content type'}, not JSON. ` +
            'Is --server the Darvaze provider itself?',
        );
      }
    }
    return { status: response.status, body: parsed };
  }

  /** Sends, and turns every answer but the expected success into a CliError. */
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; clientId?: string } = {},
  ): Promise<unknown> {
    // Without a token nothing is changed: only the list is asked, to explain what is missing.
    if (connection.token === undefined && (method !== 'GET' || path !== '/clients'))
      await call('GET', '/clients');
    const answer = await send(method, path, options.body);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    const { error, description } = errorOf(answer);
    if (answer.status === 401 && connection.token === undefined) {
      throw new CliError(
        EXIT.unauthorized,
        'no_admin_token',
        `${where} needs the admin token: ${NO_TOKEN_HINT}`,
      );
    }
    if (answer.status === 401) {
      throw new CliError(
        EXIT.unauthorized,
        'invalid_token',
        `the admin token was refused by ${where} (token from ${connection.tokenSource}). ` +
          "Use the server's ADMIN_TOKEN (or --token-file); a development server's is in its data folder.",
      );
    }
    if (answer.status === 404) {
      // Without ADMIN_TOKEN the server answers 404 everywhere, even to the list that always exists.
      const disabled = path === '/clients' || (await send('GET', '/clients')).status === 404;
      if (disabled) {
        throw new CliError(
          EXIT.unauthorized,
          'admin_api_disabled',
          `the admin API is not enabled on ${where}: start the server with ADMIN_TOKEN set ` +
            '(a development "npm start" enables it with a generated token).',
        );
      }
      if (options.clientId !== undefined) throw notFound(options.clientId);
    }
    if (answer.status >= 500) {
      throw new CliError(EXIT.unavailable, error ?? 'server_error', description ?? `HTTP ${answer.status}`);
    }
    if (answer.status >= 300 && answer.status < 400) {
      throw new CliError(
        EXIT.unreachable,
        'unexpected_answer',
        `${where} answered with a redirect (${answer.status}): give its final address as --server`,
      );
    }
    throw new CliError(EXIT.refused, error ?? 'invalid_request', description ?? `HTTP ${answer.status}`);
  }

  const clientPath = (clientId: string) => `/clients/${encodeURIComponent(clientId)}`;

  return {
    async list() {
      return ((await call('GET', '/clients')) as { clients: ClientView[] }).clients;
    },
    async get(clientId) {
      return (await call('GET', clientPath(clientId), { clientId })) as ClientView;
    },
    async create(metadata) {
      return (await call('POST', '/clients', { body: metadata })) as ClientView;
    },
    async replace(clientId, metadata) {
      return (await call('PUT', clientPath(clientId), { body: metadata, clientId })) as ClientView;
    },
    async delete(clientId) {
      await call('DELETE', clientPath(clientId), { clientId });
    },
    async rotateSecret(clientId) {
      return (await call('POST', `${clientPath(clientId)}/secret`, { clientId })) as RotatedSecret;
    },
    async issueInitialAccessToken(expiresIn) {
      const body = expiresIn === undefined ? {} : { expires_in: expiresIn };
      return (await call('POST', '/initial-access-tokens', { body })) as IssuedInitialAccessToken;
    },
    async audit(limit: number, stream: AuditStream) {
      const query = new URLSearchParams({ limit: String(limit), stream });
      return ((await call('GET', `/audit?${query}`)) as { entries: unknown[] }).entries;
    },
    async backchannelLogout(clientId) {
      const path = `${clientPath(clientId)}/backchannel-logout`;
      return (await call('GET', path, { clientId })) as Record<string, unknown>;
    },
    async close() {},
  };
}

function errorOf(answer: Answer): { error?: string; description?: string } {
  const body = answer.body as { error?: unknown; error_description?: unknown } | undefined;
  return {
    ...(typeof body?.error === 'string' ? { error: body.error } : {}),
    ...(typeof body?.error_description === 'string' ? { description: body.error_description } : {}),
  };
}

/** A short, human reason for a failed connection (ECONNREFUSED, a timeout, an unknown host…). */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `no answer in ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') {
    const known: Record<string, string> = {
      ECONNREFUSED: 'connection refused',
      ENOTFOUND: 'unknown host',
      EAI_AGAIN: 'host name lookup failed',
      ECONNRESET: 'connection reset',
      EHOSTUNREACH: 'host unreachable',
      ETIMEDOUT: 'connection timed out',
    };
    return known[cause.code] ?? cause.code;
  }
  return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
}
