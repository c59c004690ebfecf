import { join } from 'node:path';
import { ADMIN_TOKEN_FILE, readToken } from '../../src/keys/development-admin-token.js';
import { CliError, EXIT, UsageError } from './errors.js';

/** Which server the command line talks to, and with which admin token. */
export interface Connection {
  server: URL;
  /**
   * Undefined when none was found: the server is still asked (without one), so the person learns
   * first whether it runs at all and whether its admin API is on.
   */
  token: string | undefined;
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string;
}

export interface ConnectionFlags {
  server?: string | undefined;
  tokenFile?: string | undefined;
  allowHttp?: boolean | undefined;
}

/**
 * The server: --server, else DARVAZE_SERVER, else the local one `npm start` runs (PORT and HOST
 * as the server reads them). The token: --token-file, else ADMIN_TOKEN, else — only for a server
 * on this machine — the one a development `npm start` generated into DATA_DIR/admin-token.
 * A token is never sent in clear over the network: plain http is for loopback unless --allow-http.
 */
export async function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<Connection> {
  const server = serverOf(flags.server ?? env.DARVAZE_SERVER ?? localServer(env));
  if (server.protocol === 'http:' && !isLoopback(server) && !flags.allowHttp) {
    throw new UsageError(
      `refusing to send the admin token to ${server.origin} over plain http: use https ` +
        '(or --allow-http on a private network you trust)',
    );
  }
  if (flags.tokenFile) {
    const token = await tokenFromFile(flags.tokenFile);
    if (token === undefined) throw noToken(`${flags.tokenFile} does not exist`);
    return { server, token, tokenSource: flags.tokenFile };
  }
  if (env.ADMIN_TOKEN) return { server, token: env.ADMIN_TOKEN, tokenSource: 'ADMIN_TOKEN' };
  if (isLoopback(server)) {
    const file = join(env.DATA_DIR || 'data', ADMIN_TOKEN_FILE);
    const token = await tokenFromFile(file);
    if (token !== undefined) return { server, token, tokenSource: file };
  }
  return { server, token: undefined, tokenSource: 'nowhere' };
}

/** Said when the server wants a token and none was found. */
export const NO_TOKEN_HINT =
  'set ADMIN_TOKEN to the server\'s, or use --token-file; a development "npm start" on this ' +
  'machine writes one to data/admin-token, found without either';

function serverOf(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--server ${value}: not a URL (e.g. https://login.example.ir)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--server ${value}: must be an http(s) URL`);
  if (url.username || url.password || url.search || url.hash)
    throw new UsageError(`--server ${value}: no credentials, query or fragment`);
  return url;
}

/** Where `npm start` listens with these settings; a wildcard HOST is reached on loopback. */
function localServer(env: NodeJS.ProcessEnv): string {
  const host = env.HOST && !['0.0.0.0', '::', '[::]'].includes(env.HOST) ? env.HOST : '127.0.0.1';
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${hostPart}:${env.PORT || 3000}`;
}

export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function tokenFromFile(file: string): Promise<string | undefined> {
  try {
    return await readToken(file);
  } catch (error) {
    throw noToken((error as Error).message);
  }
}

const noToken = (why: string) => new CliError(EXIT.unauthorized, 'no_admin_token', `no admin token: ${why}`);
