/**
 * oidc-provider's example Redis adapter (its repository's example/adapters/redis.js, on ioredis),
 * as a project starting with bare oidc-provider would copy it: the baseline Darvaze's refresh
 * grants are compared with on Redis, like with like. Not used by Darvaze; it has none of
 * Darvaze's guarantees (its consume is not atomic, tokens are kept under their own value).
 */
import { Redis } from 'ioredis';
// Which records belong to a grant is oidc-provider's fact, the same for both adapters.
import { GRANTABLE_MODELS } from '../../src/oidc/store-keys.js';

const CONSUMABLE = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string };

export function bareRedisAdapter(url: string, keyPrefix: string) {
  const client = new Redis(url, { keyPrefix });
  const grantKeyFor = (id: string) => `grant:${id}`;
  return class BareRedisAdapter {
    constructor(private readonly name: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number) {
      const key = this.key(id);
      const multi = client.multi();
      if (CONSUMABLE.has(this.name)) multi.hset(key, { payload: JSON.stringify(payload) });
      else multi.set(key, JSON.stringify(payload));
      if (expiresIn) multi.expire(key, expiresIn);
      if (GRANTABLE_MODELS.has(this.name) && payload.grantId) {
        const grantKey = grantKeyFor(payload.grantId);
        multi.rpush(grantKey, key);
        const ttl = await client.ttl(grantKey);
        if (expiresIn && expiresIn > ttl) multi.expire(grantKey, expiresIn);
      }
      if (payload.userCode) multi.set(`userCode:${payload.userCode}`, id, 'EX', expiresIn ?? 3600);
      if (payload.uid) multi.set(`uid:${payload.uid}`, id, 'EX', expiresIn ?? 3600);
      await multi.exec();
    }

    async find(id: string) {
      const data = CONSUMABLE.has(this.name)
        ? await client.hgetall(this.key(id))
        : await client.get(this.key(id));
      if (!data || (typeof data === 'object' && Object.keys(data).length === 0)) return undefined;
      if (typeof data === 'string') return JSON.parse(data) as Payload;
      const { payload, ...rest } = data;
      return { ...rest, ...(JSON.parse(payload ?? '{}') as Payload) };
    }

    async findByUid(uid: string) {
      const id = await client.get(`uid:${uid}`);
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string) {
      const id = await client.get(`userCode:${userCode}`);
      return id ? this.find(id) : undefined;
    }

    async destroy(id: string) {
      await client.del(this.key(id));
    }

    async revokeByGrantId(grantId: string) {
      const multi = client.multi();
      const tokens = await client.lrange(grantKeyFor(grantId), 0, -1);
      for (const token of tokens) multi.del(token);
      multi.del(grantKeyFor(grantId));
      await multi.exec();
    }

    async consume(id: string) {
      await client.hset(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
    }

    private key(id: string) {
      return `${this.name}:${id}`;
    }
  };
}
