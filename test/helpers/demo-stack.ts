import type { DemoSites } from '../../examples/demo.js';
import { startDemoSites } from '../../examples/demo.js';
import { createDemoClients, type DemoClients } from '../../src/composition/demo-clients.js';
import { type Harness, startHarness } from './harness.js';
import { freePort } from './redis-server.js';

export interface BackchannelOutcome {
  clientId: string;
  ok: boolean;
  error?: string;
  at: number;
}

export interface DemoStack {
  harness: Harness;
  clients: DemoClients;
  sites: DemoSites;
  salesUrl: string;
  serviceUrl: string;
  /** Every back-channel logout call the provider made, as its events report them. */
  backchannel: BackchannelOutcome[];
  close(): Promise<void>;
}

export interface DemoStackOptions {
  store?: 'redis' | 'memory';
  env?: Record<string, string>;
}

/**
 * The whole demo in one process: the harness (provider, Redis, identity simulator, fake
 * Kavenegar, all over HTTP on loopback) with the demo clients registered, and both demo sites
 * on free ports, talking to the provider over HTTP as `npm start` runs them.
 */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const [salesPort, servicePort] = [await freePort(), await freePort()];
  const salesUrl = `http://127.0.0.1:${salesPort}`;
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const clients = createDemoClients({ sales: salesUrl, service: serviceUrl });
  const harness = await startHarness({
    clients: clients.metadata,
    store: options.store,
    // Several sign-ins per person in one suite: the per-mobile SMS caps would get in the way.
    env: {
      SMS_PER_MOBILE_HOUR: '100',
      SMS_PER_MOBILE_DAY: '200',
      SMS_PER_ADDRESS_HOUR: '1000',
      ...options.env,
    },
  });
  const backchannel: BackchannelOutcome[] = [];
  const provider = harness.app.provider;
  provider.on('backchannel.success', (_ctx: unknown, client: { clientId: string }) => {
    backchannel.push({ clientId: client.clientId, ok: true, at: Date.now() });
  });
  provider.on('backchannel.error', (_ctx: unknown, error: Error, client: { clientId: string }) => {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    backchannel.push({
      clientId: client.clientId,
      ok: false,
      error: cause ? `${error.message}: ${cause}` : error.message,
      at: Date.now(),
    });
  });
  let sites: DemoSites;
  try {
    sites = await startDemoSites({
      issuer: harness.issuer,
      host: '127.0.0.1',
      sales: { client: clients.sales, port: salesPort },
      service: { client: clients.service, port: servicePort },
      discoveryRetryMs: 100,
    });
  } catch (error) {
    await harness.close();
    throw error;
  }
  return {
    harness,
    clients,
    sites,
    salesUrl,
    serviceUrl,
    backchannel,
    async close() {
      await sites.stop();
      await harness.close();
    },
  };
}
