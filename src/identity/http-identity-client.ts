/**
 * The identity service over HTTP (DESIGN.md §2.3). Anything but a 200 with a body that matches the
 * contract is an upstream failure (IdentityServiceUnavailableError), never "no match". Both calls
 * are read-only inquiries, so transient failures are retried; the whole call, retries and backoff
 * included, stays within `timeoutMs × (retries + 1)` so a user never waits longer than that.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';
import {
  type IdentityService,
  IdentityServiceUnavailableError,
  type RegistryResult,
  type UpstreamFailureReason,
} from './identity-service.js';
import {
  CIVIL_REGISTRY_INQUIRY_PATH,
  civilRegistryInquiryRequest,
  civilRegistryInquiryResponse,
  MOBILE_OWNERSHIP_PATH,
  mobileOwnershipRequest,
  mobileOwnershipResponse,
} from './wire-format.js';

export type IdentityOperation = 'mobile-ownership' | 'civil-registry-inquiry';

/** One logical call (all its attempts), for metrics. */
export interface IdentityCallEvent {
  operation: IdentityOperation;
  /** `rejected`: the circuit was open, the upstream was not asked. */
  outcome: 'ok' | 'error' | 'rejected';
  ms: number;
  attempts: number;
  reason?: UpstreamFailureReason;
}

export interface HttpIdentityClientOptions {
  /** `IDENTITY_SERVICE_URL`; may carry a path prefix. */
  baseUrl: string;
  /** `IDENTITY_SERVICE_TOKEN`, sent as `Authorization: Bearer`. */
  token: string;
  /** Per attempt. Default 3000. */
  timeoutMs?: number;
  /** Extra attempts after a transient failure. Default 2. */
  retries?: number;
  /** Base of the jittered exponential backoff between attempts. Default 100 ms. */
  backoffMs?: number;
  /** Default: a breaker with 5 failures / 10 s cooldown. Pass one to read its state elsewhere. */
  breaker?: CircuitBreaker;
  logger: Logger;
  onCall?: (event: IdentityCallEvent) => void;
  /** Jitter source, injectable for tests. */
  random?: () => number;
}

export interface HttpIdentityClient extends IdentityService {
  readonly breaker: CircuitBreaker;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Worth another attempt: the same request may well succeed a moment later. */
function isTransient(error: IdentityServiceUnavailableError): boolean {
  if (error.reason === 'timeout' || error.reason === 'network') return true;
  const status = error.status ?? 0;
  return error.reason === 'http_status' && (status >= 500 || status === 408 || status === 429);
}

/** Timeouts and network errors from fetch or from reading the body. */
function transportFailure(error: unknown): IdentityServiceUnavailableError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new IdentityServiceUnavailableError('identity service timed out', { reason: 'timeout' });
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return new IdentityServiceUnavailableError(
    `identity service unreachable${typeof code === 'string' ? ` (${code})` : ''}`,
    { reason: 'network', cause: error },
  );
}

export function createHttpIdentityClient(options: HttpIdentityClientOptions): HttpIdentityClient {
  const timeoutMs = options.timeoutMs ?? 3000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 100;
  const random = options.random ?? Math.random;
  const logger = options.logger.child({ component: 'identity-client' });
  const breaker =
    options.breaker ??
    new CircuitBreaker({
      onStateChange: (from, to) =>
        logger.warn({ from, to }, 'identity service circuit breaker changed state'),
    });
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  if (!(Number.isInteger(retries) && retries >= 0))
    throw new RangeError('retries must be a whole number ≥ 0');
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

  async function attemptOnce<T>(path: string, body: unknown, schema: z.ZodType<T>, ms: number): Promise<T> {
    const signal = AbortSignal.timeout(ms);
    let status: number;
    let text: string;
    try {
      const response = await fetch(new URL(path.slice(1), base), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportFailure(error);
    }
    if (status !== 200) {
      throw new IdentityServiceUnavailableError(`identity service answered HTTP ${status}`, {
        reason: 'http_status',
        status,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new IdentityServiceUnavailableError('identity service answer does not match the contract', {
        reason: 'malformed_response',
        status,
      });
    }
    return parsed.data;
  }

  async function withRetries<T>(
    operation: IdentityOperation,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    counter: { attempts: number },
  ): Promise<T> {
    const started = performance.now();
    const deadline = started + timeoutMs * (retries + 1);
    for (;;) {
      counter.attempts += 1;
      const attemptStarted = performance.now();
      try {
        // AbortSignal.timeout takes whole milliseconds only.
        const attemptTimeout = Math.max(1, Math.floor(Math.min(timeoutMs, deadline - attemptStarted)));
        return await attemptOnce(path, body, schema, attemptTimeout);
      } catch (failure) {
        if (!(failure instanceof IdentityServiceUnavailableError)) throw failure; // a bug, not the upstream
        logger.warn(
          {
            operation,
            attempt: counter.attempts,
            reason: failure.reason,
            status: failure.status,
            ms: Math.round(performance.now() - attemptStarted),
          },
          `identity service call failed: ${failure.message}`,
        );
        if (counter.attempts > retries || !isTransient(failure)) throw failure;
        // Jitter (50–100 % of the step) keeps many nodes from retrying in lockstep against a struggling upstream.
        const delay = backoffMs * 2 ** (counter.attempts - 1) * (0.5 + random() / 2);
        // Not worth starting an attempt that would have almost no time left.
        if (deadline - performance.now() - delay < timeoutMs / 4) throw failure;
        await sleep(delay);
      }
    }
  }

  async function call<T>(operation: IdentityOperation, path: string, body: unknown, schema: z.ZodType<T>) {
    const started = performance.now();
    const counter = { attempts: 0 };
    const report = (outcome: IdentityCallEvent['outcome'], reason?: UpstreamFailureReason) =>
      options.onCall?.({
        operation,
        outcome,
        ms: performance.now() - started,
        attempts: counter.attempts,
        ...(reason ? { reason } : {}),
      });
    try {
      const result = await breaker.execute(() => withRetries(operation, path, body, schema, counter));
      report('ok');
      return result;
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        report('rejected', 'circuit_open');
        throw new IdentityServiceUnavailableError('identity service circuit open', {
          reason: 'circuit_open',
          cause: error,
        });
      }
      report('error', error instanceof IdentityServiceUnavailableError ? error.reason : undefined);
      throw error;
    }
  }

  /** A malformed argument is a bug in the caller, not an upstream failure: fail loudly. */
  function checkArguments<T>(schema: z.ZodType<T>, value: unknown): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new TypeError(`identity client: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    return parsed.data;
  }

  return {
    breaker,
    async checkMobileOwnership(nationalCode, mobile) {
      const body = checkArguments(mobileOwnershipRequest, {
        nationalCode: nationalCode.value,
        mobile: mobile.national,
      });
      const answer = await call('mobile-ownership', MOBILE_OWNERSHIP_PATH, body, mobileOwnershipResponse);
      return answer.matched;
    },
    async inquireCivilRegistry(nationalCode, birthDate): Promise<RegistryResult> {
      const body = checkArguments(civilRegistryInquiryRequest, {
        nationalCode: nationalCode.value,
        birthDate: birthDate.jalali,
      });
      return call('civil-registry-inquiry', CIVIL_REGISTRY_INQUIRY_PATH, body, civilRegistryInquiryResponse);
    },
  };
}
