/**
 * A private `redis-server` on a loopback port in a temp dir, for scripts and tests that must not
 * touch the machine's shared Redis. Killing it (`kill`) and starting it again on the same port
 * (`start`) simulates a crash and recovery.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitUntil } from './ports.js';

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  /** Starts the server (again) on the same port and dir. */
  start(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Kills and removes the temp dir. */
  stop(): Promise<void>;
  /** One `INFO <section>` answer as key → value. */
  info(section: string): Promise<Record<string, string>>;
  /** A fresh client (the caller closes it). */
  client(): Redis;
}

export interface RedisProcessOptions {
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--appendonly', 'yes']`. */
  args?: string[];
  /** Path of `redis-server`. */
  binary?: string;
}

export async function startRedisProcess(options: RedisProcessOptions = {}): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'darvaze-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(
      options.binary ?? 'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    const spawned = child;
    await waitUntil(`redis-server on ${port}`, async () => {
      if (spawned.exitCode !== null) throw new Error(`redis-server exited with ${spawned.exitCode}`);
      return ping(url);
    });
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    dir,
    start,
    kill,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    async info(section) {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await client.connect();
        return parseInfo(await client.info(section));
      } finally {
        client.disconnect();
      }
    },
    client: () => new Redis(url),
  };
}

export async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const separator = line.indexOf(':');
    if (separator > 0 && !line.startsWith('#')) fields[line.slice(0, separator)] = line.slice(separator + 1);
  }
  return fields;
}
