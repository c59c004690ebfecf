import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { freePort, uniquePrefix } from '../../helpers/redis-server.js';
import { sharedTestRedis } from '../../helpers/stores.js';

const ROOT = new URL('../../..', import.meta.url).pathname;

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`provider exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error('provider did not become ready');
}

describe('the provider process', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'darvaze-process-'));
  });
  after(async () => rm(dataDir, { recursive: true, force: true }));

  async function startProvider(extraEnv: Record<string, string> = {}) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DEMO: 'off',
        REDIS_URL: (await sharedTestRedis()).url,
        REDIS_KEY_PREFIX: uniquePrefix('process'),
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    await waitReady(url, child);
    return { child, url, port, output: () => output };
  }

  it('SIGTERM drains an in-flight request, then closes Redis and exits 0', async () => {
    const { child, port, output } = await startProvider();
    // A request whose body is still arriving when SIGTERM comes: it must still get its answer.
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/interaction/unknown/mobile',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': '20',
            accept: 'text/html',
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write('mobile=0912');
      setTimeout(() => req.end('123456789'), 700);
    });
    await sleep(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await answer).to.equal(400);
    expect(await exited).to.equal(0);
    expect(output()).to.include('shutting down').and.include('stopped');
  });

  it('logs one start-up summary, JSON, without secrets (outside development)', async () => {
    const { child, output } = await startProvider({ NODE_ENV: 'test' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const summary = output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'darvaze started');
    expect(summary).to.include.keys('issuer', 'store', 'keys', 'developmentOnlyDefaults');
    expect(JSON.stringify(summary)).to.not.match(/"d":|cookie.*[A-Za-z0-9_-]{40}/);
  });

  it('prints the start-up summary as plain lines in development, without secrets', async () => {
    const { child, output } = await startProvider();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const text = output();
    expect(text).to.include('── darvaze started ──');
    expect(text).to.match(/\n {2}issuer +http:\/\/\S+\n/);
    expect(text).to.match(/\n {2}developmentOnlyDefaults +\S/);
    expect(text).to.not.match(/"d":|cookie.*[A-Za-z0-9_-]{40}/);
  });

  it('refuses to start in production with unsafe settings, naming every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', CAPTCHA: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).to.equal(78);
    for (const name of [
      'REDIS_URL',
      'JWKS_FILE',
      'COOKIE_KEYS',
      'CAPTCHA=off',
      'SMS_PROVIDER=console',
      'TRUST_PROXY',
    ]) {
      expect(stderr).to.include(name);
    }
  });
});
