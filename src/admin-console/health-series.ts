import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';

/**
 * Small time series for the console's Health page: how many sign-ins, codes sent, identity checks
 * and their failures, lockouts happened per minute over the last hour and per hour over the last
 * day. prom-client's counters live in one process and start again at each restart; these live in
 * the Store, shared by every node: one counter per event and minute or hour, each with a TTL, so
 * the whole stays bounded (60 + 24 live keys per event, plus a little slack).
 */
export const HEALTH_EVENTS = [
  'signins',
  'codes_sent',
  'sms_failed',
  'identity_checks',
  'identity_failures',
  'lockouts',
] as const;
export type HealthEvent = (typeof HEALTH_EVENTS)[number];

export interface HealthSeriesPoint {
  /** Start of the bucket, epoch ms. */
  at: number;
  count: number;
}

export interface HealthSeries {
  /**
   * Counts these events (one occurrence each) now, in one store call for all of them and both
   * series; never throws and never delays the request (a failed write is dropped).
   */
  record(...events: HealthEvent[]): void;
  /** 60 points, one per minute, oldest first, the current minute last. */
  lastHour(event: HealthEvent): Promise<HealthSeriesPoint[]>;
  /** 24 points, one per hour, oldest first, the current hour last. */
  lastDay(event: HealthEvent): Promise<HealthSeriesPoint[]>;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
// All keys share one hash tag, so a series is one MGET on a Redis Cluster too.
const keyOf = (event: HealthEvent, unit: 'm' | 'h', bucket: number) =>
  `health:{series}:${event}:${unit}:${bucket}`;

/** Which security-audit event types count towards which series. */
export function healthEventsOf(type: string, fields: Record<string, string>): HealthEvent[] {
  switch (type) {
    case 'login.succeeded':
      return ['signins'];
    case 'identity.verified':
      return ['signins', 'identity_checks'];
    case 'identity.refused':
      // A limit reached asked nobody; anything else is a check that failed.
      return fields.reason === 'identity_checks' ? [] : ['identity_checks', 'identity_failures'];
    case 'otp.locked':
      return ['lockouts'];
    default:
      return [];
  }
}

export function createHealthSeries(deps: {
  store: Store;
  now: Clock;
  onError?: (error: Error) => void;
}): HealthSeries {
  const { store, now } = deps;
  const series = async (event: HealthEvent, unit: 'm' | 'h', size: number, points: number) => {
    const current = Math.floor(now() / size);
    const buckets = Array.from({ length: points }, (_, i) => current - points + 1 + i);
    const values = await store.getMany(buckets.map((bucket) => keyOf(event, unit, bucket)));
    return buckets.map((bucket, i) => ({ at: bucket * size, count: Number(values[i] ?? 0) || 0 }));
  };
  return {
    record(...events) {
      if (events.length === 0) return;
      const at = now();
      const counters = events.flatMap((event) => [
        { key: keyOf(event, 'm', Math.floor(at / MINUTE)), ttlSeconds: 2 * 3600 },
        { key: keyOf(event, 'h', Math.floor(at / HOUR)), ttlSeconds: 26 * 3600 },
      ]);
      store.incrementAll(counters).catch((error: Error) => deps.onError?.(error));
    },
    lastHour: (event) => series(event, 'm', MINUTE, 60),
    lastDay: (event) => series(event, 'h', HOUR, 24),
  };
}
