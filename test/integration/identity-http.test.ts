/**
 * The HTTP identity client against the real simulator server (and, for broken answers, a tiny
 * hand-written server), over real sockets on free ports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { BrokenCircuitError } from 'cockatiel';
import { pino } from 'pino';
import { DEMO_CITIZENS, type DemoCase, type DemoCitizen } from '../../src/identity/demo-citizens.js';
import {
  createHttpIdentityClient,
  type HttpIdentityClientOptions,
  type IdentityCallEvent,
} from '../../src/identity/http-identity-client.js';
import { IdentityServiceUnavailableError } from '../../src/identity/identity-service.js';
import { type IdentitySimulatorServer, startIdentitySimulatorServer } from '../../src/identity/simulator.js';
import type { NationalCode } from '../../src/validation/national-code.js';
import { birthDate, mobile, nationalCode } from '../helpers/values.js';

const TOKEN = 'test-identity-token';
const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

function demo(kind: DemoCase): DemoCitizen {
  const found = DEMO_CITIZENS.find((c) => c.case === kind);
  if (!found) throw new Error(`no demo citizen for ${kind}`);
  return found;
}

async function unavailable(promise: Promise<unknown>): Promise<IdentityServiceUnavailableError> {
  const error = await promise.then(
    () => expect.fail('expected IdentityServiceUnavailableError'),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(IdentityServiceUnavailableError);
  return error as IdentityServiceUnavailableError;
}

/** A server that answers every request with a fixed status and raw body. */
async function startRawServer(status: number, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('identity service over HTTP (client ↔ simulator)', () => {
  const ali = demo('ordinary');
  let sim: IdentitySimulatorServer;

  const client = (overrides: Partial<HttpIdentityClientOptions> = {}) =>
    createHttpIdentityClient({
      baseUrl: sim.url,
      token: TOKEN,
      logger,
      timeoutMs: 2000,
      backoffMs: 10,
      ...overrides,
    });

  beforeEach(async () => {
    sim = await startIdentitySimulatorServer({ port: 0, token: TOKEN });
  });
  afterEach(async () => {
    await sim.close();
  });

  describe('answers', () => {
    it('mobile ownership: matched and not matched', async () => {
      const c = client();
      expect(await c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(true);
      expect(await c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile('09120000000'))).to.equal(
        false,
      );
      const sara = demo('mobile-not-owned');
      expect(await c.checkMobileOwnership(nationalCode(sara.nationalCode), mobile(sara.mobile))).to.equal(
        false,
      );
    });

    it('civil registry: matched with the person, and not matched', async () => {
      const c = client();
      expect(
        await c.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate(ali.person.birthDate)),
      ).to.deep.equal({
        matched: true,
        person: ali.person,
      });
      expect(
        await c.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate('1370/05/15')),
      ).to.deep.equal({ matched: false });
      expect(await c.inquireCivilRegistry(nationalCode('0012345679'), birthDate('1370/05/14'))).to.deep.equal(
        { matched: false },
      );
    });

    it('civil registry: a deceased person comes back with alive: false', async () => {
      const parvin = demo('deceased');
      const result = await client().inquireCivilRegistry(
        nationalCode(parvin.nationalCode),
        birthDate(parvin.person.birthDate),
      );
      expect(result).to.deep.equal({ matched: true, person: { ...parvin.person, alive: false } });
    });

    it('works with a base URL that ends in a slash', async () => {
      expect(
        await client({ baseUrl: `${sim.url}/` }).checkMobileOwnership(
          nationalCode(ali.nationalCode),
          mobile(ali.mobile),
        ),
      ).to.equal(true);
    });

    it('refuses malformed arguments as a programming error, without calling upstream', async () => {
      const c = client();
      const error = await c
        .checkMobileOwnership(
          // Only a bug could pass anything but a NationalCode; the client still checks what it sends.
          { value: '049937089' } as unknown as NationalCode,
          mobile(ali.mobile),
        )
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TypeError);
      expect(String(error)).not.to.contain(ali.nationalCode);
      expect(sim.requestCount).to.equal(0);
    });
  });

  describe('the simulator speaks §2.3', () => {
    const post = (path: string, body: string, token: string | null = TOKEN) =>
      fetch(`${sim.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      });

    it('401 without the right bearer token', async () => {
      const body = JSON.stringify({ nationalCode: ali.nationalCode, mobile: ali.mobile });
      expect((await post('/v1/mobile-ownership', body, null)).status).to.equal(401);
      expect((await post('/v1/mobile-ownership', body, 'wrong')).status).to.equal(401);
      expect((await post('/v1/mobile-ownership', body)).status).to.equal(200);
    });

    it('400 on a malformed request body', async () => {
      expect((await post('/v1/mobile-ownership', '{"nationalCode": 1')).status).to.equal(400);
      expect(
        (await post('/v1/mobile-ownership', '{"nationalCode":"123","mobile":"09121234567"}')).status,
      ).to.equal(400);
      const badDate = JSON.stringify({ nationalCode: ali.nationalCode, birthDate: '1370-05-14' });
      expect((await post('/v1/civil-registry/inquiry', badDate)).status).to.equal(400);
    });

    it('no match for a well-formed code with a wrong check digit (never issued)', async () => {
      const ownership = await post(
        '/v1/mobile-ownership',
        '{"nationalCode":"0499370898","mobile":"09121234567"}',
      );
      expect(ownership.status).to.equal(200);
      expect(await ownership.json()).to.deep.equal({ matched: false });
      const registry = await post(
        '/v1/civil-registry/inquiry',
        JSON.stringify({ nationalCode: '0499370898', birthDate: ali.person.birthDate }),
      );
      expect(registry.status).to.equal(200);
      expect(await registry.json()).to.deep.equal({ matched: false });
    });

    it('503 on a simulated failure, 404 elsewhere', async () => {
      const mahdi = demo('upstream-failure');
      const body = JSON.stringify({ nationalCode: mahdi.nationalCode, birthDate: mahdi.person.birthDate });
      expect((await post('/v1/civil-registry/inquiry', body)).status).to.equal(503);
      expect((await post('/v1/elsewhere', body)).status).to.equal(404);
    });
  });

  describe('upstream failures are never "no match"', () => {
    it('a wrong token (401) is an upstream failure, not retried', async () => {
      const error = await unavailable(
        client({ token: 'wrong' }).checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)),
      );
      expect(error.reason).to.equal('http_status');
      expect(error.status).to.equal(401);
      expect(sim.requestCount).to.equal(1);
    });

    it('the upstream-failure citizen (503) is unavailable after the retries', async () => {
      const mahdi = demo('upstream-failure');
      const error = await unavailable(
        client().inquireCivilRegistry(nationalCode(mahdi.nationalCode), birthDate(mahdi.person.birthDate)),
      );
      expect(error.status).to.equal(503);
      expect(sim.requestCount).to.equal(3);
    });

    const person = { firstName: 'علی', lastName: 'رضایی', fatherName: 'محمد', gender: 'male', alive: true };
    const answers: Array<{ label: string; status: number; body: string; registryOnly?: boolean }> = [
      { label: 'truncated JSON', status: 200, body: '{"matched": tru' },
      { label: 'matched as a string', status: 200, body: '{"matched":"false"}' },
      { label: 'an empty body', status: 200, body: '' },
      { label: 'JSON null', status: 200, body: 'null' },
      { label: 'HTTP 204', status: 204, body: '' },
      { label: 'HTTP 302', status: 302, body: '{"matched":false}' },
      { label: 'HTTP 400', status: 400, body: '{"matched":false}' },
      { label: 'matched without a person', status: 200, body: '{"matched":true}', registryOnly: true },
      {
        label: 'an unknown gender',
        status: 200,
        body: JSON.stringify({ matched: true, person: { ...person, gender: 'x', birthDate: '1370/05/14' } }),
        registryOnly: true,
      },
      {
        label: 'a birth date that is not a date',
        status: 200,
        body: JSON.stringify({ matched: true, person: { ...person, birthDate: '1370/13/40' } }),
        registryOnly: true,
      },
    ];
    for (const { label, status, body, registryOnly } of answers) {
      it(`a malformed answer (${label}) is unavailable, not a no-match`, async () => {
        const raw = await startRawServer(status, body);
        try {
          const c = client({ baseUrl: raw.url, retries: 0 });
          const error = await unavailable(
            c.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate(ali.person.birthDate)),
          );
          expect(error.reason).to.equal(status === 200 ? 'malformed_response' : 'http_status');
          if (!registryOnly)
            await unavailable(c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
        } finally {
          raw.server.close();
          raw.server.closeAllConnections();
        }
      });
    }

    it('accepts a registry date without leading zeros and normalises it', async () => {
      const raw = await startRawServer(
        200,
        JSON.stringify({ matched: true, person: { ...person, birthDate: '1370/5/4' } }),
      );
      try {
        const result = await client({ baseUrl: raw.url }).inquireCivilRegistry(
          nationalCode(ali.nationalCode),
          birthDate('1370/05/04'),
        );
        expect(result).to.deep.equal({ matched: true, person: { ...person, birthDate: '1370/05/04' } });
      } finally {
        raw.server.close();
        raw.server.closeAllConnections();
      }
    });

    it('a timeout is unavailable, within timeout × attempts', async () => {
      sim.setLatency(5_000);
      const events: IdentityCallEvent[] = [];
      const started = performance.now();
      const error = await unavailable(
        client({ timeoutMs: 200, retries: 1, onCall: (e) => events.push(e) }).checkMobileOwnership(
          nationalCode(ali.nationalCode),
          mobile(ali.mobile),
        ),
      );
      const elapsed = performance.now() - started;
      expect(error.reason).to.equal('timeout');
      expect(elapsed).to.be.below(200 * 2 + 100);
      expect(elapsed).to.be.at.least(190);
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ operation: 'mobile-ownership', outcome: 'error', reason: 'timeout' });
    });

    it('connection refused is unavailable', async () => {
      const url = sim.url;
      await sim.close();
      const error = await unavailable(
        client({ baseUrl: url, retries: 0 }).checkMobileOwnership(
          nationalCode(ali.nationalCode),
          mobile(ali.mobile),
        ),
      );
      expect(error.reason).to.equal('network');
      sim = await startIdentitySimulatorServer({ port: 0, token: TOKEN }); // for afterEach
    });
  });

  describe('logging', () => {
    it('logs failures without national codes, mobiles, birth dates or the token', async () => {
      const lines: string[] = [];
      const capture = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
      sim.setFailureRate(1);
      const c = client({ logger: capture, token: TOKEN });
      await unavailable(c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
      await unavailable(
        c.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate(ali.person.birthDate)),
      );
      const log = lines.join('');
      expect(lines.length).to.be.at.least(2);
      for (const secret of [ali.nationalCode, ali.mobile, ali.person.birthDate, TOKEN]) {
        expect(log).not.to.contain(secret);
      }
    });
  });

  describe('retries', () => {
    it('recover a flaky upstream', async () => {
      await sim.close();
      const draws = [0.1, 0.9]; // first request fails, the second succeeds
      sim = await startIdentitySimulatorServer({
        token: TOKEN,
        failureRate: 0.5,
        random: () => draws.shift() ?? 0.9,
      });
      const events: IdentityCallEvent[] = [];
      const c = client({ onCall: (e) => events.push(e) });
      expect(await c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(true);
      expect(sim.requestCount).to.equal(2);
      expect(events[0]).to.include({ outcome: 'ok', attempts: 2 });
    });

    it('give up while the upstream fails, and the next call works once it is back', async () => {
      const c = client();
      sim.setFailureRate(1);
      await unavailable(
        c.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate(ali.person.birthDate)),
      );
      expect(sim.requestCount).to.equal(3); // 1 + 2 retries
      sim.setFailureRate(0);
      expect(
        (await c.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate(ali.person.birthDate)))
          .matched,
      ).to.equal(true);
    });
  });

  describe('circuit breaker', () => {
    it('opens after consecutive failures, rejects fast, half-opens after the cooldown and closes on success', async () => {
      const events: IdentityCallEvent[] = [];
      const c = client({
        retries: 0,
        breaker: { failureThreshold: 3, cooldownMs: 300 },
        onCall: (e) => events.push(e),
      });

      sim.setFailureRate(1);
      for (let i = 0; i < 3; i++)
        await unavailable(c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
      expect(c.breaker.state).to.equal('open');
      expect(sim.requestCount).to.equal(3);

      // Open: rejected at once, the upstream is not asked.
      sim.setLatency(2_000);
      const started = performance.now();
      const rejected = await unavailable(
        c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)),
      );
      expect(performance.now() - started).to.be.below(50);
      expect(rejected.reason).to.equal('circuit_open');
      expect(rejected.cause).to.be.instanceOf(BrokenCircuitError);
      expect(sim.requestCount).to.equal(3);
      expect(events.at(-1)).to.include({ outcome: 'rejected', attempts: 0 });

      // After the cooldown, one trial goes through; the upstream is back, so it closes.
      sim.setLatency(0);
      sim.setFailureRate(0);
      await sleep(300);
      expect(c.breaker.state).to.equal('half-open');
      expect(await c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(true);
      expect(c.breaker.state).to.equal('closed');
      expect(sim.requestCount).to.equal(4);
    });

    it('counts a call with all its retries as one failure', async () => {
      const c = client({ retries: 2, breaker: { failureThreshold: 2 } });
      sim.setFailureRate(1);
      await unavailable(c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
      expect(sim.requestCount).to.equal(3);
      expect(c.breaker.state).to.equal('closed');
      await unavailable(c.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
      expect(c.breaker.state).to.equal('open');
    });
  });
});
