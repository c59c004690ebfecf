/**
 * A local Redis Cluster for development, tests and benchmarks: 3 masters (+ 1 replica each by
 * default) from the Debian `redis-server`, on loopback free ports, each in a temp dir.
 *
 *   npx tsx scripts/redis-cluster.ts [--masters 3] [--replicas 1]
 *   node dist/scripts/redis-cluster.js            # after npm run build
 *
 * Prints `REDIS_CLUSTER_NODES=…` for the provider and runs until Ctrl-C, then removes everything.
 * From code: `const cluster = await startRedisCluster(); …; await cluster.stop();`
 */
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePorts, isEntryPoint, waitUntil } from './lib/ports.js';
import { parseInfo, type RedisProcess, startRedisProcess } from './lib/redis-process.js';

const run = promisify(execFile);

export interface RedisClusterOptions {
  masters?: number;
  /** Replicas per master. Default 1. */
  replicas?: number;
  redisServer?: string;
  redisCli?: string;
  /** How long to wait for `cluster_state:ok`. Default 30 s. */
  timeoutMs?: number;
}

export interface ClusterNode {
  port: number;
  busPort: number;
  address: string;
  /** The node's own redis-server (temp dir, kill, stop). */
  server: RedisProcess;
}

export interface RedisCluster {
  /** `127.0.0.1:port` of every node (masters first), what REDIS_CLUSTER_NODES takes. */
  readonly nodes: string[];
  readonly nodeProcesses: ClusterNode[];
  /** `REDIS_CLUSTER_NODES=…` value. */
  readonly env: { REDIS_CLUSTER_NODES: string };
  /** `CLUSTER INFO` of one node as key → value. */
  clusterInfo(node?: number): Promise<Record<string, string>>;
  /** Sum of `used_memory` over the masters, in bytes. */
  usedMemory(): Promise<number>;
  /** Kills one node with SIGKILL (failover tests). */
  killNode(index: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 1;
  const count = masters * (1 + replicas);
  if (masters < 3) throw new Error('a Redis Cluster needs at least 3 masters');
  const ports = await freePorts(count * 2);
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.server.stop()));
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = ports[i * 2] as number;
      const busPort = ports[i * 2 + 1] as number;
      const server = await startRedisProcess({
        port,
        ...(options.redisServer ? { binary: options.redisServer } : {}),
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
        ],
      });
      nodes.push({ port, busPort, address: `127.0.0.1:${port}`, server });
    }
    await run(
      options.redisCli ?? 'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => node.address),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    const timeoutMs = options.timeoutMs ?? 30_000;
    await Promise.all(
      nodes.map((_, index) =>
        waitUntil(
          `cluster_state:ok on ${nodes[index]?.address}`,
          async () => (await clusterInfo(nodes, index)).cluster_state === 'ok',
          { timeoutMs, intervalMs: 100 },
        ),
      ),
    );
    // Every node must also agree on all 16384 slots before clients connect.
    await waitUntil(
      'all slots assigned',
      async () => (await clusterInfo(nodes, 0)).cluster_slots_ok === '16384',
      { timeoutMs },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const addresses = nodes.map((node) => node.address);
  return {
    nodes: addresses,
    nodeProcesses: nodes,
    env: { REDIS_CLUSTER_NODES: addresses.join(',') },
    clusterInfo: (index = 0) => clusterInfo(nodes, index),
    async usedMemory() {
      let total = 0;
      for (const node of nodes) {
        const info = await withClient(node.address, async (client) => parseInfo(await client.info('all')));
        if (info.role === 'master') total += Number(info.used_memory ?? 0);
      }
      return total;
    },
    async killNode(index) {
      const node = nodes[index];
      if (node) await node.server.kill();
    },
    stop,
  };
}

async function clusterInfo(nodes: ClusterNode[], index: number): Promise<Record<string, string>> {
  const node = nodes[index];
  if (!node) throw new Error(`no node ${index}`);
  return withClient(node.address, async (client) => parseInfo(String(await client.call('CLUSTER', 'INFO'))));
}

async function withClient<T>(address: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(`redis://${address}`, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      masters: { type: 'string', default: '3' },
      replicas: { type: 'string', default: '1' },
    },
  });
  const cluster = await startRedisCluster({
    masters: Number(values.masters),
    replicas: Number(values.replicas),
  });
  console.log(`redis cluster up: ${cluster.nodes.length} nodes, cluster_state:ok`);
  console.log(`REDIS_CLUSTER_NODES=${cluster.env.REDIS_CLUSTER_NODES}`);
  console.log('Ctrl-C stops every node and removes the temp dir.');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
