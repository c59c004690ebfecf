import { freePort } from '../../scripts/lib/ports.js';
import { startRedisProcess } from '../../scripts/lib/redis-process.js';

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
  const server = await startRedisProcess();
  return {
    url: server.url,
    port: server.port,
    start: server.start,
    stop: server.stop,
    restart: async () => {
      await server.kill();
      await server.start();
    },
  };
}

/** A key prefix no other test run shares. */
export function uniquePrefix(label: string): string {
  return `test:${label}:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
}
