import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { freePort } from '../../helpers/redis-server.js';

const ROOT = new URL('../../..', import.meta.url).pathname;

/** A process's exit status and output. */
function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The new user's path: `npm start` with nothing configured (development, embedded store), then
 * one `npm run clients -- create …` in another terminal, which finds the server and its token.
 */
describe('npm start defaults + npm run clients (two processes)', function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: ChildProcess;
  let output = '';
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'darvaze-dev-'));
    const port = await freePort();
    // What a checkout's `npm start` sees, only on a free port and a fresh data folder.
    env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: 'off' };
    server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    server.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    for (let i = 0; i < 300 && !output.includes('── darvaze started ──'); i++) {
      if (server.exitCode !== null) throw new Error(`provider exited: ${output}`);
      await sleep(100);
    }
  });
  after(async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the start-up summary names the generated token file and the command, never the token', async () => {
    const file = join(dataDir, 'admin-token');
    const token = (await readFile(file, 'utf8')).trim();
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect(output).to.match(/\n {2}adminApi +enabled\n/);
    expect(output).to.include(`generated for development in ${file} (never used in production)`);
    expect(output).to.include('npm run clients -- create');
    expect(output).to.match(/generated admin token in .*admin-token \(ADMIN_TOKEN unset\): development only/);
    expect(output).to.not.include(token);
  });

  it('registers a site in one command, then lists it; the secret is printed once and never logged', async () => {
    const created = await run(
      [
        'scripts/clients.ts',
        'create',
        '--name',
        'My site',
        '--redirect-uri',
        'http://localhost:4000/callback',
      ],
      env,
    );
    expect(created.code, created.stderr).to.equal(0);
    const secret = /client_secret: (\S+)/.exec(created.stdout)?.[1] as string;
    expect(secret).to.be.a('string');
    const clientId = /^Created client (\S+)/.exec(created.stdout)?.[1] as string;

    const listed = await run(['scripts/clients.ts', 'list', '--json'], env);
    expect(listed.code, listed.stderr).to.equal(0);
    const ids = (JSON.parse(listed.stdout) as { clients: { client_id: string }[] }).clients.map(
      (c) => c.client_id,
    );
    expect(ids).to.include(clientId);
    expect(output).to.not.include(secret);
  });
});
