/**
 * Several provider processes behind one public address, the way production runs them: N nodes
 * (`node dist/src/main.js`, or src/main.ts through tsx when called from the sources) on free
 * loopback ports, one Redis (a private `redis-server`, a given REDIS_URL or a Redis Cluster),
 * the same keys and secrets for every node (generated once into a temp dir: JWKS_FILE,
 * COOKIE_KEYS, DATA_ENCRYPTION_KEYS, DATA_INDEX_KEY, OTP_PEPPER) and a round-robin proxy in front
 * that sets X-Forwarded-For/-Proto, with ISSUER = the proxy's URL.
 *
 *   npm run build && node dist/scripts/multi-node.js --nodes 3
 *   npx tsx scripts/multi-node.ts --nodes 2 --cluster          # on a local Redis Cluster
 *   npx tsx scripts/multi-node.ts --redis-url redis://127.0.0.1:6380 --port 8080
 *
 * By default the nodes talk to the identity simulator (over HTTP, demo citizens) and print SMS
 * codes to their console (`--sms console`), or to an in-process fake Kavenegar (`--sms fake`).
 * From code (tests, the benchmark): `startMultiNode({...})`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClientMetadata } from 'oidc-provider';
import {
  type IdentitySimulatorServer,
  type SimulatedCitizen,
  startIdentitySimulatorServer,
} from '../src/identity/simulator.js';
import { type FakeSmsGateway, startFakeSmsGateway } from './lib/fake-sms-gateway.js';
import { freePort, isEntryPoint } from './lib/ports.js';
import { type ProviderProcess, type ProviderRuntime, spawnProvider } from './lib/provider-process.js';
import { type RedisProcess, startRedisProcess } from './lib/redis-process.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './lib/round-robin-proxy.js';
import { createSharedSecrets, type SharedSecrets } from './lib/shared-secrets.js';
import { type RedisCluster, startRedisCluster } from './redis-cluster.js';

export type StoreChoice =
  | { kind: 'redis-server'; args?: string[] }
  | { kind: 'url'; url: string }
  | { kind: 'cluster'; nodes?: string[] };

export interface MultiNodeOptions {
  nodes?: number;
  /** Default: a private redis-server on a free port. */
  store?: StoreChoice;
  /** Every node gets these on top of the defaults (limits, TTLs, LOG_LEVEL…). */
  env?: Record<string, string>;
  /** Static clients, written to a CLIENTS_FILE shared by the nodes. */
  clients?: ClientMetadata[];
  /** `fake`: an in-process fake Kavenegar (codes readable from `sms`); `console`: printed by the nodes. */
  sms?: 'fake' | 'console';
  /** Citizens of the identity simulator (default: the demo citizens). */
  citizens?: readonly SimulatedCitizen[];
  runtime?: ProviderRuntime;
  /** Port of the public proxy. Default: a free one. */
  proxyPort?: number;
  /** Node flags for every provider (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Pipe the nodes' logs to stderr. */
  inheritOutput?: boolean;
  /** Key prefix in Redis. Default `darvaze:`. */
  keyPrefix?: string;
  /**
   * The issuer's host name (default the proxy's address, 127.0.0.1). `localhost` for passkeys:
   * a WebAuthn relying-party id is a domain name, never an IP address.
   */
  issuerHost?: 'localhost' | '127.0.0.1';
}

export interface MultiNode {
  /** The public issuer: the proxy's URL. */
  readonly issuer: string;
  readonly proxy: RoundRobinProxy;
  readonly nodes: ProviderProcess[];
  readonly secrets: SharedSecrets;
  readonly identity: IdentitySimulatorServer;
  readonly sms: FakeSmsGateway | undefined;
  readonly redis: RedisProcess | undefined;
  readonly cluster: RedisCluster | undefined;
  /** The environment every node gets (minus PORT), e.g. to start one more by hand. */
  readonly env: Record<string, string>;
  /** Starts one more node, waits until it is ready and adds it to the proxy. */
  addNode(): Promise<ProviderProcess>;
  /** Kills node `index` (SIGKILL by default, as a crash); the proxy skips it from then on. */
  killNode(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts node `index` again on the same port. */
  restartNode(index: number): Promise<ProviderProcess>;
  stop(): Promise<void>;
}

const IDENTITY_TOKEN = 'multi-node-identity-token';

export async function startMultiNode(options: MultiNodeOptions = {}): Promise<MultiNode> {
  const count = options.nodes ?? 2;
  const dir = await mkdtemp(join(tmpdir(), 'darvaze-multi-node-'));
  const cleanups: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  };
  try {
    const secrets = await createSharedSecrets(dir);
    const proxy = await startRoundRobinProxy({ port: options.proxyPort });
    cleanups.push(() => proxy.close());
    const issuer = `http://${options.issuerHost ?? '127.0.0.1'}:${proxy.port}`;

    let redis: RedisProcess | undefined;
    let cluster: RedisCluster | undefined;
    const store = options.store ?? { kind: 'redis-server' };
    const storeEnv: Record<string, string> = {};
    if (store.kind === 'redis-server') {
      const started = await startRedisProcess({ args: store.args });
      redis = started;
      cleanups.push(() => started.stop());
      storeEnv.REDIS_URL = started.url;
    } else if (store.kind === 'url') {
      storeEnv.REDIS_URL = store.url;
    } else if (store.nodes?.length) {
      storeEnv.REDIS_CLUSTER_NODES = store.nodes.join(',');
    } else {
      const started = await startRedisCluster();
      cluster = started;
      cleanups.push(() => started.stop());
      storeEnv.REDIS_CLUSTER_NODES = started.env.REDIS_CLUSTER_NODES;
    }

    const identity = await startIdentitySimulatorServer({
      token: IDENTITY_TOKEN,
      ...(options.citizens ? { citizens: options.citizens } : {}),
    });
    cleanups.push(() => identity.close());
    let sms: FakeSmsGateway | undefined;
    if ((options.sms ?? 'fake') === 'fake') {
      const started = await startFakeSmsGateway();
      sms = started;
      cleanups.push(() => started.close());
    }

    const env: Record<string, string> = {
      NODE_ENV: 'test',
      ISSUER: issuer,
      TRUST_PROXY: 'true',
      // Two hops: the round-robin proxy appends to the X-Forwarded-For that tests and the
      // benchmark send as if from an outer load balancer, so each virtual user keeps its address.
      PROXY_HOPS: '2',
      DATA_DIR: join(dir, 'data'),
      DEMO: 'off',
      CAPTCHA: 'off',
      LOG_LEVEL: 'warn',
      REDIS_KEY_PREFIX: options.keyPrefix ?? 'darvaze:',
      ...storeEnv,
      ...secrets.env,
      IDENTITY_SERVICE_URL: identity.url,
      IDENTITY_SERVICE_TOKEN: IDENTITY_TOKEN,
      ...(sms ? sms.env() : { SMS_PROVIDER: 'console' }),
      ...options.env,
    };
    if (options.clients?.length) {
      const clientsFile = join(dir, 'clients.json');
      await writeFile(clientsFile, JSON.stringify(options.clients, null, 2), { mode: 0o600 });
      env.CLIENTS_FILE = clientsFile;
    }

    const nodes: ProviderProcess[] = [];
    const launch = (port: number, index: number) =>
      spawnProvider({
        port,
        env,
        runtime: options.runtime,
        nodeArgs: options.nodeArgs,
        inheritOutput: options.inheritOutput,
        label: `node${index}:${port}`,
      });
    const ports: number[] = [];
    for (let i = 0; i < count; i++) ports.push(await freePort());
    for (const [index, port] of ports.entries()) nodes.push(launch(port, index));
    cleanups.push(() => Promise.all(nodes.map((node) => node.stop('SIGTERM'))));
    await Promise.all(nodes.map((node) => node.ready()));
    proxy.setUpstreams(nodes.map((node) => node.url));

    return {
      issuer,
      proxy,
      nodes,
      secrets,
      identity,
      sms,
      redis,
      cluster,
      env,
      async addNode() {
        const node = launch(await freePort(), nodes.length);
        nodes.push(node);
        await node.ready();
        proxy.setUpstreams(nodes.map((each) => each.url));
        return node;
      },
      async killNode(index, signal = 'SIGKILL') {
        const node = nodes[index];
        if (!node) throw new Error(`no node ${index}`);
        await node.stop(signal);
      },
      async restartNode(index) {
        const old = nodes[index];
        if (!old) throw new Error(`no node ${index}`);
        await old.stop('SIGTERM');
        const node = launch(old.port, index);
        nodes[index] = node;
        await node.ready();
        proxy.markHealthy(node.url);
        return node;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '2' },
      port: { type: 'string' },
      'redis-url': { type: 'string' },
      cluster: { type: 'boolean', default: false },
      sms: { type: 'string', default: 'console' },
      logs: { type: 'boolean', default: false },
    },
  });
  const store: StoreChoice = values['redis-url']
    ? { kind: 'url', url: values['redis-url'] }
    : values.cluster
      ? { kind: 'cluster' }
      : { kind: 'redis-server' };
  const deployment = await startMultiNode({
    nodes: Number(values.nodes),
    store,
    proxyPort: values.port ? Number(values.port) : undefined,
    sms: values.sms === 'fake' ? 'fake' : 'console',
    inheritOutput: values.logs || values.sms === 'console',
    env: {
      LOG_LEVEL: values.logs ? 'info' : 'warn',
      // Passed through, so a local run can have clients, the admin API and /metrics.
      ...Object.fromEntries(
        ['CLIENTS_FILE', 'ADMIN_TOKEN', 'METRICS_TOKEN', 'CAPTCHA', 'NODE_ENV']
          .filter((name) => process.env[name])
          .map((name) => [name, process.env[name] as string]),
      ),
    },
  });
  console.log(`issuer (round-robin proxy): ${deployment.issuer}`);
  for (const node of deployment.nodes) console.log(`  ${node.label} pid ${node.pid} ${node.url}`);
  console.log(
    `store: ${deployment.env.REDIS_URL ?? `cluster ${deployment.env.REDIS_CLUSTER_NODES}`}; identity simulator ${deployment.identity.url}`,
  );
  console.log(`shared secrets: ${deployment.secrets.jwksFile} (and its directory); Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await deployment.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
