import { createSalesSite, type SalesSite } from './sales-site/site.js';
import { createServiceSite, type ServiceSite } from './service-site/site.js';
import { type SiteLogger, silentLogger } from './shared/logger.js';
import { t } from './shared/messages.js';
import type { SiteClient } from './shared/relying-party.js';

export interface DemoSiteSettings {
  client: SiteClient & { baseUrl: string };
  port: number;
}

export interface DemoSitesOptions {
  /** The provider's issuer (discovery: `${issuer}/.well-known/openid-configuration`). */
  issuer: string;
  /** Listen address of both sites. */
  host: string;
  sales: DemoSiteSettings;
  service: DemoSiteSettings;
  /** A logger per site (e.g. a pino child). */
  loggerFor?: (site: 'sales' | 'service') => SiteLogger;
  discoveryRetryMs?: number;
  now?: () => number;
}

export interface DemoSites {
  sales: SalesSite;
  service: ServiceSite;
  stop(): Promise<void>;
}

const SALES_NAME = { fa: t('fa', 'sales.name'), en: t('en', 'sales.name') };
const SERVICE_NAME = { fa: t('fa', 'service.name'), en: t('en', 'service.name') };

/**
 * Starts the two demo relying parties: the sales site and the after-sales service site. They
 * find the provider through discovery (retrying until it answers) and never block its start.
 */
export async function startDemoSites(options: DemoSitesOptions): Promise<DemoSites> {
  const loggerFor = options.loggerFor ?? (() => silentLogger);
  const sales = createSalesSite({
    issuer: options.issuer,
    client: options.sales.client,
    name: SALES_NAME,
    logger: loggerFor('sales'),
    discoveryRetryMs: options.discoveryRetryMs,
    now: options.now,
    groupSites: [{ name: SERVICE_NAME, url: `${options.service.client.baseUrl}/` }],
  });
  const service = createServiceSite({
    issuer: options.issuer,
    client: options.service.client,
    name: SERVICE_NAME,
    logger: loggerFor('service'),
    discoveryRetryMs: options.discoveryRetryMs,
    now: options.now,
    groupSites: [{ name: SALES_NAME, url: `${options.sales.client.baseUrl}/` }],
  });
  try {
    await sales.rp.listen(options.sales.port, options.host);
    await service.rp.listen(options.service.port, options.host);
  } catch (error) {
    await Promise.all([sales.rp.stop(), service.rp.stop()]);
    throw error;
  }
  return {
    sales,
    service,
    async stop() {
      await Promise.all([sales.rp.stop(), service.rp.stop()]);
    },
  };
}
