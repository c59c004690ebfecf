import 'dotenv/config';
import type { Server } from 'node:http';
import { type Config, ConfigError, loadConfig } from '../config/load.js';
import { type App, buildApp } from './composition/app.js';
import { createDemoClients, type DemoClients, demoBaseUrls } from './composition/demo-clients.js';
import { plainSummary, startupSummary } from './composition/startup-summary.js';
import { DEMO_CITIZENS } from './identity/demo-citizens.js';

const DRAIN_TIMEOUT_MS = 10_000;

/** Process entry: config → app → listen → graceful shutdown. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // The demo sites' clients exist before the provider is built: it loads static clients once.
  const demoClients = config.demo.enabled ? createDemoClients(demoBaseUrls(config.demo)) : undefined;
  const app = await buildApp(config, demoClients ? { extraClients: demoClients.metadata } : {});
  const server = app.provider.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  announce(config, app, 'darvaze started', startupSummary(config, app));
  const stopExtras = await startExtras(config, app, demoClients);
  installShutdown(app, server, stopExtras);
}

/** Development companions started next to the provider; returns how to stop them. */
async function startExtras(
  config: Config,
  app: App,
  demoClients: DemoClients | undefined,
): Promise<() => Promise<void>> {
  if (!config.demo.enabled || !demoClients) return async () => {};
  // Loaded only when wanted: production never imports the demo sites (nor openid-client).
  const { startDemoSites } = await import('../examples/demo.js');
  let sites: Awaited<ReturnType<typeof startDemoSites>>;
  try {
    sites = await startDemoSites({
      issuer: config.issuer,
      host: config.host,
      sales: { client: demoClients.sales, port: config.demo.salesPort },
      service: { client: demoClients.service, port: config.demo.servicePort },
      loggerFor: (site) => app.logger.child({ component: `demo-${site}` }),
    });
  } catch (error) {
    // The provider runs on without its demo companions (e.g. a demo port is taken).
    app.logger.error(
      { err: (error as Error).message, ports: [config.demo.salesPort, config.demo.servicePort] },
      'demo sites did not start (DEMO_SALES_PORT / DEMO_SERVICE_PORT, or DEMO=off)',
    );
    return async () => {};
  }
  const citizen = DEMO_CITIZENS.find((candidate) => candidate.case === 'ordinary');
  const code = config.sms.provider === 'console' ? 'the SMS code printed on this console' : 'the SMS code';
  announce(config, app, 'demo sites started', {
    salesSite: `${demoClients.sales.baseUrl}/`,
    serviceSite: `${demoClients.service.baseUrl}/`,
    // A made-up citizen of the built-in simulator (src/identity/demo-citizens.ts).
    howToSignIn: citizen
      ? [
          'open the sales site, choose «ورود / ثبت‌نام کاربر»',
          `enter ${citizen.mobile} and ${code}`,
          `the first time also national code ${citizen.nationalCode} and birth date ${citizen.person.birthDate}`,
        ]
      : 'see src/identity/demo-citizens.ts',
  });
  return () => sites.stop();
}

/**
 * A start-up summary: plain aligned lines in development, where a person reads the console; one
 * JSON log line elsewhere, for the log collector.
 */
function announce(config: Config, app: App, title: string, summary: Record<string, unknown>): void {
  if (config.env === 'development') process.stdout.write(plainSummary(title, summary));
  else app.logger.info(summary, title);
}

function installShutdown(app: App, server: Server, stopExtras: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: draining in-flight requests');
    app.stopAccepting();
    const forced = setTimeout(() => {
      app.logger.warn('drain timeout: closing remaining connections');
      server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    forced.unref();
    // close() stops accepting and resolves once in-flight requests are done; idle keep-alive
    // connections are closed now so they do not hold it open.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await stopExtras();
    await app.close();
    app.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('darvaze failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
