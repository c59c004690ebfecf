/**
 * The identity service over HTTP (DESIGN.md §2.3). Anything but a 200 with a body that matches the
 * contract is an upstream failure (IdentityServiceUnavailableError), never "no match". Both calls
 * are read-only inquiries, so transient failures are retried; retries, time budget and circuit
 * breaker are the upstream policy (upstream-policy.ts).
 */
import { isBrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  type IdentityService,
  IdentityServiceUnavailableError,
  type RegistryResult,
  type UpstreamFailureReason,
} from './identity-service.js';
import { type BreakerState, policyFor } from './upstream-policy.js';
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
  /** Per attempt: `IDENTITY_SERVICE_TIMEOUT_MS`. */
  timeoutMs: number;
  /** Extra attempts after a transient failure. Default: UPSTREAM_POLICY_DEFAULTS. */
  retries?: number;
  /** First step of the jittered exponential backoff between attempts. Default: UPSTREAM_POLICY_DEFAULTS. */
  backoffMs?: number;
  /** Consecutive failed calls that open the breaker, and its cooldown. Default: UPSTREAM_POLICY_DEFAULTS. */
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  logger: Logger;
  onCall?: (event: IdentityCallEvent) => void;
}

export interface HttpIdentityClient extends IdentityService {
  /** The circuit breaker's state, for metrics. */
  readonly breaker: { readonly state: BreakerState };
}

const isUnavailable = (error: unknown): error is IdentityServiceUnavailableError =>
  error instanceof IdentityServiceUnavailableError;

/** Worth another attempt: the same request may well succeed a moment later. */
function isTransient(error: unknown): boolean {
  if (!isUnavailable(error)) return false;
  if (error.reason === 'timeout' || error.reason === 'network') return true;
  const status = error.status ?? 0;
  return error.reason === 'http_status' && (status >= 500 || status === 408 || status === 429);
}

/** Timeouts (the policy aborted the attempt) and network errors, from fetch or the body. */
function transportFailure(error: unknown, signal: AbortSignal): IdentityServiceUnavailableError {
  if (signal.aborted) {
    return new IdentityServiceUnavailableError('identity service timed out', { reason: 'timeout' });
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return new IdentityServiceUnavailableError(
    `identity service unreachable${typeof code === 'string' ? ` (${code})` : ''}`,
    { reason: 'network', cause: error },
  );
}

export function createHttpIdentityClient(options: HttpIdentityClientOptions): HttpIdentityClient {
  const logger = options.logger.child({ component: 'identity-client' });
  const policy = policyFor(options, {
    isFailure: isUnavailable,
    isTransient,
    onStateChange: (from, to) => logger.warn({ from, to }, 'identity service circuit breaker changed state'),
  });
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

  async function attemptOnce<T>(
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    signal: AbortSignal,
  ): Promise<T> {
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
      throw transportFailure(error, signal);
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

  /** One attempt, counted, with its failure logged (without the request's personal data). */
  async function loggedAttempt<T>(
    operation: IdentityOperation,
    request: { path: string; body: unknown; schema: z.ZodType<T> },
    counter: { attempts: number },
    signal: AbortSignal,
  ): Promise<T> {
    counter.attempts += 1;
    const started = performance.now();
    try {
      return await attemptOnce(request.path, request.body, request.schema, signal);
    } catch (failure) {
      if (isUnavailable(failure)) {
        logger.warn(
          {
            operation,
            attempt: counter.attempts,
            reason: failure.reason,
            status: failure.status,
            ms: Math.round(performance.now() - started),
          },
          `identity service call failed: ${failure.message}`,
        );
      }
      throw failure;
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
      const request = { path, body, schema };
      const result = await policy.execute((signal) => loggedAttempt(operation, request, counter, signal));
      report('ok');
      return result;
    } catch (error) {
      if (isBrokenCircuitError(error)) {
        report('rejected', 'circuit_open');
        throw new IdentityServiceUnavailableError('identity service circuit open', {
          reason: 'circuit_open',
          cause: error,
        });
      }
      report('error', isUnavailable(error) ? error.reason : undefined);
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
    breaker: policy,
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
