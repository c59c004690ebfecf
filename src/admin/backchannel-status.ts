import type { Store } from '../store/store.js';
import { backchannelStatusKeys } from './keys.js';

/**
 * Per-client state of back-channel logout deliveries, in the store so that every node's admin API
 * shows what every node delivered. Three keys per client, each written whole (no read-modify-write
 * across nodes): when the last delivery succeeded, when the last one failed and why, and how many
 * attempts have failed since the last success. Kept STATUS_TTL_SECONDS after the last change.
 */

export interface BackchannelLogoutStatus {
  last_success_at: string | null;
  last_failure_at: string | null;
  /** A short reason (`http_500`, `timeout`, `econnrefused`…), never a token or a URL. */
  last_error: string | null;
  consecutive_failures: number;
}

export interface BackchannelStatus {
  recordSuccess(clientId: string): Promise<void>;
  recordFailure(clientId: string, reason: string): Promise<void>;
  read(clientId: string): Promise<BackchannelLogoutStatus>;
  forget(clientId: string): Promise<void>;
}

const STATUS_TTL_SECONDS = 90 * 24 * 3600;

export function createBackchannelStatus(store: Store, now: () => number = Date.now): BackchannelStatus {
  const at = () => new Date(now()).toISOString();
  return {
    async recordSuccess(clientId) {
      const keys = backchannelStatusKeys(clientId);
      await store.set(keys.lastSuccess, at(), STATUS_TTL_SECONDS);
      await store.delete(keys.consecutiveFailures);
    },

    async recordFailure(clientId, reason) {
      const keys = backchannelStatusKeys(clientId);
      await store.set(keys.lastFailure, JSON.stringify({ at: at(), error: reason }), STATUS_TTL_SECONDS);
      await store.increment(keys.consecutiveFailures, STATUS_TTL_SECONDS);
    },

    async read(clientId) {
      const keys = backchannelStatusKeys(clientId);
      const [success, failure, failures] = await store.getMany([
        keys.lastSuccess,
        keys.lastFailure,
        keys.consecutiveFailures,
      ]);
      let lastFailure: { at?: unknown; error?: unknown } = {};
      try {
        lastFailure = failure ? (JSON.parse(failure) as typeof lastFailure) : {};
      } catch {
        // A damaged record reads as no failure recorded rather than a 500.
      }
      return {
        last_success_at: success ?? null,
        last_failure_at: typeof lastFailure.at === 'string' ? lastFailure.at : null,
        last_error: typeof lastFailure.error === 'string' ? lastFailure.error : null,
        consecutive_failures: Number(failures ?? 0) || 0,
      };
    },

    async forget(clientId) {
      const keys = backchannelStatusKeys(clientId);
      await Promise.all(Object.values(keys).map((key) => store.delete(key)));
    },
  };
}
