/**
 * Deploy-time check of the configured vendors: each identity vendor in IDENTITY_PROVIDERS and
 * each SMS sender in SMS_PROVIDERS (or SMS_PROVIDER) is asked to accept our credentials with its
 * token call or its cheapest harmless call. No SMS is sent and no inquiry is spent.
 *
 *   npm run upstreams -- check
 *
 * Exit code 0 when every vendor accepted, 1 otherwise (2: usage or configuration error). Each
 * line names the vendor and what it said; credentials are never printed.
 */
import 'dotenv/config';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config/load.js';
import { createPersonalDataCipher } from '../src/accounts/personal-data-cipher.js';
import { createNamedIdentityService, createNamedSmsSender } from '../src/composition/adapters.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { MemoryStore } from '../src/store/memory-store.js';

const TIMEOUT_MS = 10_000;

async function main(): Promise<number> {
  if (process.argv[2] !== 'check') {
    process.stderr.write('usage: npm run upstreams -- check\n');
    return 2;
  }
  const config = loadConfig();
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ processMetrics: false });
  // The check asks the token endpoints directly; nothing is cached or shared.
  const deps = {
    store: new MemoryStore(),
    sealer: createPersonalDataCipher({
      keys: [{ id: 'check', key: randomBytes(32) }],
      indexKey: randomBytes(32),
    }),
  };
  const checks = [
    ...config.identity.providers.map((name) => ({
      kind: 'identity',
      name,
      run: createNamedIdentityService(name, config, logger, metrics, deps).checkCredentials,
    })),
    ...config.sms.providers.map((name) => ({
      kind: 'sms',
      name,
      run: createNamedSmsSender(name, config, logger, metrics).checkCredentials,
    })),
  ];
  let failed = 0;
  for (const check of checks) {
    const label = `${check.kind} ${check.name}`.padEnd(22);
    if (!check.run) {
      process.stdout.write(`-    ${label} no harmless call to make (not a vendor connector)\n`);
      continue;
    }
    try {
      const said = await check.run(AbortSignal.timeout(TIMEOUT_MS));
      process.stdout.write(`ok   ${label} ${said}\n`);
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : 'unexpected failure';
      process.stdout.write(`FAIL ${label} ${message}\n`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
