import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, waitUntil } from '../../scripts/lib/ports.js';

/** Debian's Python with its Authlib and Flask packages (apt-get install python3-authlib python3-flask). */
export const AUTHLIB_PYTHON = process.env.AUTHLIB_PYTHON ?? '/usr/bin/python3';

export const AUTHLIB_MISSING = `Authlib tests skipped: ${AUTHLIB_PYTHON} cannot import authlib and flask (apt-get install python3-authlib python3-flask, or set AUTHLIB_PYTHON)`;

export function authlibAvailable(): boolean {
  const probe = spawnSync(AUTHLIB_PYTHON, ['-c', 'import authlib, flask, requests'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** In a `before` hook: skips the suite, saying why, when there is no Python with Authlib and Flask. */
export function skipWithoutAuthlib(suite: Mocha.Context): void {
  if (authlibAvailable()) return;
  console.warn(`      ${AUTHLIB_MISSING}`);
  suite.skip();
}

export interface AuthlibSite {
  origin: string;
  client: Record<string, unknown>;
  start(issuer: string): Promise<void>;
  /** What the Flask process printed (its request log and any traceback). */
  output(): string;
  close(): Promise<void>;
}

/**
 * The Authlib (Flask) example of docs/integration.md as a confidential client, on its own free
 * loopback port: prepare it (for its client metadata), register the client, then `start(issuer)`.
 */
export async function prepareAuthlibSite(clientId = 'authlib'): Promise<AuthlibSite> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(24).toString('hex');
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let output = '';
  return {
    origin,
    client: {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: 'Authlib (Flask)',
      redirect_uris: [`${origin}/callback`],
      post_logout_redirect_uris: [`${origin}/logged-out`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile phone',
    },
    async start(issuer) {
      const started = spawn(AUTHLIB_PYTHON, [join(import.meta.dirname, 'authlib', 'app.py')], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          ISSUER: issuer,
          CLIENT_ID: clientId,
          CLIENT_SECRET: clientSecret,
          SESSION_SECRET: randomBytes(24).toString('hex'),
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      exited = new Promise((resolve) => started.once('exit', resolve));
      for (const stream of [started.stdout, started.stderr])
        stream?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
      const up = async () => started.exitCode !== null || (await fetch(`${origin}/logged-out`)).ok;
      await waitUntil(`Flask on ${origin}`, up, { timeoutMs: 15_000 }).catch(() => undefined);
      if (started.exitCode !== null || !(await up().catch(() => false)))
        throw new Error(`the Authlib site did not start (exit ${started.exitCode}):\n${output}`);
    },
    output: () => output,
    async close() {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
