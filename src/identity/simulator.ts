/**
 * A stand-in for the national identity service, for development and tests: in-process
 * (`createIdentitySimulator`) or over HTTP speaking exactly DESIGN.md §2.3
 * (`startIdentitySimulatorServer`, also run alone by `npm run simulator`). It knows only the
 * citizens it is given (by default the bundled demo citizens) and can be slowed down or made to
 * fail, so the provider's "try again later" paths can be exercised.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constantEquals } from '../crypto/constant-equals.js';
import { BirthDate } from '../validation/birth-date.js';
import { Mobile } from '../validation/mobile.js';
import { NationalCode } from '../validation/national-code.js';
import { DEMO_CITIZENS, type DemoCitizen } from './demo-citizens.js';
import {
  type IdentityService,
  IdentityServiceUnavailableError,
  type RegistryResult,
} from './identity-service.js';
import {
  CIVIL_REGISTRY_INQUIRY_PATH,
  civilRegistryInquiryRequest,
  MOBILE_OWNERSHIP_PATH,
  mobileOwnershipRequest,
} from './wire-format.js';

/** What the simulator needs to know about a person; the demo citizens fit. */
export type SimulatedCitizen = Pick<DemoCitizen, 'nationalCode' | 'mobile' | 'person'> &
  Partial<Pick<DemoCitizen, 'ownsMobile' | 'simulateUpstreamFailure'>>;

export interface IdentitySimulatorOptions {
  citizens?: readonly SimulatedCitizen[];
  /** Delay before every answer. Default 0. */
  latencyMs?: number;
  /** Share of calls, 0..1, that fail as an unavailable upstream would. Default 0. */
  failureRate?: number;
  /** Source of randomness for `failureRate`, injectable for deterministic tests. */
  random?: () => number;
}

export interface IdentitySimulator extends IdentityService {
  setFailureRate(rate: number): void;
  setLatency(ms: number): void;
  /** Adds or replaces a citizen (by national code), e.g. a person who got a new mobile number. */
  upsertCitizen(citizen: SimulatedCitizen): void;
}

function checkFailureRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError('failureRate must be between 0 and 1');
  return rate;
}

function checkLatency(ms: number): number {
  if (!(ms >= 0)) throw new RangeError('latencyMs must not be negative');
  return ms;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createIdentitySimulator(options: IdentitySimulatorOptions = {}): IdentitySimulator {
  const byNationalCode = new Map((options.citizens ?? DEMO_CITIZENS).map((c) => [c.nationalCode, c]));
  const random = options.random ?? Math.random;
  let latencyMs = checkLatency(options.latencyMs ?? 0);
  let failureRate = checkFailureRate(options.failureRate ?? 0);

  /** Waits the configured latency, then fails when told to; returns the citizen, if known. */
  async function lookUp(nationalCode: string): Promise<SimulatedCitizen | undefined> {
    if (latencyMs > 0) await sleep(latencyMs);
    const citizen = byNationalCode.get(nationalCode);
    if (citizen?.simulateUpstreamFailure || (failureRate > 0 && random() < failureRate)) {
      throw new IdentityServiceUnavailableError('simulated identity service failure', {
        reason: 'simulated',
      });
    }
    return citizen;
  }

  return {
    async checkMobileOwnership(nationalCode, mobile) {
      const citizen = await lookUp(nationalCode.value);
      return citizen !== undefined && citizen.ownsMobile !== false && citizen.mobile === mobile.national;
    },
    async inquireCivilRegistry(nationalCode, birthDate): Promise<RegistryResult> {
      const citizen = await lookUp(nationalCode.value);
      if (!citizen || citizen.person.birthDate !== birthDate.jalali) return { matched: false };
      return { matched: true, person: { ...citizen.person } };
    },
    setFailureRate(rate) {
      failureRate = checkFailureRate(rate);
    },
    setLatency(ms) {
      latencyMs = checkLatency(ms);
    },
    upsertCitizen(citizen) {
      byNationalCode.set(citizen.nationalCode, citizen);
    },
  };
}

// ---------------------------------------------------------------------------------- HTTP server

export interface IdentitySimulatorServerOptions extends IdentitySimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
}

export interface IdentitySimulatorServer {
  /** Base URL, e.g. `http://127.0.0.1:4100` — what `IDENTITY_SERVICE_URL` takes. */
  readonly url: string;
  readonly port: number;
  /** Requests received so far (any path, any answer), so tests can see retries and fast rejects. */
  readonly requestCount: number;
  setFailureRate(rate: number): void;
  setLatency(ms: number): void;
  upsertCitizen(citizen: SimulatedCitizen): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return; // the client gave up (timeout) or the server closed
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined); // too large: answered as a malformed request
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  return constantEquals(header ?? '', `Bearer ${token}`);
}

export async function startIdentitySimulatorServer(
  options: IdentitySimulatorServerOptions = {},
): Promise<IdentitySimulatorServer> {
  const simulator = createIdentitySimulator(options);
  const { token } = options;
  let requestCount = 0;

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (path !== MOBILE_OWNERSHIP_PATH && path !== CIVIL_REGISTRY_INQUIRY_PATH) {
      return sendJson(res, 404, { error: 'not_found' });
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      return sendJson(res, 401, { error: 'unauthorized' });
    }
    const body = parseJson(await readBody(req));
    try {
      if (path === MOBILE_OWNERSHIP_PATH) {
        const request = mobileOwnershipRequest.safeParse(body);
        if (!request.success) return sendJson(res, 400, { error: 'bad_request' });
        const mobile = Mobile.parse(request.data.mobile);
        if (!mobile) return sendJson(res, 400, { error: 'bad_request' });
        // A code with a wrong check digit was never issued: nobody owns a line with it.
        const nationalCode = NationalCode.fromDigits(request.data.nationalCode);
        if (!nationalCode) return sendJson(res, 200, { matched: false });
        return sendJson(res, 200, { matched: await simulator.checkMobileOwnership(nationalCode, mobile) });
      }
      const request = civilRegistryInquiryRequest.safeParse(body);
      if (!request.success) return sendJson(res, 400, { error: 'bad_request' });
      const birthDate = BirthDate.fromJalali(request.data.birthDate);
      if (!birthDate) return sendJson(res, 400, { error: 'bad_request' });
      const nationalCode = NationalCode.fromDigits(request.data.nationalCode);
      if (!nationalCode) return sendJson(res, 200, { matched: false });
      return sendJson(res, 200, await simulator.inquireCivilRegistry(nationalCode, birthDate));
    } catch (error) {
      if (error instanceof IdentityServiceUnavailableError) {
        return sendJson(res, 503, { error: 'unavailable' });
      }
      throw error;
    }
  }

  const server = createServer((req, res) => {
    requestCount += 1;
    answer(req, res).catch(() => sendJson(res, 500, { error: 'internal' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port, family } = server.address() as AddressInfo;
  // Listening on every interface: give a URL that can be connected to.
  const connectable = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  const hostForUrl = family === 'IPv6' && connectable === address ? `[${address}]` : connectable;

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    get requestCount() {
      return requestCount;
    },
    setFailureRate: simulator.setFailureRate,
    setLatency: simulator.setLatency,
    upsertCitizen: simulator.upsertCitizen,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Also drop keep-alive and in-flight (slow) requests so close() does not wait for them.
        server.closeAllConnections();
      });
    },
  };
}
