/**
 * Manage relying parties (OIDC clients) from the command line, on the configured store: the same
 * client registry and rules as the admin API (/admin/api), without HTTP.
 *
 *   npm run clients -- create --name "Sales site" --redirect-uri https://sales.example.com/callback \
 *       --scope "openid profile phone national_id offline_access" --grant-types authorization_code,refresh_token
 *   npm run clients -- list [--json]
 *   npm run clients -- show <client_id> [--json]
 *   npm run clients -- update <client_id> [--file metadata.json] [flags…]
 *   npm run clients -- delete <client_id> --yes
 *   npm run clients -- rotate-secret <client_id>
 *   npm run clients -- initial-access-token [--expires-in 86400]
 *   npm run clients -- audit [--limit 50]
 *
 * It needs the shared store (REDIS_URL, or REDIS_CLUSTER_NODES / REDIS_SENTINELS, and the same
 * REDIS_KEY_PREFIX as the server): with the in-memory store the clients live inside the running
 * server only, so use the admin API there. Changes are audited with who = "cli".
 */
import 'dotenv/config';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { type Config, ConfigError, loadConfig } from '../config/load.js';
import { createConsentIndex } from '../src/accounts/consent-index.js';
import { createClientRegistryFor, registrationFeature } from '../src/admin/admin.js';
import type { Actor, AdminAudit } from '../src/admin/audit.js';
import { ClientMetadataError, isJsonObject } from '../src/admin/client-metadata-validation.js';
import {
  AdminRequestError,
  ClientNotFoundError,
  type ClientRegistry,
  type ClientView,
} from '../src/admin/client-registry.js';
import { generateSigningKeySet } from '../src/keys/signing-keys.js';
import { createOidcRecords } from '../src/oidc/oidc-records.js';
import { createProvider } from '../src/oidc/provider.js';
import { StoreAdapter } from '../src/oidc/store-adapter.js';
import { RedisStore } from '../src/store/redis-store.js';
import { type Store, StoreUnavailableError } from '../src/store/store.js';

const USAGE = `Usage: npm run clients -- <command> [options]

Commands:
  create                     register a client (prints its client_secret once)
  list                       all clients registered through the registry
  show <client_id>           one client's metadata (never its secret)
  update <client_id>         full replace of the metadata (the secret is kept); without --file
                             the current metadata is the base and the flags change it
  delete <client_id> --yes   delete a client and revoke its grants and tokens
  rotate-secret <client_id>  new client_secret; the old one works for SECRET_ROTATION_GRACE_SECONDS
  initial-access-token       a token for dynamic registration at /reg (one client per token)
  audit                      the newest admin changes

Metadata (create, update):
  --file <path|->            RFC 7591 client metadata as JSON (- reads stdin); flags override it
  --name <text>              client_name
  --redirect-uri <url>       redirect_uris (repeat for several)
  --post-logout-redirect-uri <url>   post_logout_redirect_uris (repeatable)
  --backchannel-logout-uri <url>
  --scope "<scopes>"         allowed scopes: openid offline_access profile phone national_id
  --grant-types <a,b>        authorization_code[,refresh_token]
  --auth-method <method>     client_secret_basic (default) | client_secret_post | private_key_jwt | none
  --jwks-uri <url>           for private_key_jwt
  --subject-type <type>      public | pairwise
  --sector-identifier-uri <url>
  --application-type <type>  web | native

Other options:
  --json                     machine-readable output (errors too, on stdout)
  --expires-in <seconds>     initial-access-token lifetime (default 86400)
  --limit <n>                audit entries (default 50)
  --yes                      confirm delete
  -h, --help

Exit status: 0 done, 1 refused (invalid metadata, unknown client…), 2 usage, 69 store unavailable,
78 configuration (e.g. no REDIS_URL).`;

class UsageError extends Error {}

const options = {
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  file: { type: 'string', short: 'f' },
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'backchannel-logout-uri': { type: 'string' },
  scope: { type: 'string' },
  'grant-types': { type: 'string' },
  'auth-method': { type: 'string' },
  'jwks-uri': { type: 'string' },
  'subject-type': { type: 'string' },
  'sector-identifier-uri': { type: 'string' },
  'application-type': { type: 'string' },
  'expires-in': { type: 'string' },
  limit: { type: 'string' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

const ACTOR: Actor = { who: 'cli' };
const SERVER_FIELDS = ['client_id', 'client_id_issued_at', 'client_secret_expires_at', 'client_secret'];

async function main(argv: string[]): Promise<number> {
  let parsed: { values: Flags; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (flags.help || !command || command === 'help') {
    console.log(USAGE);
    return command || flags.help ? 0 : 2;
  }
  const json = Boolean(flags.json);

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  if (config.store.kind === 'memory') {
    console.error(
      'clients: no shared store configured. Set REDIS_URL (or REDIS_CLUSTER_NODES / REDIS_SENTINELS) and the\n' +
        "server's REDIS_KEY_PREFIX: with the in-memory store, clients live inside the running server only —\n" +
        'use its admin API instead (docs/admin.md).',
    );
    return 78;
  }

  const store = new RedisStore(
    {
      url: config.store.url,
      clusterNodes: config.store.clusterNodes,
      sentinels: config.store.sentinels,
      sentinelName: config.store.sentinelName,
      keyPrefix: config.store.keyPrefix,
    },
    Date.now,
  );
  try {
    const { registry, audit } = await openRegistry(config, store);
    return await run(command, rest, flags, { registry, audit, json });
  } catch (error) {
    return report(error, json);
  } finally {
    await store.close().catch(() => {});
  }
}

/**
 * The registry on a provider instance built like the server's (same issuer, scopes, client
 * defaults and registration policy), so the CLI validates exactly as the admin API does and its
 * initial access tokens work at /reg. Its signing and cookie keys are throwaway: it signs nothing.
 */
async function openRegistry(
  config: Config,
  store: Store,
): Promise<{ registry: ClientRegistry; audit: AdminAudit }> {
  const records = createOidcRecords(store);
  const provider = createProvider({
    issuer: config.issuer,
    production: config.production,
    trustProxy: config.trustProxy,
    proxyHops: config.proxyHops,
    adapter: StoreAdapter.factory(store, Date.now),
    now: Date.now,
    signingKeys: await generateSigningKeySet(),
    cookieKeys: [randomBytes(32).toString('base64url')],
    pairwiseSalt: randomBytes(32),
    staticClients: [],
    ttl: config.ttl,
    findPerson: async () => undefined,
    consents: createConsentIndex(store),
    pages: {
      renderError: async () => {},
      logoutSource: async () => {},
      postLogoutSuccessSource: async () => {},
    },
    registration: registrationFeature({ records, production: config.production }),
  });
  return createClientRegistryFor({
    store,
    records,
    provider,
    config: { production: config.production, secretRotationGraceSeconds: config.secretRotationGraceSeconds },
    logger: pino({ level: 'warn' }, pino.destination(2)),
    now: Date.now,
  });
}

interface Context {
  registry: ClientRegistry;
  audit: AdminAudit;
  json: boolean;
}

async function run(command: string, args: string[], flags: Flags, ctx: Context): Promise<number> {
  const { registry, json } = ctx;
  const clientId = () => {
    const id = args[0];
    if (!id) throw new UsageError(`${command} needs a client_id`);
    return id;
  };
  switch (command) {
    case 'create': {
      const metadata = await metadataFrom(flags, {});
      if (!Object.keys(metadata).length)
        throw new UsageError('create needs --file or metadata flags (at least --redirect-uri)');
      const created = await registry.create(metadata, ACTOR);
      if (json) return out(created);
      console.log(`Created client ${created.client_id}`);
      if (created.client_secret) {
        console.log(`  client_secret: ${created.client_secret}`);
        console.log('  (shown this once: store it in the relying party now)');
      }
      printClient(created);
      return 0;
    }
    case 'list': {
      const clients = await registry.list();
      if (json) return out({ clients });
      printTable(
        ['CLIENT_ID', 'NAME', 'AUTH', 'REDIRECT_URIS', 'ISSUED'],
        clients.map((c) => [
          c.client_id,
          String(c.client_name ?? ''),
          String(c.token_endpoint_auth_method ?? ''),
          summarizeUris(c.redirect_uris),
          typeof c.client_id_issued_at === 'number'
            ? new Date(c.client_id_issued_at * 1000).toISOString().slice(0, 10)
            : '',
        ]),
      );
      if (!clients.length) console.log('(no clients)');
      return 0;
    }
    case 'show': {
      const client = await registry.get(clientId());
      if (!client) throw new ClientNotFoundError(clientId());
      if (json) return out(client);
      printClient(client);
      return 0;
    }
    case 'update': {
      const id = clientId();
      let base: Record<string, unknown> = {};
      if (!flags.file) {
        const current = await registry.get(id);
        if (!current) throw new ClientNotFoundError(id);
        base = Object.fromEntries(Object.entries(current).filter(([key]) => !SERVER_FIELDS.includes(key)));
      }
      const updated = await registry.replace(id, await metadataFrom(flags, base), ACTOR);
      if (json) return out(updated);
      console.log(`Updated client ${id}`);
      if (typeof updated.client_secret === 'string') {
        console.log(`  client_secret: ${updated.client_secret}`);
        console.log('  (issued now because the new auth method needs one; shown this once)');
      }
      printClient(updated);
      return 0;
    }
    case 'delete': {
      const id = clientId();
      if (!flags.yes)
        throw new UsageError(`delete revokes every grant and token of ${id}: add --yes to confirm`);
      if (!(await registry.delete(id, ACTOR))) throw new ClientNotFoundError(id);
      if (json) return out({ deleted: id });
      console.log(`Deleted client ${id}; its grants and tokens are revoked.`);
      return 0;
    }
    case 'rotate-secret': {
      const rotated = await registry.rotateSecret(clientId(), ACTOR);
      if (json) return out(rotated);
      console.log(`New client_secret for ${rotated.client_id}: ${rotated.client_secret}`);
      console.log(
        `The previous secret keeps working until ${new Date(rotated.previous_secret_expires_at * 1000).toISOString()}.`,
      );
      return 0;
    }
    case 'initial-access-token': {
      const expiresIn = flags['expires-in'] === undefined ? undefined : Number(flags['expires-in']);
      const issued = await registry.issueInitialAccessToken(expiresIn, ACTOR);
      if (json) return out(issued);
      console.log(`Initial access token (registers one client at /reg, valid ${issued.expires_in} s):`);
      console.log(`  ${issued.initial_access_token}`);
      return 0;
    }
    case 'audit': {
      const limit = flags.limit === undefined ? 50 : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be 1..1000');
      const entries = await ctx.audit.recent(limit);
      if (json) return out({ entries });
      printTable(
        ['AT', 'WHO', 'ACTION', 'CLIENT_ID', 'DETAIL'],
        entries.map((e) => [e.at, e.who, e.action, e.client_id ?? '', e.detail ?? '']),
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function metadataFrom(flags: Flags, base: Record<string, unknown>): Promise<Record<string, unknown>> {
  let metadata: Record<string, unknown> = { ...base };
  if (flags.file) {
    const text = flags.file === '-' ? await readStdin() : await readFile(flags.file, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${flags.file}: not JSON (${(error as Error).message})`);
    }
    if (!isJsonObject(parsed))
      throw new UsageError(`${flags.file}: expected a JSON object of client metadata`);
    metadata = parsed;
  }
  const set = (field: string, value: unknown) => {
    if (value !== undefined) metadata[field] = value;
  };
  set('client_name', flags.name);
  set('redirect_uris', flags['redirect-uri']);
  set('post_logout_redirect_uris', flags['post-logout-redirect-uri']);
  set('backchannel_logout_uri', flags['backchannel-logout-uri']);
  set('scope', flags.scope);
  set(
    'grant_types',
    flags['grant-types']
      ?.split(',')
      .map((value) => value.trim())
      .filter(Boolean),
  );
  set('token_endpoint_auth_method', flags['auth-method']);
  set('jwks_uri', flags['jwks-uri']);
  set('subject_type', flags['subject-type']);
  set('sector_identifier_uri', flags['sector-identifier-uri']);
  set('application_type', flags['application-type']);
  return metadata;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function out(value: unknown): number {
  console.log(JSON.stringify(value, null, 2));
  return 0;
}

function report(error: unknown, json: boolean): number {
  let body: { error: string; error_description?: string };
  let status = 1;
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\nRun "npm run clients -- --help" for the commands.`);
    return 2;
  }
  if (error instanceof ClientMetadataError)
    body = { error: error.error, error_description: error.description };
  else if (error instanceof ClientNotFoundError)
    body = { error: 'not_found', error_description: `no client ${error.clientId}` };
  else if (error instanceof AdminRequestError)
    body = { error: error.error, error_description: error.description };
  else if (error instanceof StoreUnavailableError) {
    body = {
      error: 'temporarily_unavailable',
      error_description: `the store is unavailable: ${error.message}`,
    };
    status = 69;
  } else {
    body = { error: 'server_error', error_description: (error as Error)?.message ?? String(error) };
  }
  if (json) console.log(JSON.stringify(body, null, 2));
  else console.error(`error: ${body.error}${body.error_description ? `: ${body.error_description}` : ''}`);
  return status;
}

function summarizeUris(value: unknown): string {
  if (!Array.isArray(value) || !value.length) return '';
  return value.length === 1 ? String(value[0]) : `${value[0]} (+${value.length - 1})`;
}

const FIRST_FIELDS = ['client_id', 'client_name', 'redirect_uris', 'post_logout_redirect_uris', 'scope'];

function printClient(client: ClientView): void {
  const rank = (key: string) =>
    FIRST_FIELDS.includes(key) ? FIRST_FIELDS.indexOf(key) : FIRST_FIELDS.length;
  const rows = Object.entries(client)
    .filter(([key]) => key !== 'client_secret')
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([key, value]): [string, string] => [key, display(value)]);
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) console.log(`  ${key.padEnd(width)}  ${value}`);
}

function display(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(' ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

process.exitCode = await main(process.argv.slice(2));
