/**
 * A lean keep-alive HTTP/1.1 client on node:http for the load generator: far less CPU per request
 * than fetch, so the generator (sharing the machine with the provider) measures the provider and
 * not itself. Every request's latency goes to an optional recorder.
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string;
  /** Latency bucket name for the recorder, e.g. `auth`, `token`. */
  label?: string;
}

export type LatencyRecorder = (label: string, ms: number, status: number) => void;

export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  recorder: LatencyRecorder | undefined;

  constructor(base: string, options: { maxSockets?: number } = {}) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 256,
      maxFreeSockets: options.maxSockets ?? 256,
      scheduling: 'lifo',
    });
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
      const req = request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ms = performance.now() - started;
            const status = res.statusCode ?? 0;
            this.recorder?.(options.label ?? method, ms, status);
            resolve({ status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `Authorization: Basic` for client_secret_basic (form-urlencoded id and secret, RFC 6749 §2.3.1). */
export function basicAuth(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}
