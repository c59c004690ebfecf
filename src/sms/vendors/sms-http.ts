/**
 * One HTTP exchange with an SMS gateway: status and body (parsed when JSON), or SmsSendError
 * for timeouts and network failures. Messages never carry the URL (Kavenegar and Melipayamak
 * keep the key in it), headers, number or code.
 */
import { SmsSendError } from '../sms-sender.js';

export interface SmsRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

export async function smsRequest(
  vendor: string,
  request: SmsRequest,
  signal: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  const body =
    request.json !== undefined
      ? { body: JSON.stringify(request.json), type: 'application/json' }
      : request.form
        ? {
            body: new URLSearchParams(request.form).toString(),
            type: 'application/x-www-form-urlencoded; charset=utf-8',
          }
        : undefined;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': body.type } : {}),
        ...request.headers,
      },
      ...(body ? { body: body.body } : {}),
      signal,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  } catch {
    // The raw error is dropped on purpose: some fetch errors quote the URL, and with it a key.
    if (signal.aborted) throw new SmsSendError(`${vendor} did not answer in time`, { kind: 'timeout' });
    throw new SmsSendError(`${vendor} unreachable`, { kind: 'unreachable' });
  }
}

export function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

export function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** `base` (may have a path or a trailing slash) + `path`. */
export function smsUrl(base: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}
