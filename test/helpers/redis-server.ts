import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

import { freePort } from '../../scripts/lib/ports.js';

export { freePort };

export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server (as a crash would) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A private redis-server on a free port for one test run, so tests never touch the machine's
 * shared Redis. With TEST_REDIS_URL set, that server is used instead (CI with a managed Redis);
 * then tests must stay within their own key prefix.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const external = process.env.TEST_REDIS_URL;
  if (external) {
    return {
      url: external,
      port: Number(new URL(external).port || 6379),
      restart: async () => {},
      stop: async () => {},
      start: async () => {},
    };
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitForRedis(url);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  const restart = async () => {
    await stop();
    await start();
  };
  return { url, port, start, stop, restart };
}

async function waitForRedis(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch {
      client.disconnect();
      await sleep(50);
    }
  }
  throw new Error(`redis-server did not start at ${url}`);
}

/** A key prefix no other test run shares. */
export function uniquePrefix(label: string): string {
  return `test:${label}:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
}
