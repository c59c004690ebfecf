import { expect } from 'chai';
import { runClients } from '../../helpers/clients-cli.js';
import { uniquePrefix } from '../../helpers/redis-server.js';
import { sharedTestRedis } from '../../helpers/stores.js';
import { type Harness, salesSite, startHarness } from './admin-harness.js';

/** `npm run clients -- --offline …` on the test Redis under the harness's prefix. */
const cli = (args: string[], env: Record<string, string>, input?: string) =>
  runClients(['--offline', ...args], env, input);

describe('clients CLI --offline (the shared store, no server)', function () {
  this.timeout(120_000);
  let env: Record<string, string>;
  let h: Harness;

  before(async () => {
    const prefix = uniquePrefix('cli');
    env = { REDIS_URL: (await sharedTestRedis()).url, REDIS_KEY_PREFIX: prefix };
    // The admin API on the same store: one registry, two doors.
    h = await startHarness({ keyPrefix: prefix });
  });
  after(async () => h.close());

  it('create, list, show, delete with --json', async () => {
    const created = await cli(
      [
        'create',
        '--json',
        '--name',
        'Sales site',
        '--redirect-uri',
        'https://sales.example.com/callback',
        '--redirect-uri',
        'https://sales.example.com/callback2',
        '--scope',
        'openid profile phone national_id offline_access',
        '--grant-types',
        'authorization_code,refresh_token',
      ],
      env,
    );
    expect(created.code, created.stderr).to.equal(0);
    const id = created.json.client_id as string;
    expect(id).to.be.a('string');
    expect(created.json.client_secret).to.be.a('string');
    expect(created.json.client_secret_expires_at).to.equal(0);
    expect(created.json.redirect_uris).to.deep.equal([
      'https://sales.example.com/callback',
      'https://sales.example.com/callback2',
    ]);
    expect(created.json.grant_types).to.deep.equal(['authorization_code', 'refresh_token']);

    const listed = await cli(['list', '--json'], env);
    expect(listed.code).to.equal(0);
    const entry = listed.json.clients.find((c: { client_id: string }) => c.client_id === id);
    expect(entry).to.include({ client_name: 'Sales site' });
    expect(listed.stdout).to.not.include(created.json.client_secret);

    const shown = await cli(['show', id, '--json'], env);
    expect(shown.code).to.equal(0);
    expect(shown.json).to.include({ client_id: id, client_name: 'Sales site' });
    expect(shown.json).to.not.have.property('client_secret');

    // The same client through the admin API, and the provider accepts its secret.
    const viaApi = await h.api('GET', `/admin/api/clients/${id}`);
    expect(viaApi.status).to.equal(200);
    expect((await h.provider.Client.find(id))?.clientSecret).to.equal(created.json.client_secret);

    const refused = await cli(['delete', id, '--json'], env);
    expect(refused.code).to.equal(64);
    const deleted = await cli(['delete', id, '--yes', '--json'], env);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(deleted.json).to.deep.equal({ deleted: id });

    const gone = await cli(['show', id, '--json'], env);
    expect(gone.code).to.equal(1);
    expect(gone.json.error).to.equal('not_found');
    expect((await h.api('GET', `/admin/api/clients/${id}`)).status).to.equal(404);

    const audit = await h.api('GET', '/admin/api/audit?limit=10');
    const mine = audit.json.entries.filter((e: { client_id?: string }) => e.client_id === id);
    expect(mine.map((e: { who: string; action: string }) => `${e.who} ${e.action}`)).to.deep.equal([
      'cli client.delete',
      'cli client.create',
    ]);
  });

  it('create from a JSON file on stdin; refusals in RFC 7591 form with exit status 1', async () => {
    const fromStdin = await cli(
      ['create', '--file', '-', '--json'],
      env,
      JSON.stringify(salesSite({ client_name: 'From stdin' })),
    );
    expect(fromStdin.code, fromStdin.stderr).to.equal(0);
    expect(fromStdin.json.client_name).to.equal('From stdin');

    const bad = await cli(['create', '--json', '--redirect-uri', 'https://*.example.com/cb'], env);
    expect(bad.code).to.equal(1);
    expect(bad.json.error).to.equal('invalid_redirect_uri');
    const scope = await cli(
      ['create', '--json', '--redirect-uri', 'https://a.example.com/cb', '--scope', 'openid email'],
      env,
    );
    expect(scope.code).to.equal(1);
    expect(scope.json.error).to.equal('invalid_client_metadata');
  });

  it('update, rotate-secret and initial-access-token; a client made by the API is managed by the CLI', async () => {
    const created = await h.api('POST', '/admin/api/clients', { body: salesSite() });
    expect(created.status, created.text).to.equal(201);
    const id = created.json.client_id as string;
    const updated = await cli(['update', id, '--name', 'Renamed', '--json'], env);
    expect(updated.code, updated.stderr).to.equal(0);
    expect(updated.json).to.include({ client_id: id, client_name: 'Renamed' });
    expect(updated.json.redirect_uris).to.deep.equal(created.json.redirect_uris);
    expect(updated.json).to.not.have.property('client_secret');

    const rotated = await cli(['rotate-secret', id, '--json'], env);
    expect(rotated.code).to.equal(0);
    expect(rotated.json.client_secret).to.be.a('string').and.not.equal(created.json.client_secret);

    const iat = await cli(['initial-access-token', '--expires-in', '600', '--json'], env);
    expect(iat.code).to.equal(0);
    expect(iat.json.expires_in).to.equal(600);
    const registered = await fetch(`${h.url}/reg`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${iat.json.initial_access_token}`,
      },
      body: JSON.stringify(salesSite()),
    });
    expect(registered.status).to.equal(201);
  });

  it('prints a readable table without --json', async () => {
    await h.api('POST', '/admin/api/clients', { body: salesSite({ client_name: 'Table row' }) });
    const listed = await cli(['list'], env);
    expect(listed.code).to.equal(0);
    expect(listed.stdout.split('\n')[0]).to.match(/^CLIENT_ID\s+NAME\s+AUTH\s+REDIRECT_URIS\s+ISSUED$/);
    expect(listed.stdout).to.include('Table row');
  });

  it('explains that --offline needs a shared store (not the embedded one)', async () => {
    const r = await cli(['list'], {});
    expect(r.code).to.equal(78);
    expect(r.stderr).to.include('REDIS_URL').and.include('leave out --offline');
  });

  it('answers usage errors with status 64', async () => {
    expect((await cli(['frobnicate'], env)).code).to.equal(64);
    expect((await cli(['show'], env)).code).to.equal(64);
    expect((await cli(['list', '--no-such-flag'], env)).code).to.equal(64);
    expect((await cli(['list', '--server', 'http://127.0.0.1:1'], env)).code).to.equal(64);
  });
});
