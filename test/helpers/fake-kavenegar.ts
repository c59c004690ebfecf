/**
 * An HTTP fake of Kavenegar's verify-lookup gateway (DESIGN.md §2.4) for tests:
 * `POST /v1/{apiKey}/verify/lookup.json`, form-encoded `receptor`, `template`, `token`.
 * It answers like the real one (JSON with `return.status`) and records every accepted message
 * so a test can read the code a user would have received.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeKavenegarMessage {
  receptor: string;
  template: string;
  token: string;
  at: number;
}

/**
 * How a failing gateway fails: `http` answers HTTP 500 with `return.status` 500; `body` answers
 * HTTP 200 but with `return.status` 418 (a refusal only the body tells).
 */
export type FakeKavenegarFailureMode = 'http' | 'body';

export interface FakeKavenegar {
  readonly url: string;
  readonly messages: FakeKavenegarMessage[];
  /** Requests of any kind, accepted or not. */
  readonly requestCount: number;
  /** The `token` (code) of the newest message to this `09…` number. */
  lastCodeFor(receptor: string): string | undefined;
  setFailing(failing: boolean, mode?: FakeKavenegarFailureMode): void;
  close(): Promise<void>;
}

function reply(
  res: ServerResponse,
  httpStatus: number,
  returnStatus: number,
  message: string,
  entries?: unknown,
) {
  const text = JSON.stringify({ return: { status: returnStatus, message }, entries: entries ?? null });
  res.writeHead(httpStatus, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeKavenegar(options: { apiKey: string; host?: string }): Promise<FakeKavenegar> {
  const messages: FakeKavenegarMessage[] = [];
  let failing: FakeKavenegarFailureMode | undefined;
  let requestCount = 0;
  let messageId = 1000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    requestCount += 1;
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    // The free account call the deploy-time check uses (`npm run upstreams -- check`).
    const info = /^\/v1\/([^/]+)\/account\/info\.json$/.exec(pathname);
    if (info) {
      if (decodeURIComponent(info[1] ?? '') !== options.apiKey)
        return reply(res, 403, 403, 'API key is not valid');
      return reply(res, 200, 200, 'تایید شد', { remaincredit: 150000, expiredate: 0, type: 'master' });
    }
    const match = /^\/v1\/([^/]+)\/verify\/lookup\.json$/.exec(pathname);
    if (!match || req.method !== 'POST') return reply(res, 404, 404, 'not found');
    if (decodeURIComponent(match[1] ?? '') !== options.apiKey)
      return reply(res, 403, 403, 'API key is not valid');
    const body = await readBody(req);
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return reply(res, 400, 400, 'form-encoded body expected');
    }
    const form = new URLSearchParams(body);
    const receptor = form.get('receptor') ?? '';
    const template = form.get('template') ?? '';
    const token = form.get('token') ?? '';
    if (!/^09\d{9}$/.test(receptor) || !template || !token) return reply(res, 400, 400, 'invalid parameters');
    if (failing === 'http') return reply(res, 500, 500, 'injected failure');
    if (failing === 'body') return reply(res, 200, 418, 'injected refusal');
    const at = Date.now();
    messages.push({ receptor, template, token, at });
    messageId += 1;
    const entry = { messageid: messageId, message: token, status: 5, receptor, date: Math.floor(at / 1000) };
    return reply(res, 200, 200, 'تایید شد', [entry]);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, 500, 'fake failed'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    messages,
    get requestCount() {
      return requestCount;
    },
    lastCodeFor(receptor) {
      return messages.findLast((m) => m.receptor === receptor)?.token;
    },
    setFailing(value, mode = 'http') {
      failing = value ? mode : undefined;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
