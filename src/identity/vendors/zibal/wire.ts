/**
 * Zibal facility inquiries' wire format (api.zibal.ir/v1/facility), from its public clients and a
 * community OpenAPI file: `{result, message, data}`, `result == 1` the only success. See
 * docs/operations.md "Zibal" for the confidence of each item.
 */
import type { Person, UpstreamFailureReason } from '../../identity-service.js';
import { fieldOf } from '../vendor-http.js';
import { vendorPerson } from '../vendor-person.js';

export const ZIBAL_DEFAULT_URL = 'https://api.zibal.ir';
export const ZIBAL_PATHS = {
  shahkar: '/v1/facility/shahkarInquiry',
  identity: '/v1/facility/nationalIdentityInquiry',
} as const;

/** `result` codes other than 1, by what they mean for us. */
const REASONS: Record<number, UpstreamFailureReason> = {
  2: 'unauthorized', // invalid API key
  3: 'unauthorized', // wrong API key
  4: 'unauthorized', // service not enabled for this key
  6: 'invalid_input',
  7: 'unauthorized', // our IP is not allowed
  8: 'unauthorized', // key inactive
  29: 'rate_limited', // wallet credit exhausted
  45: 'http_status', // service unavailable
};

export function zibalResult(body: unknown): number | undefined {
  const result = fieldOf(body, 'result');
  const number = typeof result === 'string' ? Number(result) : result;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

export function classifyZibal(status: number, result: number | undefined): UpstreamFailureReason {
  if (result !== undefined && REASONS[result]) return REASONS[result];
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status >= 500 || status === 408) return 'http_status';
  if (result === undefined) return 'malformed_response';
  return 'ambiguous';
}

/** `data` of a matched nationalIdentityInquiry → a Person, or undefined when it is incomplete. */
export function zibalPerson(data: unknown, askedBirthDate: string): Person | undefined {
  const alive = fieldOf(data, 'alive');
  // Zibal does not echo the birth date: the one asked about is the one that matched.
  return vendorPerson(data, {
    alive: typeof alive === 'boolean' ? alive : undefined,
    askedBirthDate,
    echoesBirthDate: false,
  });
}
