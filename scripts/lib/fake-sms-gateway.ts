/**
 * A lean fake of Kavenegar's verify-lookup endpoint (DESIGN.md §2.4) for scripts and scale tests:
 * it keeps only the newest code per number (so a long benchmark does not grow a message list),
 * counts what it accepted, and can be told to fail. Tests wanting every message use
 * test/helpers/fake-kavenegar.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSmsGateway {
  readonly url: string;
  readonly apiKey: string;
  readonly template: string;
  /** Messages accepted so far. */
  readonly accepted: number;
  /** Requests of any kind. */
  readonly requests: number;
  /** The newest code sent to this `09…` number. */
  lastCodeFor(receptor: string): string | undefined;
  /** Resolves with the next code sent to this number after the call (or the one already there when `since` is older). */
  waitForCode(receptor: string, since: number, timeoutMs?: number): Promise<string>;
  setFailing(failing: boolean): void;
  /** Environment variables that point a provider at this gateway. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

interface Delivered {
  code: string;
  at: number;
}

export async function startFakeSmsGateway(
  options: { apiKey?: string; template?: string; host?: string } = {},
): Promise<FakeSmsGateway> {
  const apiKey = options.apiKey ?? 'bench-kavenegar-key';
  const template = options.template ?? 'darvaze-otp';
  const latest = new Map<string, Delivered>();
  const waiters = new Map<string, Array<(delivered: Delivered) => void>>();
  let failing = false;
  let accepted = 0;
  let requests = 0;
  const path = `/v1/${encodeURIComponent(apiKey)}/verify/lookup.json`;

  const reply = (res: ServerResponse, http: number, status: number, message: string) => {
    const body = JSON.stringify({ return: { status, message }, entries: null });
    res.writeHead(http, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== path) return reply(res, 404, 404, 'not found');
    if (failing) return reply(res, 500, 500, 'injected failure');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const receptor = form.get('receptor') ?? '';
    const token = form.get('token') ?? '';
    if (!/^09\d{9}$/.test(receptor) || !token || form.get('template') !== template) {
      return reply(res, 400, 400, 'invalid parameters');
    }
    accepted += 1;
    const delivered = { code: token, at: Date.now() };
    latest.set(receptor, delivered);
    const pending = waiters.get(receptor);
    if (pending) {
      waiters.delete(receptor);
      for (const wake of pending) wake(delivered);
    }
    return reply(res, 200, 200, 'ok');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, 500, 'fake failed'));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;

  return {
    url,
    apiKey,
    template,
    get accepted() {
      return accepted;
    },
    get requests() {
      return requests;
    },
    lastCodeFor: (receptor) => latest.get(receptor)?.code,
    waitForCode(receptor, since, timeoutMs = 10_000) {
      const known = latest.get(receptor);
      if (known && known.at >= since) return Promise.resolve(known.code);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no SMS to ${receptor}`)), timeoutMs);
        const list = waiters.get(receptor) ?? [];
        list.push((delivered) => {
          clearTimeout(timer);
          resolve(delivered.code);
        });
        waiters.set(receptor, list);
      });
    },
    setFailing(value) {
      failing = value;
    },
    env: () => ({
      SMS_PROVIDER: 'kavenegar',
      KAVENEGAR_URL: url,
      KAVENEGAR_API_KEY: apiKey,
      KAVENEGAR_TEMPLATE: template,
    }),
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
