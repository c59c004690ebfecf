import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { ClientMetadata } from 'oidc-provider';
import { TestBrowser } from '../../helpers/browser.js';
import { authorizationRequest, type Harness, startHarness } from '../../helpers/harness.js';
import { captureLogger, ORDINARY, walk } from '../../security/support.js';

/**
 * Back-channel logout deliveries that fail are retried with backoff, and each failure is logged
 * (without the token), audited, counted and shown per client in the admin API. The relying
 * party is a real HTTP server that fails on demand.
 */

const ADMIN_TOKEN = 'bcl-admin-token-0123456789abcdef0123456789';
const METRICS_TOKEN = 'bcl-metrics-token-0123456789abcdef';
const [citizen] = ORDINARY as unknown as [(typeof ORDINARY)[number]];

interface Received {
  path: string;
  logoutToken: string;
  answered: number;
}

/** A relying party's back-channel endpoint: /flaky fails `failFirst` times, /down always fails. */
async function startRelyingParty(failFirst: number) {
  const received: Received[] = [];
  let flakyFailures = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const logoutToken = new URLSearchParams(body).get('logout_token') ?? '';
      let status = 200;
      if (request.url === '/down') status = 503;
      else if (request.url === '/flaky' && flakyFailures < failFirst) {
        flakyFailures++;
        status = 500;
      }
      received.push({ path: request.url ?? '', logoutToken, answered: status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const eventually = async (check: () => Promise<void> | void, ms = 8_000) => {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
};

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('back-channel logout: failures are retried, logged, audited, counted and shown', function () {
  this.timeout(60_000);
  let h: Harness;
  let rp: Awaited<ReturnType<typeof startRelyingParty>>;
  const log = captureLogger();
  let address = 10;

  before(async () => {
    rp = await startRelyingParty(2);
    // The relying party's server is its front end too: redirect URIs on its origin.
    const site = (id: string, path: string): ClientMetadata => ({
      client_id: id,
      client_secret: `${id}-secret-0123456789abcdef0123456789`,
      redirect_uris: [`${rp.url}/${id}/cb`],
      post_logout_redirect_uris: [`${rp.url}/${id}/bye`],
      backchannel_logout_uri: `${rp.url}${path}`,
      scope: 'openid',
    });
    h = await startHarness({
      env: { ADMIN_TOKEN, METRICS_TOKEN },
      clients: [site('flaky-site', '/flaky'), site('down-site', '/down')],
      overrides: { logger: log.logger, backchannelRetryDelaysMs: [50, 100, 200] },
    });
  });
  after(async () => {
    await h?.close();
    await rp?.close();
  });

  /** Signs in at the site, then signs out at the provider (RP-initiated logout, confirmed). */
  async function signInAndOut(clientId: string): Promise<void> {
    const atSite = (url: URL) => url.origin === rp.url;
    const browser = new TestBrowser(atSite, { 'x-forwarded-for': `198.51.100.${++address}` });
    const client = h.clients[clientId];
    if (!client) throw new Error(`no client ${clientId}`);
    const request = await authorizationRequest(client);
    const journey = await walk(h, browser, request.url.toString(), citizen, atSite);
    expect(journey.atCallback, journey.last.url).to.equal(true);
    const confirm = await browser.get(`${h.issuer}/session/end?client_id=${clientId}`);
    const done = await browser.submit(confirm, { logout: 'yes' });
    expect(done.status).to.be.below(400);
  }

  const admin = async (path: string) => {
    const response = await fetch(`${h.issuer}/admin/api${path}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  const metric = async (outcome: string): Promise<number> => {
    const response = await fetch(`${h.issuer}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await response.text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`darvaze_backchannel_logout_total{outcome="${outcome}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('a site that fails twice gets the logout on the third attempt; the failures stay visible', async () => {
    await signInAndOut('flaky-site');
    await eventually(() => {
      expect(rp.received.filter((r) => r.path === '/flaky').map((r) => r.answered)).to.deep.equal([
        500, 500, 200,
      ]);
    });
    const tokens = rp.received.filter((r) => r.path === '/flaky').map((r) => r.logoutToken);
    // Each attempt is a fresh logout token for the same person and session.
    expect(new Set(tokens.map((t) => payloadOf(t).jti)).size).to.equal(3);
    expect(new Set(tokens.map((t) => payloadOf(t).sub)).size).to.equal(1);
    expect(payloadOf(tokens[2] as string).aud).to.equal('flaky-site');

    await eventually(async () => {
      const state = await admin('/clients/flaky-site/backchannel-logout');
      expect(state.status).to.equal(200);
      expect(state.json).to.include({
        client_id: 'flaky-site',
        backchannel_logout_uri: `${rp.url}/flaky`,
        last_error: 'http_500',
        consecutive_failures: 0,
      });
      expect(Date.parse(String(state.json.last_failure_at))).to.be.a('number').and.not.NaN;
      expect(Date.parse(String(state.json.last_success_at))).to.be.at.least(
        Date.parse(String(state.json.last_failure_at)),
      );
    });

    expect(await metric('failed')).to.equal(2);
    expect(await metric('delivered')).to.equal(1);

    const audit = await admin('/audit?stream=security&limit=50');
    const entries = (audit.json.entries as Array<Record<string, string>>).filter(
      (e) => e.client === 'flaky-site',
    );
    expect(
      entries.filter((e) => e.type === 'backchannel_logout.failed').map((e) => e.attempt),
    ).to.have.members(['1', '2']);
    expect(entries.find((e) => e.type === 'backchannel_logout.delivered')).to.include({ attempt: '3' });

    const warnings = log.lines().filter((line) => line.msg === 'back-channel logout delivery failed');
    expect(warnings.map((line) => line.attempt)).to.include.members([1, 2]);
    expect(warnings[0]).to.include({ clientId: 'flaky-site', reason: 'http_500', level: 40 });
    for (const token of tokens) {
      expect(log.text()).to.not.include(token);
      expect(log.text()).to.not.include(token.split('.')[2]);
    }
  });

  it('a site that stays down gets four attempts, then the provider gives up and says so', async () => {
    const before = await metric('failed');
    await signInAndOut('down-site');
    await eventually(async () => {
      const state = await admin('/clients/down-site/backchannel-logout');
      expect(state.json).to.include({
        last_error: 'http_503',
        consecutive_failures: 4,
        last_success_at: null,
      });
      expect(await metric('abandoned')).to.equal(1);
    });
    expect(rp.received.filter((r) => r.path === '/down')).to.have.length(4);
    expect((await metric('failed')) - before).to.equal(4);
    const lastWarning = log
      .lines()
      .filter((line) => line.msg === 'back-channel logout delivery failed' && line.clientId === 'down-site')
      .at(-1);
    expect(lastWarning).to.include({ attempt: 4, gaveUp: true });
  });

  it('the admin API answers 404 for an unknown client and a clean state for one never logged out', async () => {
    expect((await admin('/clients/no-such-client/backchannel-logout')).status).to.equal(404);
    const created = await fetch(`${h.issuer}/admin/api/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [`${h.callbackBase}/new/cb`] }),
    });
    const { client_id: clientId } = (await created.json()) as { client_id: string };
    const state = await admin(`/clients/${clientId}/backchannel-logout`);
    expect(state.status).to.equal(200);
    expect(state.json).to.deep.equal({
      client_id: clientId,
      backchannel_logout_uri: null,
      last_success_at: null,
      last_failure_at: null,
      last_error: null,
      consecutive_failures: 0,
    });
  });
});
