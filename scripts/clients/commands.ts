import type { AuditStream, ClientsBackend } from './backend.js';
import { UsageError } from './errors.js';
import { editableMetadata, metadataFrom } from './metadata.js';
import type { Flags } from './options.js';
import { display, type Output, summarizeUris } from './output.js';

export interface CommandContext {
  backend: ClientsBackend;
  out: Output;
  flags: Flags;
  /** The positional arguments after the command's name. */
  args: string[];
  readStdin(): Promise<string>;
}

type Command = (ctx: CommandContext) => Promise<void>;

const clientIdOf = (name: string, ctx: CommandContext): string => {
  const id = ctx.args[0];
  if (!id) throw new UsageError(`${name} needs a client_id`);
  if (ctx.args.length > 1) throw new UsageError(`${name} takes one client_id`);
  return id;
};

const noArguments = (name: string, ctx: CommandContext) => {
  if (ctx.args.length) throw new UsageError(`${name} takes no arguments (got "${ctx.args.join(' ')}")`);
};

function integerFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

/** Each command: what it sends, and what it prints (the secret only where it is issued). */
export const COMMANDS: Record<string, Command> = {
  async create(ctx) {
    noArguments('create', ctx);
    const metadata = await metadataFrom(ctx.flags, {}, ctx.readStdin);
    if (!Object.keys(metadata).length)
      throw new UsageError('create needs --file or metadata flags (at least --redirect-uri)');
    const created = await ctx.backend.create(metadata);
    if (ctx.out.json) return ctx.out.document(created);
    ctx.out.line(`Created client ${created.client_id}`);
    if (typeof created.client_secret === 'string') {
      ctx.out.line(`  client_secret: ${created.client_secret}`);
      ctx.out.line('  (shown this once: store it in the relying party now)');
    }
    ctx.out.client(created);
  },

  async list(ctx) {
    noArguments('list', ctx);
    const clients = await ctx.backend.list();
    if (ctx.out.json) return ctx.out.document({ clients });
    ctx.out.table(
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
    if (!clients.length) ctx.out.line('(no clients)');
  },

  async show(ctx) {
    const client = await ctx.backend.get(clientIdOf('show', ctx));
    if (ctx.out.json) return ctx.out.document(client);
    ctx.out.client(client);
  },

  async update(ctx) {
    const id = clientIdOf('update', ctx);
    const base = ctx.flags.file ? {} : editableMetadata(await ctx.backend.get(id));
    const updated = await ctx.backend.replace(id, await metadataFrom(ctx.flags, base, ctx.readStdin));
    if (ctx.out.json) return ctx.out.document(updated);
    ctx.out.line(`Updated client ${id}`);
    if (typeof updated.client_secret === 'string') {
      ctx.out.line(`  client_secret: ${updated.client_secret}`);
      ctx.out.line('  (issued now because the new auth method needs one; shown this once)');
    }
    ctx.out.client(updated);
  },

  async delete(ctx) {
    const id = clientIdOf('delete', ctx);
    if (!ctx.flags.yes)
      throw new UsageError(`delete revokes every grant and token of ${id}: add --yes to confirm`);
    await ctx.backend.delete(id);
    if (ctx.out.json) return ctx.out.document({ deleted: id });
    ctx.out.line(`Deleted client ${id}; its grants and tokens are revoked.`);
  },

  async 'rotate-secret'(ctx) {
    const rotated = await ctx.backend.rotateSecret(clientIdOf('rotate-secret', ctx));
    if (ctx.out.json) return ctx.out.document(rotated);
    ctx.out.line(`New client_secret for ${rotated.client_id}: ${rotated.client_secret}`);
    ctx.out.line('  (shown this once: store it in the relying party now)');
    ctx.out.line(
      `The previous secret keeps working until ${new Date(rotated.previous_secret_expires_at * 1000).toISOString()}.`,
    );
  },

  async 'initial-access-token'(ctx) {
    noArguments('initial-access-token', ctx);
    const expiresIn = integerFlag(ctx.flags['expires-in'], 'expires-in', 1, Number.MAX_SAFE_INTEGER);
    const issued = await ctx.backend.issueInitialAccessToken(expiresIn);
    if (ctx.out.json) return ctx.out.document(issued);
    ctx.out.line(`Initial access token (registers one client at /reg, valid ${issued.expires_in} s):`);
    ctx.out.line(`  ${issued.initial_access_token}`);
  },

  async audit(ctx) {
    noArguments('audit', ctx);
    const limit = integerFlag(ctx.flags.limit, 'limit', 1, 1000) ?? 50;
    const stream = ctx.flags.stream ?? 'admin';
    if (stream !== 'admin' && stream !== 'security')
      throw new UsageError('--stream must be admin or security');
    const entries = await ctx.backend.audit(limit, stream satisfies AuditStream);
    if (ctx.out.json) return ctx.out.document({ entries });
    const text = (value: unknown) => (value === undefined || value === null ? '' : display(value));
    if (stream === 'admin') {
      ctx.out.table(
        ['AT', 'WHO', 'ACTION', 'CLIENT_ID', 'DETAIL'],
        entries.map((entry) => {
          const e = entry as Record<string, unknown>;
          return [e.at, e.who, e.action, e.client_id, e.detail].map(text);
        }),
      );
    } else {
      // Security events: the type, and the event's own fields (never a code or a token).
      ctx.out.table(
        ['AT', 'TYPE', 'DETAIL'],
        entries.map((entry) => {
          const { at, type, id: _id, request_id: _request, ...rest } = entry as Record<string, unknown>;
          const detail = Object.entries(rest).map(([key, value]) => `${key}=${text(value)}`);
          return [text(at), text(type), detail.join(' ')];
        }),
      );
    }
  },

  async backchannel(ctx) {
    const id = clientIdOf('backchannel', ctx);
    const state = await ctx.backend.backchannelLogout(id);
    if (ctx.out.json) return ctx.out.document(state);
    const rows = Object.entries(state).map(([key, value]) => [key, value === null ? '-' : display(value)]);
    const width = Math.max(...rows.map(([key]) => key?.length ?? 0));
    for (const [key, value] of rows) ctx.out.line(`  ${(key ?? '').padEnd(width)}  ${value}`);
  },
};
