/**
 * Runs the identity-service simulator as its own process, so the provider can be pointed at it by
 * URL (IDENTITY_SERVICE_URL) the way it would be at the real service.
 *
 *   PORT=4100 HOST=127.0.0.1 IDENTITY_SERVICE_TOKEN=… SIM_LATENCY_MS=200 SIM_FAILURE_RATE=0.1 npm run simulator
 */
import { z } from 'zod';
import { DEMO_CITIZENS } from '../src/identity/demo-citizens.js';
import { startIdentitySimulatorServer } from '../src/identity/simulator.js';

const settings = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4100),
    HOST: z.string().min(1).default('127.0.0.1'),
    IDENTITY_SERVICE_TOKEN: z.string().min(1).optional(),
    SIM_LATENCY_MS: z.coerce.number().min(0).default(0),
    SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  })
  .safeParse(process.env);

if (!settings.success) {
  for (const issue of settings.error.issues)
    console.error(`identity simulator: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const env = settings.data;

const server = await startIdentitySimulatorServer({
  port: env.PORT,
  host: env.HOST,
  ...(env.IDENTITY_SERVICE_TOKEN ? { token: env.IDENTITY_SERVICE_TOKEN } : {}),
  latencyMs: env.SIM_LATENCY_MS,
  failureRate: env.SIM_FAILURE_RATE,
});

// These are made-up demo people, so printing them here (not in any log) is what a developer needs.
console.log(`identity simulator listening on ${server.url}`);
console.log(
  `  token: ${env.IDENTITY_SERVICE_TOKEN ? 'required (IDENTITY_SERVICE_TOKEN)' : 'none'}, latency ${env.SIM_LATENCY_MS} ms, failure rate ${env.SIM_FAILURE_RATE}`,
);
console.log('  demo citizens (national code, mobile, birth date: case):');
for (const c of DEMO_CITIZENS) {
  console.log(`    ${c.nationalCode}  ${c.mobile}  ${c.person.birthDate}  ${c.case}: ${c.description.en}`);
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`identity simulator: ${signal}, stopping`);
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
