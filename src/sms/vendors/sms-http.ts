/**
 * One HTTP exchange with an SMS gateway: status and body (parsed when JSON), or SmsSendError
 * for timeouts and network failures. Messages never carry the URL (Kavenegar and Melipayamak
 * keep the key in it), headers, number or code.
 */
import http from 'node:http';
import https from 'node:https';
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
    const response = await exchange(
      request.url,
      {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(body
            ? { 'content-type': body.type, 'content-length': String(Buffer.byteLength(body.body)) }
            : {}),
          ...request.headers,
        },
        signal,
      },
      body?.body,
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  } catch {
    // The raw error is dropped on purpose: some errors quote the URL, and with it a key.
    if (signal.aborted) throw new SmsSendError(`${vendor} did not answer in time`, { kind: 'timeout' });
    throw new SmsSendError(`${vendor} unreachable`, { kind: 'unreachable' });
  }
}

// node:http rather than fetch(): one SMS per sign-in, and fetch's (undici's) per-request work was
// ~3 % of a sign-in's CPU (issue 17's profile). Connections are kept alive, as fetch kept them.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** One request and its whole answer as text; rejects on network errors and on `signal`. */
function exchange(
  url: URL,
  options: { method: string; headers: Record<string, string>; signal: AbortSignal },
  body: string | undefined,
): Promise<{ status: number; text: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(url, { ...options, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
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
