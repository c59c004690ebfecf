/**
 * How one call to the identity service survives a struggling upstream, built from cockatiel
 * policies, outermost first:
 *
 * 1. a circuit breaker: after `failureThreshold` consecutive failed calls it opens and rejects
 *    calls at once (BrokenCircuitError) for `cooldownMs`, so a dead upstream costs users a fast
 *    "try again later" instead of a full timeout each, and the upstream gets room to recover.
 *    Then one trial call goes through (others wait for its outcome); success closes it.
 * 2. a time budget of `timeoutMs × (retries + 1)` for the whole call, backoff included, so a
 *    user never waits longer than that;
 * 3. retries of transient failures only, with jittered exponential backoff (50–100 % of each
 *    step) so many nodes do not retry in lockstep against a struggling upstream;
 * 4. a timeout per attempt.
 *
 * The breaker sits outside the retries: a call with all its attempts is one failure.
 */
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  halfJitterGenerator,
  handleWhen,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The settings configuration does not expose; their one source. */
export const UPSTREAM_POLICY_DEFAULTS = Object.freeze({
  retries: 2,
  backoffMs: 100,
  failureThreshold: 5,
  cooldownMs: 10_000,
});

export interface UpstreamPolicyOptions {
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after a transient failure. */
  retries?: number;
  /** First step of the backoff between attempts; each further step doubles. */
  backoffMs?: number;
  /** Consecutive failed calls that open the breaker. */
  failureThreshold?: number;
  /** How long the breaker stays open before a trial call. */
  cooldownMs?: number;
  /** A failure of the upstream: counted by the breaker. Anything else (a bug) passes through. */
  isFailure: (error: unknown) => boolean;
  /** A failure worth another attempt. An answer, and any other failure, is final. */
  isTransient: (error: unknown) => boolean;
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

/** What every vendor connector shows the rest of the app: its name, its breaker, its deploy check. */
export interface VendorHandle {
  readonly name: string;
  readonly breaker: { readonly state: BreakerState };
  /** Deploy-time check: the vendor accepts our credentials, without sending or spending anything. */
  checkCredentials(signal: AbortSignal): Promise<string>;
}

/** The settings every client of an upstream takes in its options, in the clients' own shape. */
export interface UpstreamSettings {
  timeoutMs: number;
  retries?: number | undefined;
  backoffMs?: number | undefined;
  breaker?: { failureThreshold?: number | undefined; cooldownMs?: number | undefined } | undefined;
}

/** The policy for a client's settings and its rules of what fails and what is worth retrying. */
export function policyFor(
  settings: UpstreamSettings,
  rules: Pick<UpstreamPolicyOptions, 'isFailure' | 'isTransient' | 'onStateChange'>,
): UpstreamPolicy {
  return createUpstreamPolicy({
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    backoffMs: settings.backoffMs,
    failureThreshold: settings.breaker?.failureThreshold,
    cooldownMs: settings.breaker?.cooldownMs,
    ...rules,
  });
}

export interface UpstreamPolicy {
  /**
   * Runs `attempt` under the policy. Its signal aborts when the attempt's or the call's time is
   * up. Rejects with BrokenCircuitError, without calling, while the breaker is open.
   */
  execute<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** For metrics: "half-open" once the cooldown is over, when the next call is a trial. */
  readonly state: BreakerState;
}

export function createUpstreamPolicy(options: UpstreamPolicyOptions): UpstreamPolicy {
  const defaults = UPSTREAM_POLICY_DEFAULTS;
  const settings = {
    timeoutMs: options.timeoutMs,
    retries: options.retries ?? defaults.retries,
    backoffMs: options.backoffMs ?? defaults.backoffMs,
    failureThreshold: options.failureThreshold ?? defaults.failureThreshold,
    cooldownMs: options.cooldownMs ?? defaults.cooldownMs,
  };
  checkSettings(settings);
  const { timeoutMs, retries, backoffMs, failureThreshold, cooldownMs } = settings;

  const breaker = circuitBreaker(handleWhen(options.isFailure), {
    halfOpenAfter: cooldownMs,
    breaker: new ConsecutiveBreaker(failureThreshold),
  });
  // Nothing to cancel once an attempt has returned (it reads the whole answer inside), so the
  // signals are not aborted then: each abort built a DOMException with its stack, 1 % of a
  // sign-in's CPU for the SMS call alone (issue 17).
  const timeoutOptions = { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false };
  const policy = wrap(
    breaker,
    timeout(timeoutMs * (retries + 1), timeoutOptions),
    retry(handleWhen(options.isTransient), {
      maxAttempts: retries,
      backoff: new ExponentialBackoff({
        generator: halfJitterGenerator,
        initialDelay: backoffMs,
        maxDelay: timeoutMs,
      }),
    }),
    timeout(timeoutMs, timeoutOptions),
  );

  // cockatiel moves from open to half-open only when a call arrives; metrics want to see it
  // as soon as the cooldown is over, as the hand-written breaker before it reported.
  let openedAt = 0;
  let reported: BreakerState = 'closed';
  breaker.onBreak(() => {
    openedAt = Date.now();
  });
  breaker.onStateChange((state) => {
    const to = nameOf(state);
    if (to !== reported) options.onStateChange?.(reported, to);
    reported = to;
  });

  return {
    execute(attempt) {
      let lastFailure: unknown;
      return policy.execute(async ({ signal }) => {
        // The budget ran out during a backoff: report the failure that led to it, not a
        // timeout of an attempt that never started.
        if (signal.aborted && lastFailure !== undefined) throw lastFailure;
        try {
          return await attempt(signal);
        } catch (error) {
          lastFailure = error;
          throw error;
        }
      });
    },
    get state() {
      const state = nameOf(breaker.state);
      return state === 'open' && Date.now() - openedAt >= cooldownMs ? 'half-open' : state;
    },
  };
}

function nameOf(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'open';
}

function checkSettings(settings: Record<keyof typeof UPSTREAM_POLICY_DEFAULTS | 'timeoutMs', number>): void {
  if (!(settings.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  if (!(Number.isInteger(settings.retries) && settings.retries >= 0)) {
    throw new RangeError('retries must be a whole number ≥ 0');
  }
  if (!(settings.backoffMs >= 0)) throw new RangeError('backoffMs must not be negative');
  if (!(Number.isInteger(settings.failureThreshold) && settings.failureThreshold >= 1)) {
    throw new RangeError('failureThreshold must be a whole number ≥ 1');
  }
  if (!(settings.cooldownMs >= 0)) throw new RangeError('cooldownMs must not be negative');
}
