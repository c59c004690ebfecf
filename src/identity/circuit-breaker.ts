/**
 * A small circuit breaker. After `failureThreshold` consecutive failures it opens and rejects
 * calls at once for `cooldownMs`, so a dead upstream costs users a fast "try again later"
 * instead of a full timeout each, and the upstream gets room to recover. After the cooldown it
 * is half-open: exactly one trial call goes through; success closes it, failure re-opens it.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before a trial call. Default 10 000 ms. */
  cooldownMs?: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Called on every state change (metrics, logs). */
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  /** Milliseconds until a trial call will be let through (0 while a trial is in flight). */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super('circuit open: call rejected without trying');
    this.retryAfterMs = retryAfterMs;
  }
}

export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onStateChange: ((from: CircuitState, to: CircuitState) => void) | undefined;

  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private lastReportedState: CircuitState = 'closed';

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
    if (!(this.failureThreshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
    if (!(this.cooldownMs >= 0)) throw new RangeError('cooldownMs must not be negative');
  }

  /** Derived from the clock, so "open" turns into "half-open" without a timer. */
  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Runs `fn` through the breaker; any rejection of `fn` counts as a failure. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.state;
    this.report(state);
    if (state === 'open') {
      throw new CircuitOpenError(this.cooldownMs - (this.now() - (this.openedAt ?? 0)));
    }
    if (state === 'half-open') {
      // Only one trial: the others are rejected until it settles.
      if (this.trialInFlight) throw new CircuitOpenError(0);
      this.trialInFlight = true;
    }
    const isTrial = state === 'half-open';
    try {
      const result = await fn();
      this.recordSuccess();
      return result;
    } catch (error) {
      this.recordFailure(isTrial);
      throw error;
    } finally {
      if (isTrial) this.trialInFlight = false;
    }
  }

  // Any answer proves the upstream alive, even one to a call started before the circuit opened.
  private recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.report('closed');
  }

  private recordFailure(wasTrial: boolean): void {
    this.consecutiveFailures += 1;
    // A failed trial re-opens at once, for a full cooldown.
    if (wasTrial || this.consecutiveFailures >= this.failureThreshold) {
      this.openedAt = this.now();
      this.report('open');
    }
  }

  private report(state: CircuitState): void {
    if (state === this.lastReportedState) return;
    const from = this.lastReportedState;
    this.lastReportedState = state;
    this.onStateChange?.(from, state);
  }
}
