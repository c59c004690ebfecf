import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no URL parser collapses `//`, dot segments or percent-encoding. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP request the way an attacker's script sends it: node:http, the path verbatim. */
export function rawRequest(base: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: hostname, port, method: req.method, path: req.path, headers: req.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/**
 * Other spellings of a path that a lenient router or proxy may treat as the same path: letter
 * case, doubled and trailing slashes, percent-encoded letters and slashes, dot segments, matrix
 * parameters. The first entry is the path itself.
 */
export function spellingsOf(path: string): string[] {
  const segments = path.split('/').slice(1);
  const encodeFirstLetter = (segment: string) =>
    segment.replace(/[a-z]/i, (letter) => `%${letter.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const variants = new Set<string>([
    path,
    path.toUpperCase(),
    `/${segments.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('/')}`,
    `/${segments.map((s, i) => (i === 0 ? s.toUpperCase() : s)).join('/')}`,
    `/${segments.map((s, i) => (i === segments.length - 1 ? s.toUpperCase() : s)).join('/')}`,
    `/${path}`,
    `${path}/`,
    `${path}//`,
    path.replaceAll('/', '//'),
    `/${segments.join('/./')}`,
    `/${segments.join('/x/../')}`,
    `/${segments.join('%2F')}`,
    `/${segments.join('%2f')}`,
    `/${segments.map(encodeFirstLetter).join('/')}`,
    `/${segments.map((s, i) => (i === 0 ? encodeFirstLetter(s) : s)).join('/')}`,
    `${path};x=1`,
    `${path}%20`,
    `${path}%00`,
    `${path}?x=1`,
    `${path}#x`,
  ]);
  return [...variants];
}
