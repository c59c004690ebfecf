/**
 * Phase 5: Redis memory per signed-in user (INFO used_memory deltas over the first sign-ins), and
 * what it is made of by key family. What a user keeps is measured by deleting what expires
 * within hours (interactions, codes, access tokens, limit counters) and the bounded shared log,
 * as time would.
 */
import { fmt } from '../../lib/stats.js';
import type { Environment } from '../environment.js';
import { type KeyFamily, keyBreakdown, ttlText, usedMemory } from '../redis-memory.js';
import type { MemoryResults } from '../results.js';
import { MAX_BYTES_PER_SIGNED_IN_PERSON } from '../targets.js';
import type { Population } from './first-sign-ins.js';

export async function memoryPhase(environment: Environment, population: Population): Promise<MemoryResults> {
  const users = population.firstSignIns.ops;
  const { baseline, afterAccounts, afterSignIns } = population.memory;
  const breakdown = await keyBreakdown(environment.redis, (family) => family.kind !== 'resident');
  const afterExpiry = await usedMemory(environment.redis);
  const resident = breakdown.filter((entry) => entry.kind === 'resident');
  const memory: MemoryResults = {
    users,
    usedMemoryBaseline: baseline,
    bytesPerAccount: (afterAccounts - baseline) / population.signedIn,
    bytesPerUserRightAfterSignIn: (afterSignIns - baseline) / users,
    bytesPerSignedInUser: (afterExpiry - baseline) / users,
    residentBytesPerUserByMemoryUsage: resident.reduce((sum, entry) => sum + entry.bytes, 0) / users,
    breakdown,
  };
  printMemory(memory);
  return memory;
}

function printMemory(memory: MemoryResults): void {
  console.log(`\n5. Redis memory (INFO used_memory deltas over ${memory.users} users)`);
  console.log(
    `  verified account (sealed record + 2 blind indexes):        ${fmt(memory.bytesPerAccount / 1024, 2)} KB per user`,
  );
  console.log(
    `  right after a first sign-in (incl. keys that expire soon): ${fmt(memory.bytesPerUserRightAfterSignIn / 1024, 2)} KB per user`,
  );
  console.log(
    `  signed-in user, short-lived keys gone (account, consent, grant, refresh token, session): ${fmt(memory.bytesPerSignedInUser / 1024, 2)} KB per user   [target ≤ ${fmt(MAX_BYTES_PER_SIGNED_IN_PERSON / 1024, 0)} KB]`,
  );
  console.log(
    `  (the same by MEMORY USAGE: ${fmt(memory.residentBytesPerUserByMemoryUsage / 1024, 2)} KB per user)`,
  );
  console.log(
    '  by key family (MEMORY USAGE per user; resident = kept for 12 h or more, not a per-sign-in counter):',
  );
  for (const entry of memory.breakdown.slice(0, 26)) printFamily(entry, memory.users);
}

function printFamily(entry: KeyFamily, users: number): void {
  console.log(
    `      ${entry.family.padEnd(44)} ${String(entry.keys).padStart(7)} keys  ${fmt(entry.bytes / users, 0).padStart(6)} B/user  ${ttlText(entry.maxTtl).padEnd(10)} ${entry.kind}`,
  );
}
