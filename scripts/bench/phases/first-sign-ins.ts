/**
 * Setup for every phase: verified accounts written straight to Redis, then each user's first
 * sign-in at the bench site (mobile → code → consent → callback → /token with offline_access).
 * Its refresh tokens feed the refresh phase; its memory readings feed the memory phase.
 */
import { createAccountRepository } from '../../../src/accounts/account-repository.js';
import { createPersonalDataCipher } from '../../../src/accounts/personal-data-cipher.js';
import { parseEncryptionKeys, parseIndexKey } from '../../../src/composition/secrets.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { Mobile } from '../../../src/validation/mobile.js';
import { NationalCode } from '../../../src/validation/national-code.js';
import { closedLoop, type LoadResult } from '../../lib/load.js';
import { fmt, Latencies } from '../../lib/stats.js';
import { firstSignIn, KEY_PREFIX } from '../bench-client.js';
import type { Environment } from '../environment.js';
import { usedMemory } from '../redis-memory.js';
import type { Results } from '../results.js';
import { printRun, report } from '../run-report.js';
import type { Settings } from '../settings.js';

export interface Population {
  /** Accounts written; the first sign-ins went through for `firstSignIns.ops` of them. */
  signedIn: number;
  firstSignIns: LoadResult;
  /** Refresh tokens from the first sign-ins, one chain per refresh slot. */
  chains: string[];
  /** Redis used_memory before the accounts, after them, and after the first sign-ins. */
  memory: { baseline: number; afterAccounts: number; afterSignIns: number };
}

export async function signInPopulation(
  environment: Environment,
  settings: Settings,
  results: Results,
): Promise<Population> {
  const signedIn = settings.phases.has('memory') ? settings.users : Math.max(settings.concurrency * 4, 64);
  const baseline = await usedMemory(environment.redis);
  const accountsPerSecond = await registerAccounts(environment, signedIn, 64);
  const afterAccounts = await usedMemory(environment.redis);
  console.log(
    `setup: ${signedIn} verified accounts written through AccountRepository (${fmt(accountsPerSecond, 0)}/s)`,
  );
  const chains: string[] = [];
  const firstSignIns = await firstSignInsOf(environment, settings, signedIn, chains, results);
  const afterSignIns = await usedMemory(environment.redis);
  return { signedIn, firstSignIns, chains, memory: { baseline, afterAccounts, afterSignIns } };
}

async function firstSignInsOf(
  environment: Environment,
  settings: Settings,
  signedIn: number,
  chains: string[],
  results: Results,
): Promise<LoadResult> {
  const { http, context, citizens } = environment;
  const C = settings.concurrency;
  const latencies = new Latencies();
  http.recorder = latencies.record;
  let taken = 0;
  const first = await closedLoop({
    concurrency: C,
    durationMs: 3_600_000,
    maxOps: signedIn,
    operation: async () => {
      const { tokens } = await firstSignIn(context, citizens, taken++);
      if (!tokens.refresh_token) throw new Error('no refresh token');
      if (chains.length < C * 8) chains.push(tokens.refresh_token);
    },
  });
  http.recorder = undefined;
  results.firstSignIns = report(first, latencies);
  printRun('first sign-in at a site (mobile, code, consent, /token)', results.firstSignIns);
  if (first.errors > 0 && first.ops === 0) throw new Error(`sign-ins fail: ${first.firstError}`);
  return first;
}

/**
 * The provider's store as the bench writes to it directly (accounts, passkeys): its Redis and key
 * prefix, its personal-data cipher (the shared secrets) and an AccountRepository on them. The
 * caller closes the store.
 */
export function providerStore(environment: Environment) {
  const store = new RedisStore({ url: environment.redis.url, keyPrefix: KEY_PREFIX }, Date.now);
  const cipher = createPersonalDataCipher({
    keys: parseEncryptionKeys(environment.secrets.dataEncryptionKeys),
    indexKey: parseIndexKey(environment.secrets.dataIndexKey),
  });
  return { store, cipher, accounts: createAccountRepository({ store, cipher }) };
}

/** Accounts written straight through the app's AccountRepository with the provider's secrets. */
async function registerAccounts(
  environment: Environment,
  count: number,
  concurrency: number,
): Promise<number> {
  const { store, accounts } = providerStore(environment);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const citizen = environment.citizens[next++];
        if (!citizen) break;
        await accounts.saveVerified({
          mobile: Mobile.parse(citizen.mobile)!,
          nationalCode: NationalCode.fromDigits(citizen.nationalCode)!,
          person: {
            firstName: citizen.person.firstName,
            lastName: citizen.person.lastName,
            fatherName: citizen.person.fatherName,
            gender: citizen.person.gender,
            birthDateJalali: citizen.person.birthDate,
          },
          source: 'identity-service',
        });
      }
    }),
  );
  await store.close();
  return count / ((performance.now() - started) / 1000);
}
