/**
 * Attack: walk through the wrong-code limit with one burst of simultaneous guesses.
 * On 822588c the lock was read before a guess was compared and the wrong guess counted after:
 * 1,001 guesses written but their last byte, then all last bytes together, were all compared,
 * and the right code at position 751 was accepted. Here the same burst, over raw sockets with
 * last-byte synchronisation, on Redis and on the in-memory store.
 */
import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { pageKind, parseForms, type TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, startHarness } from '../helpers/harness.js';
import { sharedTestRedis } from '../helpers/stores.js';
import { UNKNOWN_MOBILE } from '../security/support.js';
import { type SlowLink, startSlowLink } from './slow-link.js';

const BURST = 1001;
const RIGHT_CODE_AT = 751;
const MAX_WRONG = 5;

interface BurstAnswer {
  status: number;
  body: string;
}

/** Opens every connection and writes each request but its last byte, then all last bytes at once. */
async function lastByteBurst(issuer: string, requests: Buffer[]): Promise<BurstAnswer[]> {
  const { hostname, port } = new URL(issuer);
  const sockets = await Promise.all(
    requests.map(
      (request) =>
        new Promise<{ socket: Socket; answer: Promise<BurstAnswer> }>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => {
            socket.write(request.subarray(0, -1), () => resolve({ socket, answer }));
          });
          const chunks: Buffer[] = [];
          const answer = new Promise<BurstAnswer>((done) => {
            socket.on('data', (chunk) => chunks.push(chunk));
            socket.on('close', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              done({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text });
            });
          });
          socket.on('error', reject);
        }),
    ),
  );
  // Every request is now waiting for one byte: send them all in the same tick.
  sockets.forEach(({ socket }, index) => {
    socket.write(requests[index]!.subarray(-1));
  });
  return Promise.all(sockets.map(({ answer }) => answer));
}

function codeRequest(issuer: string, action: string, cookie: string, fields: Record<string, string>): Buffer {
  const body = new URLSearchParams(fields).toString();
  const { host } = new URL(issuer);
  return Buffer.from(
    `POST ${new URL(action, issuer).pathname} HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookie}\r\n` +
      'Content-Type: application/x-www-form-urlencoded\r\nX-Forwarded-For: 198.51.100.99\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

for (const store of ['redis', 'memory'] as const) {
  describe(`attack: a burst of ${BURST} simultaneous code guesses (${store})`, function () {
    this.timeout(120_000);
    let harness: Harness;
    let link: SlowLink | undefined;

    before(async () => {
      // Redis a few milliseconds away, as in production: on loopback the gap between a check and
      // its act is too short for the race to show every time.
      link = store === 'redis' ? await startSlowLink((await sharedTestRedis()).url, 3) : undefined;
      harness = await startHarness({ store, ...(link ? { env: { REDIS_URL: link.url } } : {}) });
    });
    after(async () => {
      await harness?.close();
      await link?.close();
    });

    async function atCodePage(browser: TestBrowser) {
      const request = await authorizationRequest(harness.clients.sales!);
      const mobilePage = await browser.get(request.url.toString());
      const codePage = await browser.submit(mobilePage, { mobile: UNKNOWN_MOBILE, captcha: '' });
      expect(pageKind(codePage)).to.equal('code');
      return codePage;
    }

    it(`compares at most ${MAX_WRONG} guesses and never accepts the right code at position ${RIGHT_CODE_AT}`, async () => {
      const browser = browserFor(harness, '198.51.100.99');
      const codePage = await atCodePage(browser);
      const right = harness.sms.lastCodeFor(UNKNOWN_MOBILE)!;
      const form = parseForms(codePage.html).find((candidate) => 'code' in candidate.fields)!;
      const cookie = browser.cookieHeader(new URL(harness.issuer));
      const guesses = Array.from({ length: BURST }, (_, i) =>
        i === RIGHT_CODE_AT ? right : String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'),
      );
      const answers = await lastByteBurst(
        harness.issuer,
        guesses.map((code) => codeRequest(harness.issuer, form.action, cookie, { ...form.fields, code })),
      );

      expect(answers.every((answer) => answer.status > 0)).to.equal(true);
      const refused = answers.filter((answer) => answer.status === 429).length;
      // Every guess past the limit is refused without being compared.
      const notRefused = answers
        .filter((a) => a.status !== 429)
        .map(
          (a) =>
            `${a.status} ${/<title>([^<]*)/.exec(a.body)?.[1] ?? ''} ${/class="field__error"[^>]*>([^<]*)/.exec(a.body)?.[1] ?? a.body.slice(0, 300)}`,
        );
      expect(BURST - refused, notRefused.join('\n')).to.be.at.most(MAX_WRONG);
      expect(answers.filter((answer) => answer.status >= 500)).to.deep.equal([]);

      // The right code did not get through: the sign-in is still at the code step, locked (the
      // page shows only the lock and the ways on), and the right code posted now is refused.
      const after = await browser.get(
        `${harness.issuer}${new URL(form.action, harness.issuer).pathname.replace(/\/code$/, '')}`,
      );
      expect(after.html).to.include('/change-mobile"').and.not.include('name="code"');
      const retry = await browser.post(new URL(form.action, harness.issuer).toString(), {
        ...form.fields,
        code: right,
      });
      expect(retry.status).to.equal(429);
    });
  });
}
