/**
 * Darvaze benchmark: one provider process (`node dist/src/main.js`) on its own redis-server, with
 * the identity simulator (generated citizens) and a fake Kavenegar, loaded by a keep-alive load
 * generator in this process. Measures
 *   1. returning-user sign-ins per second (every page, SMS code from the fake gateway, code
 *      exchange at /token) — closed loop for the peak, then an open loop at half of it for latency;
 *   1b. passkey sign-ins per second (a software authenticator's ES256 assertion instead of the
 *      SMS code; one passkey per person written through the app's PasskeyCredentials) — same two runs;
 *   2. /token refresh grants per second (ES256 ID tokens, rotation) — same two runs;
 *   3. the same refresh grants on bare oidc-provider (in-memory adapter, same key and client): the ceiling;
 *   4. /token authorization_code exchanges per second on Redis and on the in-memory store;
 *   5. Redis memory per signed-in user (INFO used_memory delta over --users users, with a
 *      per-key-family breakdown).
 *
 *   npm run build && node dist/scripts/bench.js [--users 10000] [--concurrency 32] [--duration 15]
 *     [--phases memory,signin,passkey,refresh,bare,code] [--cpu-prof] [--json out.json] [--quick] [--keep]
 *     [--env KEY=VALUE …]   (extra provider environment, e.g. --env LOG_LEVEL=warn)
 *
 * `--cpu-prof` runs the provider with V8's CPU profiler and prints where its time went (run one
 * phase at a time for a clean profile, e.g. `--phases signin --cpu-prof`). Rate limits are raised
 * through the provider's environment and every virtual user has its own X-Forwarded-For address
 * (TRUST_PROXY=true), so limits never throttle the benchmark.
 *
 * The phases live in scripts/bench/ (setup and first sign-ins, one module per phase, the report).
 */
import { writeFile } from 'node:fs/promises';
import { run } from './bench/run.js';
import { settingsFromArgs } from './bench/settings.js';
import { isEntryPoint } from './lib/ports.js';

if (isEntryPoint(import.meta.url)) {
  const settings = settingsFromArgs();
  const results = await run(settings);
  if (settings.json) await writeFile(settings.json, `${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}
