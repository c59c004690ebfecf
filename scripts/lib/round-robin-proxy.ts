/**
 * A small HTTP load balancer for local multi-node runs (what nginx or a cloud load balancer does
 * in production, see docs/operations.md): round robin over the provider nodes, one public
 * address, `X-Forwarded-For` / `-Proto` / `-Host` set so the nodes (TRUST_PROXY=true) see the
 * client's address and scheme.
 *
 * Failures follow nginx's defaults (`proxy_next_upstream error timeout`, non-idempotent requests
 * not retried once sent): a node that refuses the connection is skipped and marked down for a
 * moment, and the request goes to the next node; a request already sent is retried only when it
 * is a GET or HEAD. Nodes whose /readyz fails are avoided while another node is ready; when none
 * is, requests still go through, so users see the provider's own "try again shortly" page rather
 * than a proxy error.
 *
 * It appends to an incoming X-Forwarded-For (tests and the benchmark use that to give each
 * virtual user its own address, standing for an outer load balancer), so the nodes run with
 * PROXY_HOPS=2: they take the second entry from the right and ignore anything further left.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxyOptions {
  upstreams?: string[];
  port?: number;
  host?: string;
  /** What X-Forwarded-Proto says (the scheme of the public issuer). Default `http`. */
  forwardedProto?: 'http' | 'https';
  /** /readyz polling. Default 500 ms; 0 turns it off. */
  healthCheckIntervalMs?: number;
  /** How long a node that refused a connection is skipped. Default 2 s. */
  downForMs?: number;
  /** Per upstream request. Default 30 s. */
  timeoutMs?: number;
}

export interface ProxyStats {
  forwarded: number;
  retried: number;
  failed: number;
  /** Requests answered, per upstream. */
  perUpstream: Record<string, number>;
}

export interface RoundRobinProxy {
  readonly url: string;
  readonly port: number;
  readonly stats: ProxyStats;
  upstreams(): string[];
  setUpstreams(upstreams: string[]): void;
  /** Forgets that a node was down or not ready (it was just restarted and answered /readyz). */
  markHealthy(upstream: string): void;
  close(): Promise<void>;
}

interface Upstream {
  url: URL;
  downUntil: number;
  ready: boolean;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
const MAX_BODY = 1024 * 1024;

export async function startRoundRobinProxy(options: RoundRobinProxyOptions = {}): Promise<RoundRobinProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const downForMs = options.downForMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const proto = options.forwardedProto ?? 'http';
  let pool: Upstream[] = [];
  let next = 0;
  const stats: ProxyStats = { forwarded: 0, retried: 0, failed: 0, perUpstream: {} };

  const setUpstreams = (urls: string[]) => {
    const known = new Map(pool.map((upstream) => [upstream.url.origin, upstream]));
    pool = urls.map(
      (raw) => known.get(new URL(raw).origin) ?? { url: new URL(raw), downUntil: 0, ready: true },
    );
  };
  setUpstreams(options.upstreams ?? []);

  /** Round robin, preferring nodes that are up and ready, then up, then anything. */
  function pick(exclude: Set<Upstream>): Upstream | undefined {
    const now = Date.now();
    const candidates = pool.filter((upstream) => !exclude.has(upstream));
    const tiers = [
      candidates.filter((upstream) => upstream.downUntil <= now && upstream.ready),
      candidates.filter((upstream) => upstream.downUntil <= now),
      candidates,
    ];
    const tier = tiers.find((list) => list.length > 0);
    if (!tier) return undefined;
    next = (next + 1) % 1_000_000_007;
    return tier[next % tier.length];
  }

  function forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers[name] = value;
    }
    const client = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
    headers['x-forwarded-proto'] = proto;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    return headers;
  }

  function attempt(req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<Upstream>): void {
    const upstream = pick(tried);
    if (!upstream) {
      stats.failed += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('no upstream available\n');
      return;
    }
    tried.add(upstream);
    let sent = false;
    const headers = forwardHeaders(req);
    headers['content-length'] = String(body.length);
    const upstreamRequest = request(
      {
        host: upstream.url.hostname,
        port: upstream.url.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
        timeout: timeoutMs,
      },
      (upstreamResponse) => {
        stats.forwarded += 1;
        const origin = upstream.url.origin;
        stats.perUpstream[origin] = (stats.perUpstream[origin] ?? 0) + 1;
        const responseHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamResponse.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
        }
        res.writeHead(upstreamResponse.statusCode ?? 502, responseHeaders);
        upstreamResponse.pipe(res);
        upstreamResponse.on('error', () => res.destroy());
      },
    );
    upstreamRequest.on('timeout', () => upstreamRequest.destroy(new Error('upstream timeout')));
    upstreamRequest.on('finish', () => {
      sent = true;
    });
    upstreamRequest.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const refused = error.code === 'ECONNREFUSED' || error.code === 'EHOSTUNREACH';
      if (refused || error.code === 'ECONNRESET') upstream.downUntil = Date.now() + downForMs;
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      if ((refused || !sent || idempotent) && tried.size < pool.length) {
        stats.retried += 1;
        attempt(req, res, body, tried);
        return;
      }
      stats.failed += 1;
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
    });
    upstreamRequest.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain' });
        res.end('too large\n');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => attempt(req, res, Buffer.concat(chunks), new Set()));
  });
  server.keepAliveTimeout = 30_000;

  const interval = options.healthCheckIntervalMs ?? 500;
  const checker =
    interval > 0
      ? setInterval(() => {
          for (const upstream of pool) {
            fetch(new URL('/readyz', upstream.url), { signal: AbortSignal.timeout(interval * 2) })
              .then(async (response) => {
                await response.arrayBuffer();
                upstream.ready = response.ok;
              })
              .catch(() => {
                upstream.ready = false;
              });
          }
        }, interval)
      : undefined;
  checker?.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    stats,
    upstreams: () => pool.map((upstream) => upstream.url.origin),
    setUpstreams,
    markHealthy(raw) {
      const origin = new URL(raw).origin;
      for (const upstream of pool) {
        if (upstream.url.origin !== origin) continue;
        upstream.downUntil = 0;
        upstream.ready = true;
      }
    },
    close() {
      if (checker) clearInterval(checker);
      agent.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
