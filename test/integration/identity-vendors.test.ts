/**
 * Each identity vendor's connector over real HTTP against a fake of that vendor built from the
 * documented shapes: every answer class, token expiry, refresh and sharing between nodes, slow,
 * hanging and malformed answers, and what reaches the log.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import { createPersonalDataCipher } from '../../src/accounts/personal-data-cipher.js';
import { DEMO_CITIZENS, type DemoCase, type DemoCitizen } from '../../src/identity/demo-citizens.js';
import type { IdentityCallEvent } from '../../src/identity/http-identity-client.js';
import {
  IdentityServiceUnavailableError,
  type UpstreamFailureReason,
} from '../../src/identity/identity-service.js';
import { createFinnotechVendor } from '../../src/identity/vendors/finnotech/client.js';
import { finnotechTokenSource } from '../../src/identity/vendors/finnotech/token.js';
import { finnotechDefaultScopes } from '../../src/identity/vendors/finnotech/wire.js';
import { createJibitVendor } from '../../src/identity/vendors/jibit/client.js';
import { jibitTokenSource } from '../../src/identity/vendors/jibit/token.js';
import { createTokenCache } from '../../src/identity/vendors/token-cache.js';
import {
  createVendorIdentityClient,
  type IdentityVendor,
  type VendorIdentityClient,
} from '../../src/identity/vendors/vendor-client.js';
import { createZibalVendor } from '../../src/identity/vendors/zibal/client.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { BirthDate } from '../../src/validation/birth-date.js';
import { Mobile } from '../../src/validation/mobile.js';
import { NationalCode } from '../../src/validation/national-code.js';
import { startFakeFinnotech } from '../helpers/fakes/fake-finnotech.js';
import { startFakeJibit } from '../helpers/fakes/fake-jibit.js';
import type { FakeServer, InjectedFailure } from '../helpers/fakes/fake-server.js';
import { startFakeZibal } from '../helpers/fakes/fake-zibal.js';
import { uniquePrefix } from '../helpers/redis-server.js';
import { sharedTestRedis } from '../helpers/stores.js';

/** The value types the identity interface takes, from the test's literals. */
const nc = (digits: string) => NationalCode.fromDigits(digits)!;
const mob = (text: string) => Mobile.parse(text)!;
const bd = (jalali: string) => BirthDate.fromJalali(jalali)!;

const SECRETS = {
  jibitKey: 'jibit-api-key-1',
  jibitSecret: 'jibit-secret-XYZ',
  finnotechSecret: 'finno-secret-XYZ',
  zibalToken: 'zibal-token-XYZ',
};
const FINNOTECH = { clientId: 'darvaze', nid: '0012345679' };
const sealer = createPersonalDataCipher({
  keys: [{ id: 'k1', key: randomBytes(32) }],
  indexKey: randomBytes(32),
});

function demo(kind: DemoCase): DemoCitizen {
  const found = DEMO_CITIZENS.find((c) => c.case === kind);
  if (!found) throw new Error(`no demo citizen for ${kind}`);
  return found;
}

async function failure(promise: Promise<unknown>): Promise<IdentityServiceUnavailableError> {
  const error = await promise.then(
    () => expect.fail('expected IdentityServiceUnavailableError'),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(IdentityServiceUnavailableError);
  return error as IdentityServiceUnavailableError;
}

interface Rig {
  fake: FakeServer & { tokenCalls?: number; trackIds?: string[]; revokeTokens?: () => void };
  client(store?: Store, overrides?: { timeoutMs?: number }): VendorIdentityClient;
  logs: string[];
  events: Array<IdentityCallEvent & { vendor: string }>;
}

interface VendorCase {
  name: string;
  start(): Promise<Rig>;
  /** Vendor bodies for each error class. */
  errors: Partial<Record<UpstreamFailureReason, InjectedFailure>>;
  hasTokens: boolean;
}

function rigParts() {
  const logs: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const events: Rig['events'] = [];
  /** The connector under test around a vendor, with short timeouts and the rig's log and events. */
  const connect = (vendor: IdentityVendor, overrides: { timeoutMs?: number } = {}) =>
    createVendorIdentityClient({
      vendor,
      timeoutMs: overrides.timeoutMs ?? 1000,
      backoffMs: 5,
      logger,
      onCall: (event) => events.push(event),
    });
  return { logs, events, connect };
}

const CASES: VendorCase[] = [
  {
    name: 'jibit',
    hasTokens: true,
    errors: {
      rate_limited: { mode: 'body', status: 400, body: { code: 'daily_limit.reached', message: '' } },
      invalid_input: { mode: 'body', status: 400, body: { code: 'mobileNumber.not_valid', message: '' } },
      ambiguous: { mode: 'body', status: 400, body: { code: 'matching.unknown', message: '' } },
      http_status: { mode: 'body', status: 502, body: { code: 'server.error', message: '' } },
    },
    async start() {
      const fake = await startFakeJibit({ apiKey: SECRETS.jibitKey, secretKey: SECRETS.jibitSecret });
      const { logs, events, connect } = rigParts();
      const shared = new MemoryStore();
      return {
        fake,
        logs,
        events,
        client(store = shared, overrides = {}) {
          const tokenSource = jibitTokenSource({
            baseUrl: fake.url,
            apiKey: SECRETS.jibitKey,
            secretKey: SECRETS.jibitSecret,
          });
          return connect(
            createJibitVendor({
              baseUrl: fake.url,
              tokenSource,
              tokens: createTokenCache({ store, sealer, name: 'jibit', source: tokenSource }),
            }),
            overrides,
          );
        },
      };
    },
  },
  {
    name: 'finnotech',
    hasTokens: true,
    errors: {
      rate_limited: {
        mode: 'body',
        status: 429,
        body: { status: 'FAILED', error: { code: 'TOO_MANY', message: '' } },
      },
      invalid_input: {
        mode: 'body',
        status: 400,
        body: {
          responseCode: 'FN-KCFH-40002730151',
          status: 'FAILED',
          error: { code: 'VALIDATION_ERROR', message: 'invalid birthdate' },
        },
      },
      ambiguous: {
        mode: 'body',
        status: 409,
        body: {
          responseCode: 'FN-KCFH-40900000001',
          status: 'FAILED',
          error: { code: 'OUT_OF_TIME_WINDOW', message: '' },
        },
      },
      http_status: {
        mode: 'body',
        status: 500,
        body: { responseCode: 'FN-FYJT-50000140367', status: 'FAILED', error: {} },
      },
    },
    async start() {
      const fake = await startFakeFinnotech({
        clientId: FINNOTECH.clientId,
        clientSecret: SECRETS.finnotechSecret,
        nid: FINNOTECH.nid,
      });
      const { logs, events, connect } = rigParts();
      const shared = new MemoryStore();
      return {
        fake,
        logs,
        events,
        client(store = shared, overrides = {}) {
          const tokenSource = finnotechTokenSource({
            baseUrl: fake.url,
            clientId: FINNOTECH.clientId,
            clientSecret: SECRETS.finnotechSecret,
            nid: FINNOTECH.nid,
            scopes: finnotechDefaultScopes('facility'),
          });
          return connect(
            createFinnotechVendor({
              baseUrl: fake.url,
              clientId: FINNOTECH.clientId,
              shahkarRoute: 'facility',
              tokenSource,
              tokens: createTokenCache({ store, sealer, name: 'finnotech', source: tokenSource }),
            }),
            overrides,
          );
        },
      };
    },
  },
  {
    name: 'zibal',
    hasTokens: false,
    errors: {
      rate_limited: { mode: 'body', status: 200, body: { result: 29, message: '' } },
      invalid_input: { mode: 'body', status: 400, body: { result: 6, message: '' } },
      ambiguous: { mode: 'body', status: 200, body: { result: 99, message: '' } },
      unauthorized: { mode: 'body', status: 200, body: { result: 8, message: '' } },
      http_status: { mode: 'body', status: 200, body: { result: 45, message: '' } },
    },
    async start() {
      const fake = await startFakeZibal({ token: SECRETS.zibalToken });
      const { logs, events, connect } = rigParts();
      return {
        fake,
        logs,
        events,
        client(_store, overrides = {}) {
          return connect(createZibalVendor({ baseUrl: fake.url, token: SECRETS.zibalToken }), overrides);
        },
      };
    },
  },
];

for (const vendor of CASES) {
  describe(`identity vendor ${vendor.name} over HTTP (connector ↔ fake)`, () => {
    const ali = demo('ordinary');
    let rig: Rig;
    beforeEach(async () => {
      rig = await vendor.start();
    });
    afterEach(async () => {
      await rig.fake.close();
    });

    it('matched: the mobile is theirs and the registry returns the person', async () => {
      const client = rig.client();
      expect(await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile))).to.equal(true);
      const result = await client.inquireCivilRegistry(nc(ali.nationalCode), bd(ali.person.birthDate));
      expect(result).to.deep.equal({ matched: true, person: ali.person, source: vendor.name });
    });

    it("not matched: another person's mobile, and a wrong birth date", async () => {
      const client = rig.client();
      const other = demo('mobile-not-owned');
      expect(await client.checkMobileOwnership(nc(other.nationalCode), mob(other.mobile))).to.equal(false);
      expect(await client.checkMobileOwnership(nc(ali.nationalCode), mob('09120000000'))).to.equal(false);
      const result = await client.inquireCivilRegistry(nc(ali.nationalCode), bd('1371/01/01'));
      expect(result.matched).to.equal(false);
    });

    it('not found: a national code the registry does not know', async () => {
      const result = await rig.client().inquireCivilRegistry(nc('0013542419'), bd('1370/05/14'));
      expect(result.matched).to.equal(false);
    });

    it('deceased: matched with alive false', async () => {
      const dead = demo('deceased');
      const result = await rig
        .client()
        .inquireCivilRegistry(nc(dead.nationalCode), bd(dead.person.birthDate));
      expect(result.matched && result.person.alive).to.equal(false);
      expect(result.matched).to.equal(true);
    });

    it('the vendor\'s own "provider down" answer is unavailable, never "no"', async () => {
      const down = demo('upstream-failure');
      const error = await failure(rig.client().checkMobileOwnership(nc(down.nationalCode), mob(down.mobile)));
      expect(error.reason).to.equal('http_status');
    });

    for (const [reason, injected] of Object.entries(vendor.errors)) {
      it(`maps the vendor's ${reason} answer to unavailable (${reason})`, async () => {
        const client = rig.client();
        await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile)); // token in place
        rig.fake.fail(injected);
        const error = await failure(client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile)));
        expect(error.reason).to.equal(reason);
      });
    }

    it('a 5xx without a body is retried, then unavailable; the vendor recovering is seen', async () => {
      const client = rig.client();
      rig.fake.fail({ mode: 'down' });
      const error = await failure(client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile)));
      expect(error.reason).to.equal('http_status');
      expect(rig.events.at(-1)).to.include({ vendor: vendor.name, outcome: 'error', attempts: 3 });
      rig.fake.fail(undefined);
      expect(await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile))).to.equal(true);
    });

    it('a malformed (non-JSON) answer is unavailable, never "no"', async () => {
      const client = rig.client();
      await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile));
      rig.fake.fail({ mode: 'malformed' });
      const error = await failure(
        client.inquireCivilRegistry(nc(ali.nationalCode), bd(ali.person.birthDate)),
      );
      expect(['malformed_response', 'ambiguous']).to.include(error.reason);
    });

    it('a slow answer within the timeout is taken; a hanging one times out within the budget', async () => {
      const client = rig.client(undefined, { timeoutMs: 300 });
      await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile));
      rig.fake.fail({ mode: 'slow', ms: 100 });
      expect(await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile))).to.equal(true);
      rig.fake.fail({ mode: 'hang' });
      const started = performance.now();
      const error = await failure(client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile)));
      expect(error.reason).to.equal('timeout');
      expect(performance.now() - started).to.be.below(300 * 3 + 200);
    });

    it('logs a track id for every call, without credentials or personal data', async () => {
      const client = rig.client();
      await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile));
      await client.inquireCivilRegistry(nc(ali.nationalCode), bd(ali.person.birthDate));
      const answered = rig.logs
        .map((line) => JSON.parse(line))
        .filter((line) => line.msg === 'identity vendor answered');
      expect(answered).to.have.length(2);
      for (const line of answered) expect(line.trackId).to.match(/^[0-9a-f]{32}$/);
      if (rig.fake.trackIds)
        expect(rig.fake.trackIds).to.include.members(answered.map((line) => line.trackId));
      const text = rig.logs.join('');
      for (const secret of [...Object.values(SECRETS), ali.nationalCode, ali.mobile, ali.person.firstName]) {
        expect(text).not.to.contain(secret);
      }
    });

    if (vendor.hasTokens) {
      /** Two nodes' stores: one shared memory store, or two connections to one Redis key space. */
      const sharedStores: Record<string, () => Promise<[Store, Store]>> = {
        memory: async () => {
          const store = new MemoryStore();
          return [store, store];
        },
        redis: async () => {
          const url = (await sharedTestRedis()).url;
          const keyPrefix = uniquePrefix('vendor-tokens');
          return [new RedisStore({ url, keyPrefix }, Date.now), new RedisStore({ url, keyPrefix }, Date.now)];
        },
      };
      for (const [kind, open] of Object.entries(sharedStores)) {
        it(`asks for a token once for many concurrent calls on two nodes sharing the store (${kind})`, async () => {
          const stores = await open();
          const nodes = stores.map((store) => rig.client(store));
          try {
            const answers = await Promise.all(
              Array.from({ length: 10 }, (_, i) =>
                (nodes[i % 2] as VendorIdentityClient).checkMobileOwnership(
                  nc(ali.nationalCode),
                  mob(ali.mobile),
                ),
              ),
            );
            expect(answers.every(Boolean)).to.equal(true);
            expect(rig.fake.tokenCalls).to.equal(1);
            const sealed = await stores[1].get(`upstream:token:${vendor.name}`);
            expect(sealed).to.be.a('string').and.to.match(/^v1\./);
          } finally {
            await Promise.all([...new Set(stores)].map((store) => store.close()));
          }
        });
      }

      it('a token the vendor refuses early is dropped and replaced, and the call still answers', async () => {
        const client = rig.client();
        await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile));
        rig.fake.revokeTokens?.();
        expect(await client.checkMobileOwnership(nc(ali.nationalCode), mob(ali.mobile))).to.equal(true);
        expect(rig.fake.tokenCalls).to.equal(2);
      });
    }
  });
}

describe('identity vendor tokens: expiry and refresh', () => {
  it('Jibit: renews shortly before expiry, by refresh while the refresh token lives', async () => {
    const fake = await startFakeJibit({
      apiKey: SECRETS.jibitKey,
      secretKey: SECRETS.jibitSecret,
      accessTtlMs: 3600_000,
    });
    try {
      let now = Date.now();
      const store = new MemoryStore();
      const source = jibitTokenSource({
        baseUrl: fake.url,
        apiKey: SECRETS.jibitKey,
        secretKey: SECRETS.jibitSecret,
      });
      const cache = createTokenCache({
        store,
        sealer,
        name: 'jibit',
        source,
        now: () => now,
        marginMs: 60_000,
      });
      const signal = new AbortController().signal;
      const first = await cache.get(signal);
      now += 30 * 60_000;
      expect(await cache.get(signal)).to.equal(first);
      now += 30 * 60_000 - 30_000; // inside the margin
      const second = await cache.get(signal);
      expect(second).not.to.equal(first);
      expect([fake.tokenCalls, fake.refreshCalls]).to.deep.equal([1, 1]);
    } finally {
      await fake.close();
    }
  });

  it('Jibit: wrong credentials are "unauthorized", and the message carries no secret', async () => {
    const fake = await startFakeJibit({ apiKey: SECRETS.jibitKey, secretKey: SECRETS.jibitSecret });
    try {
      const source = jibitTokenSource({
        baseUrl: fake.url,
        apiKey: SECRETS.jibitKey,
        secretKey: 'wrong-secret',
      });
      const error = await failure(source.generate(new AbortController().signal));
      expect(error.reason).to.equal('unauthorized');
      expect(error.message).not.to.contain('wrong-secret');
    } finally {
      await fake.close();
    }
  });

  it('Finnotech: lifeTime is milliseconds; a lapsed token is replaced (refresh, then the call)', async () => {
    const fake = await startFakeFinnotech({
      clientId: FINNOTECH.clientId,
      clientSecret: SECRETS.finnotechSecret,
      nid: FINNOTECH.nid,
      lifeTimeMs: 600_000,
    });
    try {
      let now = Date.now();
      const source = finnotechTokenSource({
        baseUrl: fake.url,
        clientId: FINNOTECH.clientId,
        clientSecret: SECRETS.finnotechSecret,
        nid: FINNOTECH.nid,
        scopes: finnotechDefaultScopes('facility'),
        now: () => now,
      });
      const token = await source.generate(new AbortController().signal);
      expect(token.accessExpiresAt - now).to.equal(600_000);
      const cache = createTokenCache({
        store: new MemoryStore(),
        sealer,
        name: 'finnotech',
        source,
        now: () => now,
        marginMs: 60_000,
      });
      const first = await cache.get(new AbortController().signal);
      now += 560_000;
      const second = await cache.get(new AbortController().signal);
      expect(second).not.to.equal(first);
      expect(fake.tokenCalls).to.equal(3); // generate above, generate for the cache, refresh
    } finally {
      await fake.close();
    }
  });
});
