/**
 * An identity vendor (Jibit, Finnotech, Zibal…) as an IdentityService: the vendor's own mapping
 * (its `IdentityVendor`) under the same cockatiel upstream policy as the generic client, one
 * policy and so one circuit breaker per vendor. Every attempt carries a fresh track id, sent to
 * the vendor where it takes one and logged with the outcome, so a call can be found in the
 * vendor's panel; the log line holds no personal data.
 */
import { randomBytes } from 'node:crypto';
import { isBrokenCircuitError } from 'cockatiel';
import type { Logger } from 'pino';
import type { IdentityCallEvent, IdentityOperation } from '../http-identity-client.js';
import {
  type IdentityService,
  IdentityServiceUnavailableError,
  type RegistryResult,
  type UpstreamFailureReason,
} from '../identity-service.js';
import { policyFor, type VendorHandle } from '../upstream-policy.js';

export interface VendorCall {
  signal: AbortSignal;
  /** 32 hex characters: fits every vendor's limit (Finnotech: ≤ 40 letters and digits). */
  trackId: string;
}

/** One vendor's API, mapped onto the interface's answers. Failures are IdentityServiceUnavailableError. */
export interface IdentityVendor {
  readonly name: string;
  checkMobileOwnership(input: { nationalCode: string; mobile: string }, call: VendorCall): Promise<boolean>;
  inquireCivilRegistry(
    input: { nationalCode: string; birthDate: string },
    call: VendorCall,
  ): Promise<RegistryResult>;
  /** Deploy-time check: the vendor accepts our credentials, without spending an inquiry. */
  checkCredentials(signal: AbortSignal): Promise<string>;
}

export interface VendorIdentityClient extends IdentityService, VendorHandle {}

export interface VendorIdentityClientOptions {
  vendor: IdentityVendor;
  timeoutMs: number;
  retries?: number;
  backoffMs?: number;
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  logger: Logger;
  onCall?: (event: IdentityCallEvent & { vendor: string }) => void;
}

const isUnavailable = (error: unknown): error is IdentityServiceUnavailableError =>
  error instanceof IdentityServiceUnavailableError;

/** Counted by the breaker: anything that says the vendor is unwell, not a refused input format. */
const isFailure = (error: unknown) => isUnavailable(error) && error.reason !== 'invalid_input';

/** Worth another attempt at the same vendor a moment later. Quotas and refusals are not. */
function isTransient(error: unknown): boolean {
  if (!isUnavailable(error)) return false;
  if (error.reason === 'timeout' || error.reason === 'network') return true;
  const status = error.status ?? 0;
  return error.reason === 'http_status' && (status >= 500 || status === 408);
}

export const newTrackId = () => randomBytes(16).toString('hex');

export function createVendorIdentityClient(options: VendorIdentityClientOptions): VendorIdentityClient {
  const { vendor } = options;
  const logger = options.logger.child({ component: 'identity-vendor', vendor: vendor.name });
  const policy = policyFor(options, {
    isFailure,
    isTransient,
    onStateChange: (from, to) => logger.warn({ from, to }, 'identity vendor circuit breaker changed state'),
  });

  async function call<T>(
    operation: IdentityOperation,
    ask: (call: VendorCall) => Promise<T>,
    describe: (answer: T) => string,
  ): Promise<T> {
    const started = performance.now();
    let attempts = 0;
    const report = (outcome: IdentityCallEvent['outcome'], reason?: UpstreamFailureReason) =>
      options.onCall?.({
        vendor: vendor.name,
        operation,
        outcome,
        ms: performance.now() - started,
        attempts,
        ...(reason ? { reason } : {}),
      });
    try {
      const answer = await policy.execute(async (signal) => {
        attempts += 1;
        const trackId = newTrackId();
        const attemptStarted = performance.now();
        const ms = () => Math.round(performance.now() - attemptStarted);
        try {
          const result = await ask({ signal, trackId });
          logger.info(
            { operation, trackId, attempt: attempts, answer: describe(result), ms: ms() },
            'identity vendor answered',
          );
          return result;
        } catch (error) {
          const fields = isUnavailable(error) ? { reason: error.reason, status: error.status } : {};
          logger.warn(
            { operation, trackId, attempt: attempts, ...fields, ms: ms() },
            `identity vendor call failed: ${isUnavailable(error) ? error.message : 'unexpected error'}`,
          );
          throw error;
        }
      });
      report('ok');
      return answer;
    } catch (error) {
      if (isBrokenCircuitError(error)) {
        report('rejected', 'circuit_open');
        throw new IdentityServiceUnavailableError(`${vendor.name}: circuit open`, {
          reason: 'circuit_open',
          cause: error,
        });
      }
      report('error', isUnavailable(error) ? error.reason : undefined);
      throw error;
    }
  }

  return {
    name: vendor.name,
    breaker: policy,
    checkCredentials: (signal) => vendor.checkCredentials(signal),
    checkMobileOwnership(nationalCode, mobile) {
      return call(
        'mobile-ownership',
        // Vendors speak text (each converts to its own format): the value types end here.
        (c) => vendor.checkMobileOwnership({ nationalCode: nationalCode.value, mobile: mobile.national }, c),
        (matched) => (matched ? 'matched' : 'not_matched'),
      );
    },
    async inquireCivilRegistry(nationalCode, birthDate) {
      const result = await call(
        'civil-registry-inquiry',
        (c) =>
          vendor.inquireCivilRegistry({ nationalCode: nationalCode.value, birthDate: birthDate.jalali }, c),
        (r) => (!r.matched ? 'not_found' : r.person.alive ? 'matched' : 'deceased'),
      );
      return { ...result, source: vendor.name };
    },
  };
}
