import { type RedisCluster, startRedisCluster } from '../../scripts/redis-cluster.js';

let shared: Promise<RedisCluster> | undefined;

/** One private 3-master + 3-replica Redis Cluster for the whole test run, started on first use. */
export function sharedTestCluster(): Promise<RedisCluster> {
  shared ??= startRedisCluster({ masters: 3, replicas: 1 });
  return shared;
}

after(async () => {
  if (shared) await (await shared).stop();
});
