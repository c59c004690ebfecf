import type { parseArgs } from 'node:util';

/** Every flag the command line accepts (node:util parseArgs, strict). */
export const OPTIONS = {
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // Where and how to reach the server.
  server: { type: 'string' },
  'token-file': { type: 'string' },
  'allow-http': { type: 'boolean' },
  offline: { type: 'boolean' },
  // Client metadata.
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
  // Other commands.
  'expires-in': { type: 'string' },
  limit: { type: 'string' },
  stream: { type: 'string' },
} as const;

export type Flags = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

export const USAGE = `Usage: npm run clients -- <command> [options]

Talks to a running Darvaze server through its admin API (/admin/api): the local one by default.

Commands:
  create                      register a client (prints its client_secret once)
  list                        all clients registered through the registry
  show <client_id>            one client's metadata (never its secret)
  update <client_id>          full replace of the metadata (the secret is kept); without --file
                              the current metadata is the base and the flags change it
  delete <client_id> --yes    delete a client and revoke its grants and tokens
  rotate-secret <client_id>   new client_secret; the old one works for SECRET_ROTATION_GRACE_SECONDS
  initial-access-token        a token for dynamic registration at /reg (one client per token)
  audit                       the newest admin changes (--stream security: sign-ins, lockouts…)
  backchannel <client_id>     back-channel logout delivery state of a client

Server and token:
  --server <url>              the server (default DARVAZE_SERVER, else http://127.0.0.1:$PORT, 3000)
  --token-file <path>         read the admin token from this file
                              default: ADMIN_TOKEN, else (local server only) data/admin-token,
                              which a development "npm start" generates
  --allow-http                send the token over plain http to a non-loopback server
  --offline                   no server: use the shared store directly (REDIS_URL… and the
                              server's REDIS_KEY_PREFIX; not with the embedded store)

Metadata (create, update):
  --file <path|->             RFC 7591 client metadata as JSON (- reads stdin); flags override it
  --name <text>               client_name
  --redirect-uri <url>        redirect_uris (repeat for several)
  --post-logout-redirect-uri <url>   post_logout_redirect_uris (repeatable)
  --backchannel-logout-uri <url>
  --scope "<scopes>"          allowed scopes: openid offline_access profile phone national_id
  --grant-types <a,b>         authorization_code[,refresh_token]
  --auth-method <method>      client_secret_basic (default) | client_secret_post | private_key_jwt | none
  --jwks-uri <url>            for private_key_jwt
  --subject-type <type>       public | pairwise
  --sector-identifier-uri <url>
  --application-type <type>   web | native

Other options:
  --json                      one JSON document on stdout (errors too: {"error","error_description"})
  --expires-in <seconds>      initial-access-token lifetime (default 86400)
  --limit <n>                 audit entries (default 50)
  --stream admin|security     audit stream (default admin)
  --yes                       confirm delete
  -h, --help

Exit status: 0 done, 1 refused (invalid metadata, unknown client…), 2 cannot reach the server,
3 admin token missing or refused (or the admin API is off), 64 usage, 69 server or store
unavailable, 78 configuration (--offline without a shared store).`;
