import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from '../../scripts/lib/ports.js';

/** Debian's Apache and its modules (apt-get install apache2 libapache2-mod-auth-openidc). */
export const APACHE_PATH = process.env.APACHE_PATH ?? '/usr/sbin/apache2';
export const APACHE_MODULES = process.env.APACHE_MODULES ?? '/usr/lib/apache2/modules';

export const MOD_AUTH_OPENIDC_MISSING = `mod_auth_openidc tests skipped: no ${APACHE_PATH} with ${APACHE_MODULES}/mod_auth_openidc.so (apt-get install apache2 libapache2-mod-auth-openidc, or set APACHE_PATH and APACHE_MODULES)`;

export function modAuthOpenidcAvailable(): boolean {
  return existsSync(APACHE_PATH) && existsSync(join(APACHE_MODULES, 'mod_auth_openidc.so'));
}

/** In a `before` hook: skips the suite, saying why, when there is no Apache with mod_auth_openidc. */
export function skipWithoutModAuthOpenidc(suite: Mocha.Context): void {
  if (modAuthOpenidcAvailable()) return;
  console.warn(`      ${MOD_AUTH_OPENIDC_MISSING}`);
  suite.skip();
}

/** The protected app: a CGI script that prints what mod_auth_openidc handed it, one `NAME=value` a line. */
const APP_CGI = `#!/bin/sh
printf 'Content-Type: text/plain; charset=utf-8\\r\\n\\r\\n'
env | grep -E '^(OIDC_|REMOTE_USER=)' | sort
`;
const BYE_CGI = `#!/bin/sh
printf 'Content-Type: text/plain; charset=utf-8\\r\\n\\r\\nsigned out\\n'
`;

export interface ApacheSite {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The protected app (prints the claims it received). */
  appUrl: string;
  /** mod_auth_openidc's redirect URI (also its logout, back-channel logout and refresh endpoint). */
  redirectUri: string;
  /** Where people land after signing out. */
  loggedOutUrl: string;
  /** Client metadata to register this site with the provider. */
  client: Record<string, unknown>;
  /** The httpd.conf written for the provider (what docs/integration.md shows). */
  config(): Promise<string>;
  start(issuer: string): Promise<void>;
  errorLog(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Apache httpd with mod_auth_openidc as a relying party nobody here wrote: its own config,
 * ServerRoot, pid file and logs in a temporary folder, in the foreground on a free loopback
 * port, protecting a CGI script. Prepare it (for its client metadata), register the client,
 * then `start(issuer)`.
 */
export async function prepareApacheSite(
  options: { clientId?: string; clientSecret?: string; scope?: string } = {},
): Promise<ApacheSite> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'darvaze-apache-'));
  // Run as root (CI), Apache's children switch to www-data: they must reach the CGI scripts.
  await chmod(dir, 0o755);
  const clientId = options.clientId ?? 'apache';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('hex');
  const scope = options.scope ?? 'openid profile phone offline_access';
  const redirectUri = `${origin}/protected/redirect_uri`;
  const loggedOutUrl = `${origin}/bye`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const errorLog = () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');

  const httpdConf = (issuer: string) => `# Written by test/helpers/apache-openidc.ts
ServerRoot "${dir}"
DefaultRuntimeDir "${dir}"
PidFile "${dir}/httpd.pid"
ErrorLog "${dir}/error.log"
LogLevel warn auth_openidc:info
Listen 127.0.0.1:${port}
ServerName 127.0.0.1:${port}
LoadModule mpm_prefork_module ${APACHE_MODULES}/mod_mpm_prefork.so
LoadModule authn_core_module ${APACHE_MODULES}/mod_authn_core.so
LoadModule authz_core_module ${APACHE_MODULES}/mod_authz_core.so
LoadModule authz_user_module ${APACHE_MODULES}/mod_authz_user.so
LoadModule alias_module ${APACHE_MODULES}/mod_alias.so
LoadModule cgi_module ${APACHE_MODULES}/mod_cgi.so
LoadModule auth_openidc_module ${APACHE_MODULES}/mod_auth_openidc.so
StartServers 1
MinSpareServers 1
MaxSpareServers 2
MaxRequestWorkers 8
${process.getuid?.() === 0 ? 'User www-data\nGroup www-data\n' : ''}
ScriptAlias /protected/app "${dir}/app.cgi"
ScriptAlias /bye "${dir}/bye.cgi"

# ---- mod_auth_openidc: the relying party ----
OIDCProviderMetadataURL ${issuer}/.well-known/openid-configuration
OIDCClientID ${clientId}
OIDCClientSecret ${clientSecret}
OIDCRedirectURI ${redirectUri}
OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}
OIDCScope "${scope}"
# A refresh token needs offline_access and prompt=consent (docs/integration.md section 13).
OIDCAuthRequestParams prompt=consent
OIDCPKCEMethod S256
OIDCCookieSameSite On
OIDCPassClaimsAs environment
OIDCDefaultLoggedOutURL ${loggedOutUrl}

<Location /protected>
  AuthType openid-connect
  Require valid-user
</Location>
`;

  return {
    origin,
    appUrl: `${origin}/protected/app`,
    redirectUri,
    loggedOutUrl,
    client: {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: 'Apache mod_auth_openidc',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [loggedOutUrl],
      backchannel_logout_uri: `${redirectUri}?logout=backchannel`,
      backchannel_logout_session_required: true,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope,
    },
    config: () => readFile(join(dir, 'httpd.conf'), 'utf8'),
    async start(issuer) {
      await writeFile(join(dir, 'httpd.conf'), httpdConf(issuer));
      await writeFile(join(dir, 'app.cgi'), APP_CGI, { mode: 0o755 });
      await writeFile(join(dir, 'bye.cgi'), BYE_CGI, { mode: 0o755 });
      const started = spawn(APACHE_PATH, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        // Its own process group: on SIGTERM Apache signals its whole group, which would
        // otherwise be the test runner's.
        detached: true,
      });
      // Before the error log is open, Apache complains (a config error) on stderr.
      let stderr = '';
      started.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child = started;
      // Detached, it would outlive a test run that ends without its after hooks.
      const stopOnExit = () => started.kill('SIGTERM');
      process.once('exit', stopOnExit);
      started.once('exit', () => process.off('exit', stopOnExit));
      exited = new Promise((resolve) => started.once('exit', resolve));
      const up = async () => started.exitCode !== null || (await fetch(loggedOutUrl)).ok;
      await waitUntil(`Apache on ${origin}`, up, { timeoutMs: 15_000 }).catch(() => undefined);
      if (started.exitCode !== null || !(await up().catch(() => false)))
        throw new Error(`apache2 did not start (exit ${started.exitCode}):\n${stderr}${await errorLog()}`);
    },
    errorLog,
    async close() {
      // Only the process this helper started (SIGTERM: Apache stops its children, then itself).
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
