/**
 * Metrics per upstream vendor (identity inquiries and SMS senders), beside the aggregate identity
 * and SMS series in metrics.ts: which vendor answered, failed and why, how long it took, what it
 * cost (in the vendor's own unit, as it reports it), when a failover happened, and each vendor's
 * circuit breaker. Vendor names come from configuration's fixed list; causes from ours.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type BreakerState, safeLabel } from './metrics.js';

const UPSTREAM_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open'];

export interface IdentityVendorCallObservation {
  vendor: string;
  operation: string;
  outcome: 'ok' | 'error' | 'rejected';
  ms: number;
  reason?: string;
}

export interface SmsVendorSendObservation {
  vendor: string;
  /** `sent`; `failed`: the gateway failed (another vendor may be tried); `rejected`: the number was refused. */
  outcome: 'sent' | 'failed' | 'rejected';
  cause?: string;
  ms: number;
  /** As the vendor reports it, in its unit; absent when it does not. */
  cost?: number;
}

export interface FailoverObservation {
  kind: 'identity' | 'sms';
  operation: string;
  from: string;
  to: string | undefined;
  reason: string;
}

export interface VendorMetrics {
  identityVendorCall(event: IdentityVendorCallObservation): void;
  smsVendorSend(event: SmsVendorSendObservation): void;
  failover(event: FailoverObservation): void;
  /** Reports a vendor's circuit breaker at every scrape. */
  watchVendorBreaker(kind: 'identity' | 'sms', vendor: string, state: () => BreakerState): void;
}

export function createVendorMetrics(registry: Registry): VendorMetrics {
  const registers = [registry];
  const identityCalls = new Counter({
    name: 'darvaze_identity_vendor_calls_total',
    help: 'Identity-vendor calls (all attempts of one call count once), by vendor, operation, outcome and failure reason.',
    labelNames: ['vendor', 'operation', 'outcome', 'reason'] as const,
    registers,
  });
  const identityDuration = new Histogram({
    name: 'darvaze_identity_vendor_call_duration_seconds',
    help: 'Identity-vendor call time including retries, by vendor, operation and outcome.',
    labelNames: ['vendor', 'operation', 'outcome'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const smsSends = new Counter({
    name: 'darvaze_sms_vendor_sends_total',
    help: 'SMS sends per vendor: sent, failed at the gateway, or rejected (the number).',
    labelNames: ['vendor', 'outcome'] as const,
    registers,
  });
  const smsFailures = new Counter({
    name: 'darvaze_sms_vendor_failures_total',
    help: 'SMS send failures per vendor, by cause (timeout, unreachable, auth, credit, rate_limited, template, invalid_number, gateway, malformed, circuit_open).',
    labelNames: ['vendor', 'cause'] as const,
    registers,
  });
  const smsDuration = new Histogram({
    name: 'darvaze_sms_vendor_send_duration_seconds',
    help: 'SMS gateway call time per vendor and outcome.',
    labelNames: ['vendor', 'outcome'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const smsCost = new Counter({
    name: 'darvaze_sms_vendor_cost_total',
    help: "What the vendor reported each sent message cost, summed, in the vendor's own unit (Kavenegar: rial).",
    labelNames: ['vendor'] as const,
    registers,
  });
  const failovers = new Counter({
    name: 'darvaze_upstream_failovers_total',
    help: 'A vendor could not answer and the next was asked (`to` is `none` when it was the last), by kind, operation, vendors and reason.',
    labelNames: ['kind', 'operation', 'from', 'to', 'reason'] as const,
    registers,
  });
  const breakers: Array<{ kind: string; vendor: string; state: () => BreakerState }> = [];
  new Gauge({
    name: 'darvaze_upstream_circuit_state',
    help: "Each vendor's circuit breaker: 1 for its current state (closed, open, half-open).",
    labelNames: ['kind', 'vendor', 'state'] as const,
    registers,
    collect() {
      for (const breaker of breakers) {
        const current = breaker.state();
        for (const state of BREAKER_STATES) {
          this.set({ kind: breaker.kind, vendor: breaker.vendor, state }, current === state ? 1 : 0);
        }
      }
    },
  });

  return {
    identityVendorCall(event) {
      const labels = {
        vendor: safeLabel(event.vendor),
        operation: safeLabel(event.operation),
        outcome: event.outcome,
      };
      identityCalls.inc({ ...labels, reason: safeLabel(event.reason, 'none') });
      identityDuration.observe(labels, event.ms / 1000);
    },
    smsVendorSend(event) {
      const vendor = safeLabel(event.vendor);
      smsSends.inc({ vendor, outcome: event.outcome });
      smsDuration.observe({ vendor, outcome: event.outcome }, event.ms / 1000);
      if (event.outcome !== 'sent') smsFailures.inc({ vendor, cause: safeLabel(event.cause) });
      if (event.cost !== undefined && Number.isFinite(event.cost) && event.cost >= 0)
        smsCost.inc({ vendor }, event.cost);
    },
    failover(event) {
      failovers.inc({
        kind: event.kind,
        operation: safeLabel(event.operation),
        from: safeLabel(event.from),
        to: safeLabel(event.to, 'none'),
        reason: safeLabel(event.reason),
      });
    },
    watchVendorBreaker(kind, vendor, state) {
      breakers.push({ kind, vendor: safeLabel(vendor), state });
    },
  };
}
