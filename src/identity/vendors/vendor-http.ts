/**
 * One HTTP exchange with an identity vendor: the answer's status and body (parsed when it is
 * JSON), or an IdentityServiceUnavailableError for timeouts and network failures. Messages never
 * carry the URL, headers or body: they hold credentials and personal data.
 */
import { IdentityServiceUnavailableError, type UpstreamFailureReason } from '../identity-service.js';

export interface VendorRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
}

export interface VendorResponse {
  status: number;
  /** The parsed body, or undefined when it was not JSON. */
  body: unknown;
}

export async function vendorRequest(
  vendor: string,
  request: VendorRequest,
  signal: AbortSignal,
): Promise<VendorResponse> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
      signal,
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  } catch (error) {
    if (signal.aborted) {
      throw new IdentityServiceUnavailableError(`${vendor} timed out`, { reason: 'timeout' });
    }
    const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    const suffix = typeof code === 'string' && /^[A-Z_]+$/.test(code) ? ` (${code})` : '';
    throw new IdentityServiceUnavailableError(`${vendor} unreachable${suffix}`, { reason: 'network' });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Shorthand for the vendors' mapping code. */
export function unavailable(
  vendor: string,
  reason: UpstreamFailureReason,
  detail: string,
  status?: number,
): IdentityServiceUnavailableError {
  return new IdentityServiceUnavailableError(`${vendor}: ${detail}`, {
    reason,
    ...(status === undefined ? {} : { status }),
  });
}

/** An object's field, or undefined; vendor bodies are `unknown` until read. */
export function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** A short, safe excerpt of a vendor's error code for logs: no personal data fits in `[\w.-]{1,64}`. */
export function safeCode(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}
