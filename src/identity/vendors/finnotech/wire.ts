/**
 * Finnotech's wire format (api.finnotech.ir), from its documentation scrape and public clients.
 * Every answer is an envelope `{responseCode, trackId, status: DONE|FAILED, result | error}`.
 * See docs/operations.md "Finnotech" for the confidence of each item.
 */
import type { Person, UpstreamFailureReason } from '../../identity-service.js';
import { fieldOf, safeCode } from '../vendor-http.js';
import { vendorPerson } from '../vendor-person.js';

export const FINNOTECH_DEFAULT_URL = 'https://api.finnotech.ir';
export const FINNOTECH_TOKEN_PATH = '/dev/v2/oauth2/token';

/** Which Shahkar route the contract has: `facility` (documented, most clients) or `mpg` (older). */
export type FinnotechShahkarRoute = 'facility' | 'mpg';

export const finnotechPaths = (clientId: string, route: FinnotechShahkarRoute) => ({
  shahkar: `/${route}/v2/clients/${encodeURIComponent(clientId)}/shahkar/verify`,
  identity: `/kyc/v2/clients/${encodeURIComponent(clientId)}/identificationInquiry`,
});

export const finnotechDefaultScopes = (route: FinnotechShahkarRoute) =>
  [route === 'mpg' ? 'card:shahkar:get' : 'facility:shahkar:get', 'kyc:identification-inquiry:get'].join(',');

/** What the registry says for a wrong national code/birth-date pair (nobitex's client maps it). */
const WRONG_PAIR = 'کد ملی یا تاریخ تولد اشتباه است';

export type FinnotechVerdict = { kind: 'not_found' } | { kind: 'failure'; reason: UpstreamFailureReason };

export interface FinnotechError {
  status: number;
  /** e.g. `FN-KCFH-40400140385`: its first three digits mirror the HTTP status (an inference). */
  responseCode: string | undefined;
  code: string | undefined;
  message: string;
  /** The body is Finnotech's envelope (not a proxy's HTML page or an empty 404). */
  envelope: boolean;
}

export function finnotechError(status: number, body: unknown): FinnotechError {
  const error = fieldOf(body, 'error');
  const message = fieldOf(error, 'message') ?? fieldOf(body, 'message');
  return {
    status,
    responseCode: safeCode(fieldOf(body, 'responseCode')),
    code: safeCode(fieldOf(error, 'code')),
    message: typeof message === 'string' ? message.trim() : '',
    envelope: fieldOf(body, 'status') === 'FAILED' || fieldOf(body, 'responseCode') !== undefined,
  };
}

/** The token was refused: a fresh one is worth one more try. */
export function isTokenRefused(error: FinnotechError): boolean {
  return error.status === 401 || error.status === 403 || /invalid token/i.test(error.message);
}

export function classifyFinnotechError(error: FinnotechError): FinnotechVerdict {
  const failure = (reason: UpstreamFailureReason): FinnotechVerdict => ({ kind: 'failure', reason });
  const mirrored = Number(/^FN-[A-Z]{4}-(\d{3})/.exec(error.responseCode ?? '')?.[1] ?? 0);
  if (isTokenRefused(error)) return failure('unauthorized');
  if (error.status === 429) return failure('rate_limited');
  if (error.status >= 500 || mirrored >= 500 || error.status === 408) return failure('http_status');
  // Only Finnotech's own envelope can say "not found": a bare 404 is a wrong URL, not a person.
  if (error.envelope && error.message.includes(WRONG_PAIR)) return { kind: 'not_found' };
  if (error.envelope && (error.status === 404 || mirrored === 404)) return { kind: 'not_found' };
  if (error.envelope && (error.status === 400 || error.code === 'VALIDATION_ERROR'))
    return failure('invalid_input');
  return failure('ambiguous');
}

/** `result.isValid`: a boolean, or `yes`/`no` in some versions. */
export function finnotechIsValid(result: unknown): boolean | undefined {
  const value = fieldOf(result, 'isValid');
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && ['yes', 'true'].includes(value.trim().toLowerCase())) return true;
  if (typeof value === 'string' && ['no', 'false'].includes(value.trim().toLowerCase())) return false;
  return undefined;
}

/** `result.deathStatus`: `زنده` alive, `مرده` deceased (also `alive`/`dead`). */
function aliveOf(result: unknown): boolean | undefined {
  const value = fieldOf(result, 'deathStatus');
  const alive = fieldOf(result, 'alive');
  if (typeof alive === 'boolean') return alive;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'زنده' || text === 'alive') return true;
  if (text === 'مرده' || text === 'dead' || text === 'deceased') return false;
  return undefined;
}

/** `result` of identificationInquiry → a Person, or undefined when it is incomplete. */
export function finnotechPerson(result: unknown, askedBirthDate: string): Person | undefined {
  return vendorPerson(result, { alive: aliveOf(result), askedBirthDate, echoesBirthDate: true });
}
