import 'dotenv/config';
import type { Server } from 'node:http';
import { type Config, ConfigError, loadConfig } from '../config/load.js';
import { type App, buildApp } from './app.js';
import { startupSummary } from './startup-summary.js';

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
  const app = await buildApp(config);
  const server = app.provider.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  app.logger.info(startupSummary(config, app), 'darvaze started');
  const stopExtras = await startExtras(config, app);
  installShutdown(app, server, stopExtras);
}

/** Development companions started next to the provider; returns how to stop them. */
async function startExtras(_config: Config, _app: App): Promise<() => Promise<void>> {
  return async () => {};
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
