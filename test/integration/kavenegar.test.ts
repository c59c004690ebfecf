/** The Kavenegar sender against the HTTP fake of the gateway, over real sockets. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { pino } from 'pino';
import { createKavenegarSender, type KavenegarSenderOptions } from '../../src/sms/kavenegar-sender.js';
import { SmsSendError } from '../../src/sms/sms-sender.js';
import { Mobile } from '../../src/validation/mobile.js';
import { type FakeKavenegar, startFakeKavenegar } from '../helpers/fake-kavenegar.js';

const API_KEY = '4F6B2A7C5E3D1B0A9F8E7D6C5B4A3F2E1D0C9B8A7F6E5D4C';
const TEMPLATE = 'darvaze-otp';
const MOBILE = Mobile.parse('+989121234567') as Mobile;

describe('Kavenegar sender ↔ fake gateway', () => {
  let gateway: FakeKavenegar;
  let logLines: string[];

  const sender = (overrides: Partial<KavenegarSenderOptions> = {}) =>
    createKavenegarSender({
      baseUrl: gateway.url,
      apiKey: API_KEY,
      template: TEMPLATE,
      timeoutMs: 2000,
      logger: pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) }),
      ...overrides,
    });

  async function sendError(promise: Promise<unknown>): Promise<SmsSendError> {
    const error = await promise.then(
      () => expect.fail('expected SmsSendError'),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SmsSendError);
    const { message, stack } = error as SmsSendError;
    for (const text of [message, stack ?? '', JSON.stringify(error)]) {
      expect(text).not.to.contain(API_KEY);
      expect(text).not.to.contain('/v1/');
    }
    return error as SmsSendError;
  }

  beforeEach(async () => {
    logLines = [];
    gateway = await startFakeKavenegar({ apiKey: API_KEY });
  });
  afterEach(async () => {
    // Whatever happened, nothing secret reached the log.
    const log = logLines.join('');
    for (const secret of [API_KEY, '09121234567', '482913', gateway.url]) expect(log).not.to.contain(secret);
    await gateway.close();
  });

  it('sends receptor (09…), template and token form-encoded', async () => {
    await sender().send(MOBILE, '482913');
    expect(gateway.messages).to.have.length(1);
    expect(gateway.messages[0]).to.include({ receptor: '09121234567', template: TEMPLATE, token: '482913' });
    expect(gateway.lastCodeFor('09121234567')).to.equal('482913');
    expect(logLines.join('')).to.contain('…4567');
  });

  it('accepts a base URL with a trailing slash', async () => {
    await sender({ baseUrl: `${gateway.url}/` }).send(MOBILE, '482913');
    expect(gateway.lastCodeFor('09121234567')).to.equal('482913');
  });

  it('maps an HTTP error from the gateway to SmsSendError', async () => {
    gateway.setFailing(true, 'http');
    const error = await sendError(sender().send(MOBILE, '482913'));
    expect(error.reason).to.equal('rejected');
    expect(error.status).to.equal(500);
    expect(gateway.messages).to.have.length(0);
  });

  it('maps HTTP 200 with return.status ≠ 200 to SmsSendError', async () => {
    gateway.setFailing(true, 'body');
    const error = await sendError(sender().send(MOBILE, '482913'));
    expect(error.reason).to.equal('rejected');
    expect(error.status).to.equal(200);
    expect(error.message).to.contain('418');
  });

  it('recovers when the gateway does', async () => {
    gateway.setFailing(true);
    await sendError(sender().send(MOBILE, '111111'));
    gateway.setFailing(false);
    await sender().send(MOBILE, '222222');
    expect(gateway.lastCodeFor('09121234567')).to.equal('222222');
  });

  it('maps a wrong API key (403) to SmsSendError without the key in the message', async () => {
    const error = await sendError(sender({ apiKey: `${API_KEY}x` }).send(MOBILE, '482913'));
    expect(error.status).to.equal(403);
    expect(error.message).not.to.contain(`${API_KEY}x`);
  });

  it('maps connection refused to SmsSendError (unreachable)', async () => {
    const { url } = gateway;
    const s = sender({ baseUrl: url });
    await gateway.close();
    const error = await sendError(s.send(MOBILE, '482913'));
    expect(error.reason).to.equal('unreachable');
    gateway = await startFakeKavenegar({ apiKey: API_KEY }); // for afterEach
  });

  it('maps a gateway that does not answer to SmsSendError (timeout)', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const started = performance.now();
      const error = await sendError(sender({ baseUrl, timeoutMs: 150 }).send(MOBILE, '482913'));
      expect(error.reason).to.equal('timeout');
      expect(performance.now() - started).to.be.below(1000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('maps a non-JSON answer to SmsSendError', async () => {
    const html = createServer((_req, res) => res.end('<html>bad gateway</html>'));
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
      const error = await sendError(sender({ baseUrl }).send(MOBILE, '482913'));
      expect(error.reason).to.equal('rejected');
    } finally {
      html.closeAllConnections();
      html.close();
    }
  });
});
