/**
 * Jibit Identicator's wire format (napi.jibit.ir/ide), from its public clients: what we send,
 * and what each answer means. See docs/operations.md "Jibit" for the confidence of each item.
 */
import type { Person, UpstreamFailureReason } from '../../identity-service.js';
import { fieldOf, safeCode } from '../vendor-http.js';
import { vendorPerson } from '../vendor-person.js';

export const JIBIT_DEFAULT_URL = 'https://napi.jibit.ir/ide';
export const JIBIT_PATHS = {
  generate: '/v1/tokens/generate',
  refresh: '/v1/tokens/refresh',
  matching: '/v1/services/matching',
  identity: '/v1/services/identity',
} as const;

/**
 * The error code of a body: `{"code": …}` (current clients) or `{"errors":[{"code": …}]}` (an
 * older shape, even with HTTP 200). Lower-cased.
 */
export function jibitErrorCode(body: unknown): string | undefined {
  const direct = safeCode(fieldOf(body, 'code'));
  if (direct) return direct.toLowerCase();
  const errors = fieldOf(body, 'errors');
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0];
    const code = safeCode(fieldOf(first, 'code'))?.toLowerCase();
    // The old shape puts the field's complaint in `message` (e.g. `nationalCode.is_invalid`).
    const message = safeCode(fieldOf(first, 'message'))?.toLowerCase();
    return code === 'invalid.argument' && message ? message : (code ?? 'errors');
  }
  return undefined;
}

export type JibitVerdict = { kind: 'not_found' } | { kind: 'failure'; reason: UpstreamFailureReason };

const NOT_FOUND = new Set(['identity_info.not_found', 'info_identity.found_not']);
const RATE_LIMITED = new Set(['daily_limit.reached', 'balance.not_enough']);
const UNAUTHORIZED = new Set([
  'forbidden',
  'security.auth_required',
  'invalid.credentials',
  'client.not_found',
]);
const DOWN = new Set(['providers.not_available', 'server.error']);
const INVALID =
  /(\.not_valid|\.is_invalid|\.is_required|\.length_exceeded)$|^(parameters\.not_acceptable|invalid\.request_body|invalid\.argument)$/;

/** Any answer that is not a plain success, by its code first and its HTTP status second. */
export function classifyJibitError(status: number, code: string | undefined): JibitVerdict {
  const failure = (reason: UpstreamFailureReason): JibitVerdict => ({ kind: 'failure', reason });
  if (code && NOT_FOUND.has(code)) return { kind: 'not_found' };
  if (code && RATE_LIMITED.has(code)) return failure('rate_limited');
  if (code && UNAUTHORIZED.has(code)) return failure('unauthorized');
  if (code && INVALID.test(code)) return failure('invalid_input');
  if (code && DOWN.has(code)) return failure('http_status');
  if (status === 429) return failure('rate_limited');
  if (status === 401 || status === 403) return failure('unauthorized');
  if (status >= 500 || status === 408) return failure('http_status');
  // `matching.unknown` ("cannot tell") and codes nobody documented: neither yes nor no.
  return failure('ambiguous');
}

/** `identityInfo` → a Person, or undefined when a field we need is missing or unclear. */
export function jibitPerson(info: unknown, askedBirthDate: string): Person | undefined {
  // Jibit says `alive`, and a death date when there is one.
  const aliveField = fieldOf(info, 'alive');
  const deathDate = fieldOf(info, 'deathDate');
  const alive = typeof aliveField === 'boolean' ? aliveField && !deathDate : deathDate ? false : undefined;
  return vendorPerson(info, { alive, askedBirthDate, echoesBirthDate: true });
}
