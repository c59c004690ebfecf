/**
 * Each SMS vendor's sender over real HTTP against a fake of that gateway built from the documented
 * shapes: the code goes out on the template API, cost is reported, every failure has its kind,
 * slow/hanging/malformed answers, credential checks that send nothing; then failover between
 * senders, which skips a refused number and a vendor whose breaker is open.
 */
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import { createFailoverSmsSender } from '../../src/sms/failover-sms-sender.js';
import { SmsSendError } from '../../src/sms/sms-sender.js';
import { createGhasedakVendor } from '../../src/sms/vendors/ghasedak/sender.js';
import { createKavenegarVendor } from '../../src/sms/vendors/kavenegar/sender.js';
import { createMelipayamakVendor } from '../../src/sms/vendors/melipayamak/sender.js';
import { createSmsIrVendor } from '../../src/sms/vendors/smsir/sender.js';
import {
  createVendorSmsSender,
  type SmsSendEvent,
  type SmsVendor,
  type VendorSmsSender,
} from '../../src/sms/vendors/vendor-sender.js';
import { Mobile } from '../../src/validation/mobile.js';
import { startFakeKavenegar } from '../helpers/fake-kavenegar.js';
import type { InjectedFailure } from '../helpers/fakes/fake-server.js';
import {
  type FakeSms,
  startFakeGhasedak,
  startFakeMelipayamak,
  startFakeSmsIr,
} from '../helpers/fakes/fake-sms.js';

const mob = (text: string) => Mobile.parse(text)!;

const KEY = 'sms-secret-key-XYZ';
const MOBILE = '+989121234567';

async function sendError(promise: Promise<unknown>): Promise<SmsSendError> {
  const error = await promise.then(
    () => expect.fail('expected SmsSendError'),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(SmsSendError);
  return error as SmsSendError;
}

interface SmsCase {
  name: string;
  start(): Promise<FakeSms>;
  vendor(url: string, key?: string): SmsVendor;
  /** The gateway's answer for a refused number, when it has one. */
  invalidNumber?: InjectedFailure;
  credit?: InjectedFailure;
  expectedCost?: number;
}

const CASES: SmsCase[] = [
  {
    name: 'smsir',
    start: () => startFakeSmsIr({ apiKey: KEY, templateId: 100 }),
    vendor: (url, key = KEY) => createSmsIrVendor({ baseUrl: url, apiKey: key, templateId: 100 }),
    invalidNumber: { mode: 'body', status: 400, body: { status: 104, message: '', data: null } },
    credit: { mode: 'body', status: 200, body: { status: 102, message: '', data: null } },
    expectedCost: 1.5,
  },
  {
    name: 'ghasedak',
    start: () => startFakeGhasedak({ apiKey: KEY, template: 'otp' }),
    vendor: (url, key = KEY) => createGhasedakVendor({ baseUrl: url, apiKey: key, template: 'otp' }),
    expectedCost: 120,
  },
  {
    name: 'melipayamak',
    start: () => startFakeMelipayamak({ apiKey: KEY, bodyId: 151677 }),
    vendor: (url, key = KEY) => createMelipayamakVendor({ baseUrl: url, apiKey: key, bodyId: 151677 }),
  },
];

function rig(vendor: SmsVendor, timeoutMs = 1000) {
  const logs: string[] = [];
  const events: SmsSendEvent[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write: (chunk, _e, done) => {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const sender = createVendorSmsSender({ vendor, timeoutMs, logger, onSend: (event) => events.push(event) });
  return { sender, logs, events };
}

for (const c of CASES) {
  describe(`SMS vendor ${c.name} over HTTP (sender ↔ fake)`, () => {
    let fake: FakeSms;
    beforeEach(async () => {
      fake = await c.start();
    });
    afterEach(async () => {
      await fake.close();
    });

    it('sends the code to the 09… number on the template API, with cost and latency reported', async () => {
      const { sender, events, logs } = rig(c.vendor(fake.url));
      await sender.send(mob(MOBILE), '482913');
      expect(fake.lastCodeFor('09121234567')).to.equal('482913');
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ vendor: c.name, outcome: 'sent' });
      if (c.expectedCost !== undefined) expect(events[0]?.cost).to.equal(c.expectedCost);
      const text = logs.join('');
      for (const secret of [KEY, '09121234567', '482913', fake.url]) expect(text).not.to.contain(secret);
    });

    it('a refused key is an auth failure, without the key in the message', async () => {
      const { sender, events } = rig(c.vendor(fake.url, 'wrong-key-ABC'));
      const error = await sendError(sender.send(mob(MOBILE), '482913'));
      expect(error.kind).to.equal('auth');
      expect(error.message).not.to.contain('wrong-key-ABC');
      expect(events[0]).to.include({ outcome: 'failed', cause: 'auth' });
    });

    it('down, malformed and hanging gateways are gateway, malformed and timeout failures', async () => {
      const { sender } = rig(c.vendor(fake.url), 300);
      fake.fail({ mode: 'down' });
      expect((await sendError(sender.send(mob(MOBILE), '1'))).kind).to.equal('gateway');
      fake.fail({ mode: 'malformed' });
      expect((await sendError(sender.send(mob(MOBILE), '1'))).kind).to.equal('malformed');
      fake.fail({ mode: 'hang' });
      const started = performance.now();
      expect((await sendError(sender.send(mob(MOBILE), '1'))).kind).to.equal('timeout');
      expect(performance.now() - started).to.be.below(700);
      fake.fail({ mode: 'slow', ms: 50 });
      await sender.send(mob(MOBILE), '777777');
      expect(fake.lastCodeFor('09121234567')).to.equal('777777');
    });

    if (c.invalidNumber) {
      it('a refused number is invalid_number ("rejected", not a gateway failure)', async () => {
        const { sender, events } = rig(c.vendor(fake.url));
        fake.fail(c.invalidNumber);
        expect((await sendError(sender.send(mob(MOBILE), '1'))).kind).to.equal('invalid_number');
        expect(events[0]).to.include({ outcome: 'rejected', cause: 'invalid_number' });
      });
    }
    if (c.credit) {
      it('no credit left is a credit failure', async () => {
        const { sender } = rig(c.vendor(fake.url));
        fake.fail(c.credit);
        expect((await sendError(sender.send(mob(MOBILE), '1'))).kind).to.equal('credit');
      });
    }

    it('the credential check sends nothing, and tells a wrong key', async () => {
      const signal = new AbortController().signal;
      expect(await c.vendor(fake.url).checkCredentials(signal)).to.match(/accepted/);
      await sendError(c.vendor(fake.url, 'wrong-key-ABC').checkCredentials(signal));
      expect(fake.messages).to.have.length(0);
    });
  });
}

describe('Kavenegar vendor: failure kinds and cost', () => {
  it('reads cost from entries, and maps 411/418/451 to invalid_number/credit/rate_limited', async () => {
    const gateway = await startFakeKavenegar({ apiKey: KEY });
    try {
      const vendor = createKavenegarVendor({ baseUrl: gateway.url, apiKey: KEY, template: 'otp' });
      const receipt = await vendor.send('09121234567', '482913', new AbortController().signal);
      expect(receipt.messageId).to.be.a('string');
      gateway.setFailing(true, 'body');
      const error = await sendError(vendor.send('09121234567', '1', new AbortController().signal));
      expect(error.kind).to.equal('credit');
    } finally {
      await gateway.close();
    }
  });
});

describe('SMS failover', () => {
  let first: FakeSms;
  let second: FakeSms;
  beforeEach(async () => {
    first = await startFakeSmsIr({ apiKey: KEY, templateId: 100 });
    second = await startFakeGhasedak({ apiKey: KEY, template: 'otp' });
  });
  afterEach(async () => {
    await first.close();
    await second.close();
  });

  function senders() {
    const logger = pino({ level: 'silent' });
    const events: SmsSendEvent[] = [];
    const failovers: Array<{ from: string; to: string | undefined; kind: string }> = [];
    const make = (vendor: SmsVendor): VendorSmsSender =>
      createVendorSmsSender({
        vendor,
        timeoutMs: 300,
        logger,
        breaker: { failureThreshold: 2, cooldownMs: 60_000 },
        onSend: (e) => events.push(e),
      });
    const a = make(createSmsIrVendor({ baseUrl: first.url, apiKey: KEY, templateId: 100 }));
    const b = make(createGhasedakVendor({ baseUrl: second.url, apiKey: KEY, template: 'otp' }));
    const sender = createFailoverSmsSender({ senders: [a, b], logger, onFailover: (e) => failovers.push(e) });
    return { sender, a, events, failovers };
  }

  it('sends through the first while it works, the second when it fails, and skips an open breaker at once', async () => {
    const { sender, a, events, failovers } = senders();
    await sender.send(mob(MOBILE), '111111');
    expect(first.lastCodeFor('09121234567')).to.equal('111111');
    first.fail({ mode: 'down' });
    await sender.send(mob(MOBILE), '222222');
    first.fail({ mode: 'hang' });
    await sender.send(mob(MOBILE), '333333');
    expect(second.messages.map((m) => m.code)).to.deep.equal(['222222', '333333']);
    expect(a.breaker.state).to.equal('open');
    const before = first.requests.length;
    const started = performance.now();
    await sender.send(mob(MOBILE), '444444');
    expect(first.requests.length).to.equal(before);
    expect(performance.now() - started).to.be.below(200);
    expect(failovers.map((f) => f.kind)).to.deep.equal(['gateway', 'timeout', 'circuit_open']);
    expect(events.filter((e) => e.vendor === 'ghasedak' && e.outcome === 'sent')).to.have.length(3);
  });

  it('does not try the next sender for a refused number', async () => {
    const { sender, failovers } = senders();
    first.fail({ mode: 'body', status: 400, body: { status: 104, message: '', data: null } });
    expect((await sendError(sender.send(mob(MOBILE), '555555'))).kind).to.equal('invalid_number');
    expect(second.messages).to.have.length(0);
    expect(failovers).to.have.length(0);
  });

  it('when every sender fails, the last failure is reported', async () => {
    const { sender } = senders();
    first.fail({ mode: 'down' });
    second.fail({ mode: 'down' });
    expect((await sendError(sender.send(mob(MOBILE), '1'))).kind).to.equal('gateway');
  });
});
