import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A Lua script and its SHA-1, the name Redis's script cache knows it by. */
export class LuaScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }
}

type ScriptArgument = string | number;

/**
 * Runs `script` by its SHA (EVALSHA), and sends its source (EVAL) only when that Redis has not
 * seen it yet (NOSCRIPT: a new node, a restart, SCRIPT FLUSH); EVAL caches it there for the
 * next call.
 *
 * Why not ioredis's `defineCommand`: every pipeline ioredis makes — with auto-pipelining, one per
 * batch of commands — copies each defined script onto itself as two methods, 2 % of a sign-in's
 * CPU with this store's scripts (issue 17). And a defined command's cluster slot is its first
 * argument, where EVALSHA's is its first key (ioredis 6 reads the key positions of EVALSHA), so
 * scripts with a varying number of keys need no per-count variants.
 */
export async function runScript(
  client: Redis | Cluster,
  script: LuaScript,
  keys: readonly string[],
  args: readonly ScriptArgument[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
    return client.eval(script.lua, keys.length, ...keys, ...args);
  }
}
