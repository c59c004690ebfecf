/**
 * The security audit trail (`audit:security`, src/audit/security-audit.ts): after real sign-ins
 * it holds an entry for each security event — SMS sent or refused, lockout, sign-in, identity
 * verified (which checks, not the data) or refused, consent granted or denied, a replayed code —
 * each with a timestamp and the request id, and never a code, a token or personal data. The log
 * is capped (retention) and personal-looking values are withheld even if a caller passes them.
 */
import { expect } from 'chai';
import { createSecurityAudit, SECURITY_AUDIT_KEY, WITHHELD } from '../../src/audit/security-audit.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { LogEntry } from '../../src/store/store.js';
import { TestBrowser } from '../helpers/browser.js';
import { authorizationRequest, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { uniquePrefix } from '../helpers/redis-server.js';
import { sharedTestRedis } from '../helpers/stores.js';
import { captureLogger, leaksIn, ORDINARY, personalNeedles, rawRedis } from './support.js';

const newcomer = ORDINARY[0]!;
const locked = ORDINARY[1]!;
const notOwner = DEMO_CITIZENS.find((c) => c.case === 'mobile-not-owned')!;

/** A browser that sends its own request id, so its entries can be told apart. */
const browserWithId = (harness: Harness, requestId: string) =>
  new TestBrowser((url) => url.origin === harness.callbackBase, {
    'x-forwarded-for': '198.51.100.120',
    'x-request-id': requestId,
  });

async function entriesOf(harness: Harness, minimum: number): Promise<LogEntry[]> {
  // Audit writes do not hold the response up; give the last ones a moment.
  for (let attempt = 0; attempt < 50; attempt++) {
    const entries = await harness.app.store.readLog(SECURITY_AUDIT_KEY, 1000);
    if (entries.length >= minimum) return entries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return harness.app.store.readLog(SECURITY_AUDIT_KEY, 1000);
}

describe('security audit trail after real sign-ins', function () {
  this.timeout(60_000);
  let harness: Harness;
  const secrets: string[] = [];
  const started = Date.now();

  before(async () => {
    harness = await startHarness();
    const client = harness.clients.sales!;

    // A new person: sms.sent, identity.verified, consent.granted; then the code is replayed.
    const first = await signIn(harness, browserWithId(harness, 'audit-newcomer-01'), client, newcomer);
    expect(first.atCallback).to.equal(true);
    const tokens = await redeem(client, first.request, first.last);
    const code = new URL(first.last.url).searchParams.get('code')!;
    secrets.push(code, tokens.access_token, tokens.id_token!);
    const replay = await fetch(`${harness.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`sales:${client.metadata.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'x-request-id': 'audit-replay-0001',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: first.request.verifier,
        redirect_uri: client.metadata.redirect_uris![0]!,
      }),
    });
    expect(replay.status).to.equal(400);

    // The same person again in a new browser: login.succeeded; then a denied consent; then logout.
    const returning = browserWithId(harness, 'audit-returning-1');
    const again = await signIn(harness, returning, client, newcomer, {
      params: { prompt: 'consent' },
      decision: 'deny',
    });
    expect(new URL(again.last.url).searchParams.get('error')).to.equal('access_denied');
    const logout = await returning.get(`${harness.issuer}/session/end?client_id=sales`);
    await returning.submit(logout, { logout: 'yes' });

    // Five wrong codes: otp.locked, then sms.refused (locked).
    const browser = browserWithId(harness, 'audit-lockout-01');
    let page = await browser.get((await authorizationRequest(client)).url.toString());
    page = await browser.submit(page, { mobile: locked.mobile, captcha: '' });
    for (let i = 0; i < 5; i++) page = await browser.submit(page, { code: '000000' });
    expect(page.status).to.equal(429);
    page = await browser.get((await authorizationRequest(client)).url.toString());
    page = await browser.submit(page, { mobile: locked.mobile, captcha: '' });
    expect(page.status).to.equal(429);

    // Someone else's mobile: identity.refused.
    const refused = await signIn(harness, browserWithId(harness, 'audit-refused-01'), client, notOwner);
    expect(refused.last.status).to.equal(422);
    secrets.push(...harness.sms.messages.map((message) => message.token));
  });
  after(async () => harness?.close());

  it('records each security event with its time and request id', async () => {
    const entries = await entriesOf(harness, 12);
    const byType = (type: string) => entries.filter((entry) => entry.fields.type === type);
    for (const type of [
      'sms.sent',
      'identity.verified',
      'consent.granted',
      'token.replayed',
      'login.succeeded',
      'consent.denied',
      'otp.locked',
      'sms.refused',
      'identity.refused',
      'logout',
    ]) {
      expect(byType(type), type).to.have.length.above(0);
    }
    for (const { fields } of entries) {
      expect(Date.parse(fields.at!), fields.at).to.be.within(started - 1000, Date.now() + 1000);
      expect(fields.requestId, JSON.stringify(fields)).to.match(/^[A-Za-z0-9._-]{8,64}$/);
    }
    expect(byType('identity.verified')[0]!.fields).to.include({
      requestId: 'audit-newcomer-01',
      checks: 'mobile_ownership,civil_registry',
    });
    expect(byType('consent.granted')[0]!.fields).to.include({
      requestId: 'audit-newcomer-01',
      client: 'sales',
    });
    expect(byType('token.replayed')[0]!.fields).to.include({
      requestId: 'audit-replay-0001',
      client: 'sales',
      grant_type: 'authorization_code',
    });
    expect(byType('login.succeeded')[0]!.fields).to.include({
      requestId: 'audit-returning-1',
      method: 'sms',
    });
    expect(byType('consent.denied')[0]!.fields).to.include({ requestId: 'audit-returning-1' });
    expect(byType('logout')[0]!.fields).to.include({ requestId: 'audit-returning-1', client: 'sales' });
    expect(byType('logout')[0]!.fields.sub).to.equal(byType('login.succeeded')[0]!.fields.sub);
    expect(byType('otp.locked')[0]!.fields).to.include({ requestId: 'audit-lockout-01' });
    expect(byType('sms.refused')[0]!.fields).to.include({ requestId: 'audit-lockout-01', reason: 'locked' });
    expect(byType('identity.refused')[0]!.fields).to.include({
      requestId: 'audit-refused-01',
      reason: 'mobile_not_owned',
    });
    // The subject is the opaque sub, the same in every entry about the person.
    const subs = new Set(
      [...byType('identity.verified'), ...byType('login.succeeded')].map((entry) => entry.fields.sub),
    );
    expect(subs.size).to.equal(1);
  });

  it('holds no personal data, code or token', async () => {
    const text = JSON.stringify(await entriesOf(harness, 12));
    const needles = [...[newcomer, locked, notOwner].flatMap(personalNeedles), ...secrets];
    expect(leaksIn(text, needles)).to.deep.equal([]);
    expect(text).to.not.include(WITHHELD); // the callers pass nothing personal to begin with
  });

  it('reads back newest first, in the shape the admin API serves', async () => {
    const audit = createSecurityAudit({ store: harness.app.store, logger: captureLogger().logger });
    const recent = await audit.recent(3);
    expect(recent).to.have.length(3);
    expect(recent[0]!.type).to.equal('identity.refused');
    for (const entry of recent) {
      expect(entry).to.include.keys('id', 'at', 'type', 'request_id');
      expect(entry.request_id).to.be.a('string');
    }
  });
});

describe('security audit module: retention and the personal-data guard', () => {
  const ctx = { state: { requestId: 'req-00000001' } };

  it('keeps at most maxEntries on the memory store', async () => {
    const store = new MemoryStore();
    const audit = createSecurityAudit({ store, logger: captureLogger().logger, maxEntries: 10 });
    for (let i = 0; i < 50; i++) audit.record(ctx, 'sms.sent', { interaction: `i${i}` });
    await new Promise((resolve) => setImmediate(resolve));
    const recent = await audit.recent(100);
    expect(recent).to.have.length(10);
    expect(recent[0]!.interaction).to.equal('i49');
    await store.close();
  });

  it('trims the Redis stream to about maxEntries (XADD MAXLEN ~)', async function () {
    this.timeout(20_000);
    const store = new RedisStore(
      { url: (await sharedTestRedis()).url, keyPrefix: uniquePrefix('audit') },
      Date.now,
    );
    try {
      const audit = createSecurityAudit({ store, logger: captureLogger().logger, maxEntries: 10 });
      for (let i = 0; i < 400; i++) audit.record(ctx, 'sms.sent', { interaction: `i${i}` });
      let recent = await audit.recent(1000);
      for (let attempt = 0; attempt < 50 && recent[0]?.interaction !== 'i399'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        recent = await audit.recent(1000);
      }
      expect(recent[0]!.interaction).to.equal('i399');
      // "~" trims whole stream nodes (100 entries each by default): approximately, never unbounded.
      expect(recent.length).to.be.at.least(10).and.at.most(110);
    } finally {
      await store.close();
    }
  });

  it('drops entries older than retentionDays through XTRIM MINID, at most once an hour', async () => {
    const prefix = uniquePrefix('audit-age');
    const store = new RedisStore({ url: (await sharedTestRedis()).url, keyPrefix: prefix }, Date.now);
    const redis = await rawRedis();
    try {
      let clock = Date.now();
      const day = 86_400_000;
      for (const age of [40, 35, 31]) {
        await redis.xadd(`${prefix}${SECURITY_AUDIT_KEY}`, `${clock - age * day}-0`, 'type', `old-${age}`);
      }
      const trims: number[] = [];
      const audit = createSecurityAudit({
        store,
        logger: captureLogger().logger,
        now: () => clock,
        retentionDays: 30,
        // What RedisStore.trimLog would run (docs/security.md, "Open items").
        trim: async (key, olderThan) => {
          trims.push(olderThan);
          await redis.xtrim(`${prefix}${key}`, 'MINID', String(olderThan));
        },
      });
      audit.record(ctx, 'sms.sent', {});
      audit.record(ctx, 'sms.sent', {});
      for (let i = 0; i < 50 && (await audit.recent(10)).some((e) => e.type.startsWith('old')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await audit.recent(10)).map((entry) => entry.type)).to.deep.equal(['sms.sent', 'sms.sent']);
      expect(trims).to.have.length(1);
      expect(trims[0]).to.equal(clock - 30 * day);
      clock += 3_600_001;
      audit.record(ctx, 'sms.sent', {});
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(trims).to.have.length(2);
    } finally {
      redis.disconnect();
      await store.close();
    }
  });

  it('withholds values that look like a mobile, a national code or a name, and says so in the log', async () => {
    const store = new MemoryStore();
    const log = captureLogger();
    const audit = createSecurityAudit({ store, logger: log.logger });
    const citizen = ORDINARY[2]!;
    audit.record(ctx, 'login.succeeded', {
      sub: 'AbCdEfGhIjKlMnOpQrStUv',
      note: citizen.mobile,
      who: citizen.person.firstName,
      nc: `x${citizen.nationalCode}`,
      scope: 'openid profile',
    });
    await new Promise((resolve) => setImmediate(resolve));
    const [entry] = await audit.recent(1);
    expect(entry).to.include({
      sub: 'AbCdEfGhIjKlMnOpQrStUv',
      note: WITHHELD,
      who: WITHHELD,
      nc: WITHHELD,
      scope: 'openid profile',
    });
    expect(entry).to.include({ type: 'login.succeeded', request_id: 'req-00000001' });
    expect(leaksIn(JSON.stringify(entry) + log.text(), personalNeedles(citizen))).to.deep.equal([]);
    expect(log.text()).to.include('withheld');
    await store.close();
  });

  it('a write that fails is logged, not thrown at the request', async () => {
    const store = new MemoryStore();
    store.appendLog = async () => {
      throw new Error('store down');
    };
    const log = captureLogger();
    const audit = createSecurityAudit({ store, logger: log.logger });
    expect(() => audit.record(ctx, 'sms.sent', {})).to.not.throw();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.text()).to.include('audit write failed');
    await store.close();
  });
});

describe('security audit module: each person’s own log', () => {
  it('keeps a person’s events apart (with the network, never the sub), newest first, and forgets them', async () => {
    const store = new MemoryStore();
    const audit = createSecurityAudit({ store, logger: captureLogger().logger });
    const ctx = { state: { requestId: 'req-00000002' }, ip: '203.0.113.77' };
    audit.record(ctx, 'login.succeeded', { sub: 'sub-of-a-abcdefghijklmnop', method: 'sms' });
    audit.record(ctx, 'site.signed_in', { sub: 'sub-of-b-abcdefghijklmnop', client: 'sales' });
    audit.record(ctx, 'site.signed_in', { sub: 'sub-of-a-abcdefghijklmnop', client: 'service' });
    audit.record(ctx, 'sms.sent', { interaction: 'i1' });
    await new Promise((resolve) => setImmediate(resolve));
    const mine = await audit.recentFor('sub-of-a-abcdefghijklmnop', 10);
    expect(mine.map((entry) => [entry.type, entry.client ?? entry.method])).to.deep.equal([
      ['site.signed_in', 'service'],
      ['login.succeeded', 'sms'],
    ]);
    expect(mine[0]).to.include({ network: '203.0.113.0/24' });
    expect(mine[0]).to.not.have.property('sub');
    // The main trail has all four, with the sub and without the network.
    const all = await audit.recent(10);
    expect(all).to.have.length(4);
    expect(all[0]).to.not.have.property('network');
    await audit.forgetPerson('sub-of-a-abcdefghijklmnop');
    expect(await audit.recentFor('sub-of-a-abcdefghijklmnop', 10)).to.deep.equal([]);
    expect(await audit.recentFor('sub-of-b-abcdefghijklmnop', 10)).to.have.length(1);
    // A deletion goes to the main trail only.
    audit.record(ctx, 'account.deleted', { sub: 'sub-of-b-abcdefghijklmnop' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await audit.recentFor('sub-of-b-abcdefghijklmnop', 10)).to.have.length(1);
    await store.close();
  });
});
