import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';

/**
 * Back-channel logout deliveries that fail are logged, audited, counted, recorded per client and
 * retried with backoff.
 *
 * oidc-provider makes the first attempt itself while it ends the session (end_session awaits it,
 * 2.5 s timeout) and reports it as `backchannel.success` / `backchannel.error`. After a failure a
 * timer here tries again after each of `retryDelaysMs` (default 1 s, 4 s, 16 s: four attempts in
 * all), each with a fresh logout token (new jti and iat) for the same sub and sid, and gives up
 * after the last one. The timers never hold up a request or the process (unref).
 *
 * Retries live in the memory of the node that ended the session: if that node stops, its pending
 * retries are lost (the failure is already logged, audited and shown in the admin API). At most
 * `maxPending` retries wait per node; beyond that a failure is not retried (counted as dropped),
 * so a relying party that is down during a mass logout cannot grow the heap without bound.
 */

export type BackchannelOutcome = 'delivered' | 'failed' | 'abandoned' | 'dropped';

export interface BackchannelDeliveryDeps {
  provider: Provider;
  status: {
    recordSuccess(clientId: string): Promise<void>;
    recordFailure(clientId: string, reason: string): Promise<void>;
  };
  logger: Logger;
  /** Security audit of failures and of deliveries that needed a retry. */
  audit(
    ctx: { state: { requestId?: string } },
    type: 'backchannel_logout.failed' | 'backchannel_logout.delivered',
    fields: Record<string, string>,
  ): void;
  /** Metrics: one call per attempt outcome, and per retry abandoned or dropped. */
  count(outcome: BackchannelOutcome): void;
  retryDelaysMs?: readonly number[];
  maxPending?: number;
}

export interface BackchannelDelivery {
  /** Retries waiting on this node. */
  pending(): number;
  /** Cancels the waiting retries (the app is closing). */
  stop(): void;
}

export const DEFAULT_BACKCHANNEL_RETRY_DELAYS_MS = [1_000, 4_000, 16_000] as const;
const DEFAULT_MAX_PENDING = 1_000;

interface Delivery {
  clientId: string;
  sub: string;
  sid: string;
  requestId: string | undefined;
  /** 1 for oidc-provider's own attempt. */
  attempt: number;
}

/** The client a retry needs: oidc-provider's Client as `Client.find` returns it. */
interface LogoutClient {
  backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/** Why a delivery failed, in a word fit for a log, an audit entry and a status (no URL, no token). */
export function failureReason(error: unknown): string {
  const failure = error as { name?: unknown; response?: { status?: unknown }; cause?: { code?: unknown } };
  const status = failure?.response?.status;
  if (typeof status === 'number') return `http_${status}`;
  if (failure?.name === 'TimeoutError' || failure?.name === 'AbortError') return 'timeout';
  const code = failure?.cause?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code.toLowerCase();
  const message = (error as Error | undefined)?.message ?? '';
  if (/special-use IP/.test(message) || /special-use IP/.test(String(failure?.cause ?? '')))
    return 'blocked_address';
  return 'network_error';
}

export function attachBackchannelDelivery(deps: BackchannelDeliveryDeps): BackchannelDelivery {
  const { provider, logger } = deps;
  const delays = deps.retryDelaysMs ?? DEFAULT_BACKCHANNEL_RETRY_DELAYS_MS;
  const maxPending = deps.maxPending ?? DEFAULT_MAX_PENDING;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const auditCtx = (delivery: Delivery) => ({
    state: delivery.requestId ? { requestId: delivery.requestId } : {},
  });

  const keepGoing = (work: Promise<void>, what: string, clientId: string) =>
    work.catch((error: Error) => logger.error({ err: error.message, clientId }, what));

  function succeeded(delivery: Delivery): void {
    deps.count('delivered');
    keepGoing(
      deps.status.recordSuccess(delivery.clientId),
      'back-channel status write failed',
      delivery.clientId,
    );
    if (delivery.attempt > 1) {
      logger.info(
        { clientId: delivery.clientId, attempt: delivery.attempt },
        'back-channel logout delivered on retry',
      );
      deps.audit(auditCtx(delivery), 'backchannel_logout.delivered', {
        client: delivery.clientId,
        attempt: String(delivery.attempt),
      });
    }
  }

  function failed(delivery: Delivery, error: unknown): void {
    const reason = failureReason(error);
    const delay = delays[delivery.attempt - 1];
    const retry = delay !== undefined && !stopped && timers.size < maxPending;
    deps.count('failed');
    keepGoing(
      deps.status.recordFailure(delivery.clientId, reason),
      'back-channel status write failed',
      delivery.clientId,
    );
    logger.warn(
      {
        clientId: delivery.clientId,
        attempt: delivery.attempt,
        reason,
        ...(retry ? { retryInMs: delay } : { gaveUp: true }),
      },
      'back-channel logout delivery failed',
    );
    deps.audit(auditCtx(delivery), 'backchannel_logout.failed', {
      client: delivery.clientId,
      attempt: String(delivery.attempt),
      reason,
      next: retry ? `retry in ${delay} ms` : 'none',
    });
    if (retry) {
      schedule({ ...delivery, attempt: delivery.attempt + 1 }, delay);
      return;
    }
    deps.count(delay === undefined ? 'abandoned' : 'dropped');
  }

  function schedule(delivery: Delivery, delay: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(delivery);
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  async function attempt(delivery: Delivery): Promise<void> {
    if (stopped) return;
    let client: LogoutClient | undefined;
    try {
      client = (await provider.Client.find(delivery.clientId)) as unknown as LogoutClient | undefined;
    } catch (error) {
      return failed(delivery, error);
    }
    // Deleted since, or no longer registered for back-channel logout: nothing to deliver.
    if (!client?.backchannelLogoutUri) return;
    try {
      await client.backchannelLogout(delivery.sub, delivery.sid);
    } catch (error) {
      return failed(delivery, error);
    }
    succeeded(delivery);
  }

  const first = (ctx: KoaContextWithOIDC, clientId: string, sub: string, sid: string): Delivery => {
    const requestId = (ctx?.state as { requestId?: unknown } | undefined)?.requestId;
    return {
      clientId,
      sub,
      sid,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      attempt: 1,
    };
  };

  provider.on('backchannel.success', (ctx, client, accountId, sid) => {
    succeeded(first(ctx, client.clientId, accountId, sid));
  });
  provider.on('backchannel.error', (ctx, error, client, accountId, sid) => {
    failed(first(ctx, client.clientId, accountId, sid), error);
  });

  return {
    pending: () => timers.size,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
