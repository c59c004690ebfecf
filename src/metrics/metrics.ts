/**
 * Prometheus metrics for one provider process: one registry (never prom-client's global one, so
 * several apps in one test process do not collide) and the hooks the composition root plugs into
 * the parts it wires (identity client, code delivery, one-time codes, audit trail, oidc-provider's
 * events, the store, the HTTP stack). This file and the instrument-* decorators know no framework;
 * the Koa side (request metrics, /metrics) is http/, the oidc-provider listeners provider/.
 *
 * Labels are always from small, fixed sets: route patterns (never raw paths with ids), operation
 * names, outcomes and protocol error codes. Nothing personal (mobile, national code, sub, client
 * address) ever becomes a label.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createVendorMetrics, type VendorMetrics } from './vendor-metrics.js';

export type SmsOutcome = 'sent' | 'refused' | 'failed';
export type CodeOutcome = 'ok' | 'wrong' | 'expired' | 'locked';
export type BreakerState = 'closed' | 'open' | 'half-open';

/** What an identity-service call reports (structurally the HTTP client's `IdentityCallEvent`). */
export interface IdentityCallObservation {
  operation: string;
  outcome: 'ok' | 'error' | 'rejected';
  ms: number;
  attempts: number;
  reason?: string;
}

export interface MetricsOptions {
  /** Node.js process metrics (CPU, memory, event-loop lag, GC). Default true. */
  processMetrics?: boolean;
  /** Labels added to every series, e.g. `{ node: 'a' }`. */
  defaultLabels?: Record<string, string>;
}

export interface Metrics {
  readonly registry: Registry;
  /** Per identity vendor and SMS sender (vendor-metrics.ts). */
  readonly vendors: VendorMetrics;
  readonly http: {
    requests: Counter<'method' | 'route' | 'status'>;
    duration: Histogram<'method' | 'route'>;
  };
  readonly signIns: {
    started: Counter<'prompt'>;
    completed: Counter<'kind'>;
    failures: Counter<'step' | 'reason'>;
    byMethod: Counter<'method'>;
    smsSaved: Counter;
  };
  readonly codes: Counter<'outcome'>;
  readonly sms: Counter<'outcome'>;
  readonly identity: {
    calls: Counter<'operation' | 'outcome' | 'reason'>;
    duration: Histogram<'operation' | 'outcome'>;
    attempts: Counter<'operation'>;
    breaker: Gauge<'state'>;
  };
  readonly oidc: {
    tokens: Counter<'type'>;
    grants: Counter<'grant_type' | 'outcome' | 'error'>;
    authorizations: Counter<'outcome' | 'error'>;
    serverErrors: Counter<'event'>;
    /** Back-channel logout attempts (delivered, failed) and retries given up (abandoned, dropped). */
    backchannelLogouts: Counter<'outcome'>;
  };
  readonly store: {
    duration: Histogram<'operation' | 'outcome'>;
  };

  /** For `createCodeDelivery({ onOutcome })`. */
  smsOutcome(outcome: SmsOutcome): void;
  /** For `createHttpIdentityClient({ onCall })`. */
  identityCall(event: IdentityCallObservation): void;
  /** Reports a circuit breaker's state at every scrape. */
  watchBreaker(state: () => BreakerState): void;
  /** Feeds sign-in metrics from the audit trail's security events (type + fields). */
  securityEvent(type: string, fields: Record<string, string>): void;
  /** For an instrumented `OneTimeCodes.verify`. */
  codeVerification(outcome: CodeOutcome): void;
  /** The exposition text and its content type, for `/metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const UPSTREAM_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half-open'];
/** A label value from outside (a reason, an error code) only when it looks like one of ours. */
const SAFE_LABEL = /^[a-z][a-z0-9_.-]{0,47}$/;

export function safeLabel(value: unknown, fallback = 'other'): string {
  return typeof value === 'string' && SAFE_LABEL.test(value) ? value : fallback;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const http = {
    requests: new Counter({
      name: 'darvaze_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'darvaze_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern.',
      labelNames: ['method', 'route'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
  };
  const signIns = {
    started: new Counter({
      name: 'darvaze_signins_started_total',
      help: 'Interactions started by the authorization endpoint, by prompt (login: a sign-in, consent: consent only).',
      labelNames: ['prompt'] as const,
      registers,
    }),
    completed: new Counter({
      name: 'darvaze_signins_completed_total',
      help: 'Sign-ins that proved the person: returning (mobile + code) or verified (identity check passed).',
      labelNames: ['kind'] as const,
      registers,
    }),
    failures: new Counter({
      name: 'darvaze_signin_failures_total',
      help: 'Sign-in steps refused, by step and reason (a person may retry, so this counts refusals, not people).',
      labelNames: ['step', 'reason'] as const,
      registers,
    }),
    byMethod: new Counter({
      name: 'darvaze_signins_by_method_total',
      help: 'Sign-ins completed, by how the person proved it: sms (a code was sent) or passkey (no SMS).',
      labelNames: ['method'] as const,
      registers,
    }),
    smsSaved: new Counter({
      name: 'darvaze_sms_sends_saved_total',
      help: 'SMS codes not sent because the person signed in with a passkey.',
      registers,
    }),
  };
  const codes = new Counter({
    name: 'darvaze_otp_verifications_total',
    help: 'One-time codes submitted, by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const sms = new Counter({
    name: 'darvaze_sms_total',
    help: 'Code deliveries: sent, refused by a limit or lock (no SMS), failed at the gateway.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const breakerStates: Array<() => BreakerState> = [];
  const identity = {
    calls: new Counter({
      name: 'darvaze_identity_calls_total',
      help: 'Identity-service calls (all attempts of one call count once), by operation, outcome and failure reason.',
      labelNames: ['operation', 'outcome', 'reason'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'darvaze_identity_call_duration_seconds',
      help: 'Identity-service call time including retries, by operation and outcome.',
      labelNames: ['operation', 'outcome'] as const,
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    attempts: new Counter({
      name: 'darvaze_identity_call_attempts_total',
      help: 'HTTP attempts made to the identity service (retries included).',
      labelNames: ['operation'] as const,
      registers,
    }),
    breaker: new Gauge({
      name: 'darvaze_identity_circuit_state',
      help: 'Identity-service circuit breaker: 1 for the current state (closed, open, half-open).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        if (breakerStates.length === 0) return;
        const current = breakerStates.map((read) => read());
        for (const state of BREAKER_STATES) this.set({ state }, current.includes(state) ? 1 : 0);
      },
    }),
  };
  const oidc = {
    tokens: new Counter({
      name: 'darvaze_oidc_tokens_issued_total',
      help: 'Tokens and codes issued, by type.',
      labelNames: ['type'] as const,
      registers,
    }),
    grants: new Counter({
      name: 'darvaze_oidc_grants_total',
      help: 'Token endpoint requests, by grant type, outcome and OAuth error.',
      labelNames: ['grant_type', 'outcome', 'error'] as const,
      registers,
    }),
    authorizations: new Counter({
      name: 'darvaze_oidc_authorizations_total',
      help: 'Authorization responses sent back to relying parties, by outcome and OAuth error.',
      labelNames: ['outcome', 'error'] as const,
      registers,
    }),
    serverErrors: new Counter({
      name: 'darvaze_oidc_server_errors_total',
      help: 'oidc-provider server_error events (unexpected failures inside its endpoints).',
      labelNames: ['event'] as const,
      registers,
    }),
    backchannelLogouts: new Counter({
      name: 'darvaze_backchannel_logout_total',
      help: 'Back-channel logout: attempts delivered or failed; retries abandoned (attempts exhausted) or dropped (retry queue full).',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
  const store = {
    duration: new Histogram({
      name: 'darvaze_store_operation_duration_seconds',
      help: 'Store (Redis) operation time, by Store method and outcome.',
      labelNames: ['operation', 'outcome'] as const,
      buckets: STORE_BUCKETS,
      registers,
    }),
  };

  return {
    registry,
    vendors: createVendorMetrics(registry),
    http,
    signIns,
    codes,
    sms,
    identity,
    oidc,
    store,

    smsOutcome(outcome) {
      sms.inc({ outcome });
    },

    identityCall(event) {
      const operation = safeLabel(event.operation);
      identity.calls.inc({ operation, outcome: event.outcome, reason: safeLabel(event.reason, 'none') });
      identity.duration.observe({ operation, outcome: event.outcome }, event.ms / 1000);
      if (event.attempts > 0) identity.attempts.inc({ operation }, event.attempts);
    },

    watchBreaker(state) {
      breakerStates.push(state);
    },

    securityEvent(type, fields) {
      switch (type) {
        case 'login.succeeded':
          signIns.completed.inc({ kind: 'returning' });
          signIns.byMethod.inc({ method: fields.method === 'passkey' ? 'passkey' : 'sms' });
          if (fields.method === 'passkey') signIns.smsSaved.inc();
          break;
        case 'identity.verified':
          signIns.completed.inc({ kind: 'verified' });
          signIns.byMethod.inc({ method: 'sms' });
          break;
        case 'identity.refused':
          signIns.failures.inc({ step: 'identity', reason: safeLabel(fields.reason) });
          break;
        case 'sms.refused':
          signIns.failures.inc({ step: 'sms', reason: safeLabel(fields.reason) });
          break;
        case 'otp.locked':
          signIns.failures.inc({ step: 'code', reason: 'locked' });
          break;
        case 'consent.denied':
          signIns.failures.inc({ step: 'consent', reason: 'denied' });
          break;
        default:
          break;
      }
    },

    codeVerification(outcome) {
      codes.inc({ outcome });
    },

    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
