/**
 * Attack (issue 10, item 6): a request body the parser cannot read — `Content-Encoding: gzip`,
 * `br` or `deflate` in front of garbage — answered HTTP 500 on every form and on the admin API,
 * with a stack trace in the log. Replayed over raw node:http against every body-reading route:
 * the interaction forms, the admin API and oidc-provider's own endpoints, with corrupt and
 * unknown encodings, a compression bomb, oversize bodies and wrong content types. Every answer is
 * a 4xx (400/413/415 for an unreadable body), none logs an error or a stack, and the bomb is cut
 * at the body limit: the answer is fast and the process does not inflate it.
 */
import { request } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { authorizationRequest, type Harness, startHarness } from '../helpers/harness.js';
import { type CapturedLogger, captureLogger, STACK_TRACE } from '../security/support.js';

const ADMIN_TOKEN = 'body-attack-admin-token-0123456789abcdef012345';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** One raw request: exactly these headers and bytes, nothing added but Host and Content-Length. */
function send(url: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length) },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
    });
    // The server may answer (413) and close before reading all of a large body.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      reject(error);
    });
    req.end(body);
  });
}

const GARBAGE = Buffer.from('mobile=09121234567&this-is-not-a-compressed-stream-at-all');
/** A valid gzip header with the stream cut short. */
const TRUNCATED_GZIP = gzipSync(Buffer.from('mobile=09121234567&csrf=x')).subarray(0, 12);
/** 64 MB of zeros, about 64 KB gzipped: the classic compression bomb. */
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024));

/** [name, Content-Encoding, body, statuses accepted] — what an unreadable body may get. */
const UNREADABLE: Array<[string, string, Buffer, number[]]> = [
  ['gzip garbage', 'gzip', GARBAGE, [400]],
  ['br garbage', 'br', GARBAGE, [400]],
  ['deflate garbage', 'deflate', GARBAGE, [400]],
  ['truncated gzip', 'gzip', TRUNCATED_GZIP, [400]],
  ['gzip of a brotli stream', 'gzip', brotliCompressSync(GARBAGE), [400]],
  ['unknown encoding', 'x-zip-bomb', GARBAGE, [400, 415]],
  ['stacked encodings', 'gzip, br', gzipSync(deflateSync(GARBAGE)), [400, 415]],
  ['compression bomb', 'gzip', BOMB, [400, 413]],
  ['oversize plain body', 'identity', Buffer.alloc(1024 * 1024, 'a'), [400, 413]],
];

describe('attack: unreadable request bodies (corrupt or unknown compression, bombs, oversize)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let log: CapturedLogger;
  let interaction: { base: string; cookie: string };

  before(async () => {
    log = captureLogger();
    harness = await startHarness({
      store: 'memory',
      env: { ADMIN_TOKEN },
      overrides: { logger: log.logger },
    });
    // A live sign-in: GET /auth of a registered client, its interaction cookie and address.
    const sales = harness.clients.sales;
    if (!sales) throw new Error('sales client missing');
    const auth = await fetch((await authorizationRequest(sales)).url, { redirect: 'manual' });
    const location = auth.headers.get('location') ?? '';
    expect(location).to.match(/^\/interaction\/[\w-]+$/);
    const cookie = auth.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    interaction = { base: `${harness.issuer}${location}`, cookie };
  });
  after(async () => harness?.close());

  function expectNoServerErrorLogged(): void {
    const text = log.text();
    expect(text, 'stack trace in the log').not.to.match(STACK_TRACE);
    const errors = log.lines().filter((line) => Number(line.level) >= 50);
    expect(errors.map((line) => line.msg)).to.deep.equal([]);
  }

  const formRoutes = ['mobile', 'code', 'resend', 'change-mobile', 'identity', 'consent'];

  for (const step of formRoutes) {
    it(`interaction form /${step}: every unreadable body is a 4xx page, never a 500`, async () => {
      for (const [name, encoding, body, allowed] of UNREADABLE) {
        const answer = await send(
          `${interaction.base}/${step}`,
          {
            'content-type': FORM,
            'content-encoding': encoding,
            cookie: interaction.cookie,
            accept: 'text/html',
          },
          body,
        );
        expect(allowed, `${step} / ${name}: ${answer.status}`).to.include(answer.status);
        expect(answer.body, `${step} / ${name}`).to.match(/<html/);
      }
      expectNoServerErrorLogged();
    });
  }

  it('interaction forms: a body of another type is refused with a 4xx', async () => {
    for (const type of [
      JSON_TYPE,
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded; charset=klingon',
    ]) {
      const answer = await send(
        `${interaction.base}/mobile`,
        { 'content-type': type, cookie: interaction.cookie, accept: 'text/html' },
        Buffer.from('{"mobile":"09121234567"}'),
      );
      expect(answer.status, type).to.be.within(400, 499);
    }
    expectNoServerErrorLogged();
  });

  it('admin API: every unreadable body is a JSON 4xx, never a 500', async () => {
    for (const path of ['/admin/api/clients', '/admin/api/initial-access-tokens']) {
      for (const [name, encoding, body, allowed] of UNREADABLE) {
        const answer = await send(
          `${harness.issuer}${path}`,
          { 'content-type': JSON_TYPE, 'content-encoding': encoding, authorization: `Bearer ${ADMIN_TOKEN}` },
          body,
        );
        expect(allowed, `${path} / ${name}: ${answer.status}`).to.include(answer.status);
        expect(JSON.parse(answer.body).error, `${path} / ${name}`).to.equal('invalid_request');
      }
    }
    expectNoServerErrorLogged();
  });

  it("oidc-provider's endpoints: every unreadable body is a 4xx", async () => {
    const iat = await send(
      `${harness.issuer}/admin/api/initial-access-tokens`,
      { 'content-type': JSON_TYPE, authorization: `Bearer ${ADMIN_TOKEN}` },
      Buffer.from('{}'),
    );
    expect(iat.status).to.equal(201);
    const targets: Array<[string, string, Record<string, string>]> = [
      ['/token', FORM, { authorization: `Basic ${Buffer.from('sales:wrong').toString('base64')}` }],
      ['/token/introspection', FORM, {}],
      ['/token/revocation', FORM, {}],
      ['/request', FORM, {}],
      ['/session/end', FORM, {}],
      ['/session/end/confirm', FORM, {}],
      ['/reg', JSON_TYPE, { authorization: `Bearer ${JSON.parse(iat.body).initial_access_token}` }],
    ];
    for (const [path, type, extra] of targets) {
      for (const [name, encoding, body] of UNREADABLE) {
        const answer = await send(
          `${harness.issuer}${path}`,
          { 'content-type': type, 'content-encoding': encoding, accept: JSON_TYPE, ...extra },
          body,
        );
        expect(answer.status, `${path} / ${name}`).to.be.oneOf([400, 401, 413, 415]);
      }
    }
    expectNoServerErrorLogged();
  });

  it('a compression bomb is cut at the body limit: a fast answer, nothing inflated', async () => {
    const targets: Array<{ url: string; headers: Record<string, string> }> = [
      { url: `${interaction.base}/mobile`, headers: { 'content-type': FORM, cookie: interaction.cookie } },
      {
        url: `${harness.issuer}/admin/api/clients`,
        headers: { 'content-type': JSON_TYPE, authorization: `Bearer ${ADMIN_TOKEN}` },
      },
    ];
    for (const { url, headers } of targets) {
      const before = process.memoryUsage();
      const answer = await send(url, { ...headers, 'content-encoding': 'gzip' }, BOMB);
      const after = process.memoryUsage();
      expect(answer.status, url).to.equal(413);
      // Inflating it would take seconds and 64 MB; stopping at the limit takes neither.
      expect(answer.ms, url).to.be.below(2000);
      expect(after.arrayBuffers - before.arrayBuffers, `${url}: buffers grew`).to.be.below(16 * 1024 * 1024);
    }
  });
});
