import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import pino from 'pino';
import { resolveConnection } from '../../../scripts/clients/connection.js';
import { runClients } from '../../helpers/clients-cli.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { freePort } from '../../helpers/redis-server.js';

const ADMIN_TOKEN = 'cli-admin-token-0123456789abcdefghijklmnopq';
const SITE = [
  '--name',
  'Sales site',
  '--redirect-uri',
  'http://localhost:4000/callback',
  '--backchannel-logout-uri',
  'http://localhost:4000/backchannel-logout',
  '--scope',
  'openid profile phone national_id offline_access',
  '--grant-types',
  'authorization_code,refresh_token',
];

/** Every line the provider logs, at debug level, to check that no secret ever reaches them. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), text: () => lines.join('') };
}

describe('clients CLI over the admin API (a running provider, embedded store)', function () {
  this.timeout(60_000);
  let h: Harness;
  let env: Record<string, string>;
  const logs = capturingLogger();

  before(async () => {
    h = await startHarness({ store: 'memory', env: { ADMIN_TOKEN }, overrides: { logger: logs.logger } });
    env = { ADMIN_TOKEN };
  });
  after(async () => h.close());

  const cli = (args: string[], input?: string) => runClients([...args, '--server', h.issuer], env, input);

  it('create, list, show, update, rotate-secret, backchannel, delete; the secret shown only on create and rotate', async () => {
    const created = await cli(['create', '--json', ...SITE]);
    expect(created.code, created.stdout + created.stderr).to.equal(0);
    const id = created.json.client_id as string;
    const secret = created.json.client_secret as string;
    expect(secret).to.be.a('string').with.length.above(30);
    expect(created.json).to.include({ client_secret_expires_at: 0, client_name: 'Sales site' });
    // Registered in the running server itself: its provider knows the client and its secret.
    expect((await h.app.provider.Client.find(id))?.clientSecret).to.equal(secret);

    const listed = await cli(['list', '--json']);
    expect(listed.code).to.equal(0);
    expect(Object.keys(listed.json)).to.deep.equal(['clients']);
    expect(listed.json.clients.map((c: { client_id: string }) => c.client_id)).to.include(id);
    expect(listed.stdout).to.not.include(secret);

    const shown = await cli(['show', id, '--json']);
    expect(shown.json).to.include({ client_id: id, client_name: 'Sales site' });
    expect(shown.json).to.not.have.property('client_secret');

    const updated = await cli(['update', id, '--name', 'Renamed', '--json']);
    expect(updated.code, updated.stdout).to.equal(0);
    expect(updated.json).to.include({ client_id: id, client_name: 'Renamed' });
    expect(updated.json.redirect_uris).to.deep.equal(['http://localhost:4000/callback']);
    expect(updated.json).to.not.have.property('client_secret');

    const rotated = await cli(['rotate-secret', id, '--json']);
    expect(rotated.code).to.equal(0);
    expect(Object.keys(rotated.json).sort()).to.deep.equal([
      'client_id',
      'client_secret',
      'client_secret_expires_at',
      'previous_secret_expires_at',
    ]);
    expect(rotated.json.client_secret).to.not.equal(secret);

    const backchannel = await cli(['backchannel', id, '--json']);
    expect(backchannel.code).to.equal(0);
    expect(backchannel.json).to.deep.equal({
      client_id: id,
      backchannel_logout_uri: 'http://localhost:4000/backchannel-logout',
      last_success_at: null,
      last_failure_at: null,
      last_error: null,
      consecutive_failures: 0,
    });

    const audit = await cli(['audit', '--json', '--limit', '10']);
    const mine = audit.json.entries.filter((e: { client_id?: string }) => e.client_id === id);
    expect(mine.map((e: { action: string }) => e.action)).to.deep.equal([
      'client.secret.rotate',
      'client.update',
      'client.create',
    ]);
    expect(mine[0].who).to.match(/^admin:[0-9a-f]{8}$/);

    const deleted = await cli(['delete', id, '--yes', '--json']);
    expect(deleted.json).to.deep.equal({ deleted: id });
    const gone = await cli(['show', id, '--json']);
    expect(gone.code).to.equal(1);
    expect(gone.json).to.deep.equal({ error: 'not_found', error_description: `no client ${id}` });
    expect((await cli(['backchannel', id])).code).to.equal(1);

    // Neither secret in anything the provider logged (debug level included).
    expect(logs.text()).to.not.include(secret).and.not.include(rotated.json.client_secret);
    expect(logs.text()).to.not.include(ADMIN_TOKEN);
  });

  it('prints readable text: the secret once on create, a table for list', async () => {
    const created = await cli(['create', ...SITE, '--name', 'Text site']);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.match(/^Created client \S+\n {2}client_secret: \S+\n {2}\(shown this once/);
    const secret = /client_secret: (\S+)/.exec(created.stdout)?.[1] as string;
    expect(created.stdout.split(secret)).to.have.length(2);
    const listed = await cli(['list']);
    expect(listed.stdout.split('\n')[0]).to.match(/^CLIENT_ID\s+NAME\s+AUTH\s+REDIRECT_URIS\s+ISSUED$/);
    expect(listed.stdout).to.include('Text site');
  });

  it('initial-access-token registers one client at /reg; refusals keep the API error and exit 1', async () => {
    const iat = await cli(['initial-access-token', '--expires-in', '600', '--json']);
    expect(Object.keys(iat.json).sort()).to.deep.equal(['expires_in', 'initial_access_token']);
    const registered = await fetch(`${h.issuer}/reg`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${iat.json.initial_access_token}`,
      },
      body: JSON.stringify({ redirect_uris: ['http://localhost:4000/cb'], scope: 'openid' }),
    });
    expect(registered.status).to.equal(201);

    const bad = await cli(['create', '--json', '--redirect-uri', 'https://*.example.com/cb']);
    expect(bad.code).to.equal(1);
    expect(Object.keys(bad.json)).to.deep.equal(['error', 'error_description']);
    expect(bad.json.error).to.equal('invalid_redirect_uri');
    const text = await cli(['create', '--redirect-uri', 'https://*.example.com/cb']);
    expect(text.stderr).to.match(/^error: redirect_uris: .*wildcards.* \(invalid_redirect_uri\)\n$/);
  });

  it('wrong token: exit 3, "the admin token was refused", the token not repeated', async () => {
    const wrong = 'not-the-admin-token-0123456789abcdefghijkl';
    const r = await runClients(['list', '--server', h.issuer], { ADMIN_TOKEN: wrong });
    expect(r.code).to.equal(3);
    expect(r.stderr).to.include('the admin token was refused').and.include('ADMIN_TOKEN');
    expect(r.stderr).to.not.include(wrong);
    const json = await runClients(['list', '--json', '--server', h.issuer], { ADMIN_TOKEN: wrong });
    expect(json.json.error).to.equal('invalid_token');
  });

  it('no token at all: asks the server first, then says where a token comes from (exit 3)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'darvaze-cli-'));
    try {
      const r = await runClients(['create', ...SITE, '--server', h.issuer], { DATA_DIR: dataDir });
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include('needs the admin token').and.include('data/admin-token');
      // Nothing was created without a token.
      expect(
        (await cli(['list', '--json'])).json.clients.map((c: { client_name?: string }) => c.client_name),
      ).to.not.include('Sales site (no token)');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('--token-file reads the token from a file', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'darvaze-cli-'));
    try {
      const file = join(dataDir, 'token');
      await writeFile(file, `${ADMIN_TOKEN}\n`, { mode: 0o600 });
      const r = await runClients(['list', '--json', '--server', h.issuer, '--token-file', file], {});
      expect(r.code, r.stdout).to.equal(0);
      const missing = await runClients(
        ['list', '--server', h.issuer, '--token-file', join(dataDir, 'no')],
        {},
      );
      expect(missing.code).to.equal(3);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('unreachable server: exit 2, "cannot reach …" with what to do', async () => {
    const port = await freePort();
    const r = await runClients(['list', '--server', `http://127.0.0.1:${port}`], env);
    expect(r.code).to.equal(2);
    expect(r.stderr)
      .to.include(`cannot reach http://127.0.0.1:${port} (connection refused)`)
      .and.include('npm start');
    const json = await runClients(['list', '--json', '--server', `http://127.0.0.1:${port}`], env);
    expect(json.json.error).to.equal('unreachable');
  });

  it('something else listening (not Darvaze): exit 2, never follows a redirect with the token', async () => {
    let authorizationSeen = 0;
    const other: Server = createServer((request, response) => {
      if (request.headers.authorization) authorizationSeen++;
      if (request.url?.startsWith('/admin/api/clients')) {
        response.writeHead(302, { location: 'http://127.0.0.1:1/steal' }).end();
      } else response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const r = await runClients(['list', '--server', url], env);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('redirect');
      expect(authorizationSeen).to.equal(1);
    } finally {
      other.close();
    }
  });
});

describe('clients CLI: a server without the admin API, and a Redis-backed one', function () {
  this.timeout(60_000);

  it('a server without ADMIN_TOKEN (outside development): exit 3, the admin API is not enabled', async () => {
    const h = await startHarness({ store: 'memory' });
    try {
      const r = await runClients(['list', '--server', h.issuer], { ADMIN_TOKEN });
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include('the admin API is not enabled');
      const show = await runClients(['show', 'x', '--json', '--server', h.issuer], { ADMIN_TOKEN });
      expect(show.json.error).to.equal('admin_api_disabled');
    } finally {
      await h.close();
    }
  });

  it('the same commands against a server on Redis', async () => {
    const h = await startHarness({ env: { ADMIN_TOKEN } });
    try {
      const created = await runClients(['create', '--json', ...SITE, '--server', h.issuer], { ADMIN_TOKEN });
      expect(created.code, created.stdout).to.equal(0);
      expect((await h.app.provider.Client.find(created.json.client_id))?.clientSecret).to.equal(
        created.json.client_secret,
      );
    } finally {
      await h.close();
    }
  });
});

describe('clients CLI: which token goes to which server', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'darvaze-cli-'));
    await writeFile(join(dataDir, 'admin-token'), `${'d'.repeat(8)}${'0123456789abcdefghijklmnopqrstuv'}\n`);
  });
  after(async () => rm(dataDir, { recursive: true, force: true }));

  it('the development token in the data folder only for a server on this machine', async () => {
    const local = await resolveConnection({}, { DATA_DIR: dataDir, PORT: '3999' });
    expect(local.server.href).to.equal('http://127.0.0.1:3999/');
    expect(local.token).to.equal('dddddddd0123456789abcdefghijklmnopqrstuv');
    expect(local.tokenSource).to.equal(join(dataDir, 'admin-token'));
    const remote = await resolveConnection({ server: 'https://login.example.ir' }, { DATA_DIR: dataDir });
    expect(remote.token).to.equal(undefined);
  });

  it('ADMIN_TOKEN wins over the data folder; plain http only on loopback unless --allow-http', async () => {
    const explicit = await resolveConnection({}, { DATA_DIR: dataDir, ADMIN_TOKEN: 'x'.repeat(40) });
    expect(explicit).to.include({ token: 'x'.repeat(40), tokenSource: 'ADMIN_TOKEN' });
    let refused: unknown;
    try {
      await resolveConnection({ server: 'http://login.example.ir' }, { ADMIN_TOKEN: 'x'.repeat(40) });
    } catch (error) {
      refused = error;
    }
    expect((refused as Error).message).to.include('plain http');
    const allowed = await resolveConnection(
      { server: 'http://darvaze:3000', allowHttp: true },
      { ADMIN_TOKEN: 'x'.repeat(40) },
    );
    expect(allowed.server.host).to.equal('darvaze:3000');
  });
});
