/**
 * The shared part of the vendor fakes: a real HTTP server on a free loopback port, a log of
 * requests, and failures a test can inject into the vendor's API (not its token endpoint, unless
 * asked): `down` (HTTP 503 with an empty body), `hang` (never answers), `slow` (answers after
 * `slowMs`), `malformed` (HTTP 200 that is not JSON), `body` (a given status and JSON body, for
 * the vendor's own error classes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type InjectedFailure =
  | { mode: 'down' }
  | { mode: 'hang' }
  | { mode: 'slow'; ms: number }
  | { mode: 'malformed' }
  | { mode: 'body'; status: number; body: unknown };

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON, or the form fields, or undefined. */
  body: unknown;
}

export interface FakeServer {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** Failure for the vendor's service calls; undefined: answer normally. */
  fail(failure: InjectedFailure | undefined): void;
  close(): Promise<void>;
}

export type FakeHandler = (request: FakeRequest) => { status: number; body: unknown; service: boolean };

export async function startFakeServer(handle: FakeHandler): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  let failure: InjectedFailure | undefined;
  const hanging = new Set<ServerResponse>();

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown;
    if (/json/i.test(req.headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    } else if (text) body = Object.fromEntries(new URLSearchParams(text));
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    requests.push(request);
    const answer = handle(request);
    const send = (status: number, payload: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(payload);
    };
    if (answer.service && failure) {
      if (failure.mode === 'hang') {
        hanging.add(res);
        return;
      }
      if (failure.mode === 'down') return send(503, '');
      if (failure.mode === 'malformed') return send(200, '<html>proxy error</html>');
      if (failure.mode === 'body') return send(failure.status, JSON.stringify(failure.body));
      await new Promise((resolve) => setTimeout(resolve, failure?.mode === 'slow' ? failure.ms : 0));
    }
    send(answer.status, JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail(next) {
      failure = next;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Adds a fake's own fields to the server, getters kept live (Object.assign would copy their values once). */
export function withExtras<T extends object, E extends object>(server: T, extras: E): T & E {
  return Object.defineProperties(server, Object.getOwnPropertyDescriptors(extras)) as T & E;
}
