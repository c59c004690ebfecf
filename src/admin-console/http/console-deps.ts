import type { Logger } from 'pino';
import type { AdminAudit } from '../../admin/audit.js';
import type { ClientRegistry } from '../../admin/client-registry.js';
import type { SecurityAudit } from '../../audit/security-audit.js';
import type { FirstPartySignIn } from '../../first-party/first-party-sign-in.js';
import type { Render } from '../../http/render.js';
import type { Clock } from '../../time/clock.js';
import type { AdminAllowList } from '../admin-allow-list.js';
import type { HealthSeries } from '../health-series.js';

/**
 * What the admin console needs, and where it lives. Its own module so that the router
 * (console-router.ts) and its section route files share them without importing each other.
 */
export interface AdminConsoleDeps {
  signIn: FirstPartySignIn;
  allowList: AdminAllowList;
  registry: ClientRegistry;
  adminAudit: Pick<AdminAudit, 'recent'>;
  securityAudit: Pick<SecurityAudit, 'recent' | 'record'>;
  health: {
    series: HealthSeries;
    /** The identity service's circuit breaker(s), or 'none' when there is none (the simulator). */
    breaker(): Promise<'closed' | 'open' | 'half-open' | 'none'>;
    storeReady(): Promise<boolean>;
  };
  render: Render;
  now: Clock;
  logger: Logger;
  /** How old a sign-in may be for a change; default 5 minutes. */
  freshSeconds?: number;
  secretRotationGraceSeconds: number;
}

export const CONSOLE_PATH = '/admin';
