/**
 * Attack: reach a guarded route without passing its guard, by spelling its path another way.
 * On 822588c `POST /Admin/api/clients/<id>/secret` answered 200 with a new secret without any
 * token: the admin guard was a `router.use()` layer matched case-sensitively while the routes
 * matched case-insensitively. Every guarded surface is tried here with every spelling, every
 * method, no token and a wrong one — over raw HTTP, paths sent verbatim.
 */
import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { rawRequest, spellingsOf } from './raw-http.js';

const ADMIN_TOKEN = 'attack-admin-token-0123456789abcdef0123456789';
const METRICS_TOKEN = 'attack-metrics-token-0123456789abcdef01234567';
const NO_CREDENTIALS: Record<string, string>[] = [
  {},
  { authorization: 'Bearer wrong-token' },
  { authorization: `bearer ${ADMIN_TOKEN.slice(0, -1)}` },
];

describe('attack: guard bypass by another spelling of the path', function () {
  this.timeout(120_000);
  let harness: Harness;
  let clientId: string;
  const admin = (method: string, path: string, body?: unknown) =>
    rawRequest(harness.issuer, {
      method,
      path,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  before(async () => {
    harness = await startHarness({
      // The console on, so that its guards (not "no admins configured") are what answers.
      env: { ADMIN_TOKEN, METRICS_TOKEN, ADMIN_NATIONAL_CODES: DEMO_CITIZENS[0]!.nationalCode },
    });
    const created = await admin('POST', '/admin/api/clients', {
      client_name: 'Target site',
      redirect_uris: ['https://target.example/cb'],
      scope: 'openid profile',
    });
    expect(created.status).to.equal(201);
    clientId = (JSON.parse(created.body) as { client_id: string }).client_id;
  });
  after(() => harness?.close());

  const adminRoutes = (id: string): [string, string, string?][] => [
    ['GET', '/admin/api/clients'],
    ['POST', '/admin/api/clients', JSON.stringify({ redirect_uris: ['https://evil.example/cb'] })],
    ['GET', `/admin/api/clients/${id}`],
    ['PUT', `/admin/api/clients/${id}`, JSON.stringify({ redirect_uris: ['https://evil.example/cb'] })],
    ['POST', `/admin/api/clients/${id}/secret`, '{}'],
    ['DELETE', `/admin/api/clients/${id}`],
    ['POST', '/admin/api/initial-access-tokens', '{}'],
    ['GET', '/admin/api/audit'],
    ['GET', '/admin/api/audit?stream=security'],
  ];

  it('no spelling of any admin route answers without the admin token, and nothing changes', async () => {
    const auditBefore = JSON.parse((await admin('GET', '/admin/api/audit')).body) as { entries: unknown[] };
    const clientBefore = (await admin('GET', `/admin/api/clients/${clientId}`)).body;
    const reached: string[] = [];
    let tried = 0;
    for (const [method, path, body] of adminRoutes(clientId)) {
      const [pathOnly, query] = path.split('?');
      for (const spelling of spellingsOf(pathOnly as string)) {
        for (const headers of NO_CREDENTIALS) {
          const answer = await rawRequest(harness.issuer, {
            method,
            path: query ? `${spelling}?${query}` : spelling,
            headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
            ...(body ? { body } : {}),
          });
          tried++;
          if (answer.status < 400 || answer.body.includes('client_secret') || answer.body.includes('entries'))
            reached.push(`${method} ${spelling} → ${answer.status}`);
        }
      }
    }
    expect(tried).to.be.greaterThan(400);
    expect(reached, 'reached without the token').to.deep.equal([]);
    // Nothing happened: the audit trail has no new entry and the target site is as it was.
    const auditAfter = JSON.parse((await admin('GET', '/admin/api/audit')).body) as { entries: unknown[] };
    expect(auditAfter.entries.length).to.equal(auditBefore.entries.length);
    expect((await admin('GET', `/admin/api/clients/${clientId}`)).body).to.equal(clientBefore);
  });

  const consoleRoutes = (id: string): [string, string][] => [
    ['GET', '/admin'],
    ['GET', '/admin/sites'],
    ['GET', '/admin/sites/new'],
    ['GET', `/admin/sites/${id}`],
    ['GET', `/admin/sites/${id}/delete`],
    ['GET', '/admin/registration'],
    ['GET', '/admin/audit'],
    ['GET', '/admin/health'],
    ['POST', '/admin/sites'],
    ['POST', `/admin/sites/${id}`],
    ['POST', `/admin/sites/${id}/secret`],
    ['POST', `/admin/sites/${id}/delete`],
    ['POST', '/admin/registration'],
    ['POST', '/admin/registration/revoke'],
  ];

  it('no spelling of any admin console page or action answers without its sign-in, and nothing changes', async () => {
    const auditBefore = JSON.parse((await admin('GET', '/admin/api/audit')).body) as { entries: unknown[] };
    const clientBefore = (await admin('GET', `/admin/api/clients/${clientId}`)).body;
    const reached: string[] = [];
    let tried = 0;
    let guarded = 0;
    const form =
      'csrf=x&name=evil&redirect_uris=https%3A%2F%2Fevil.example%2Fcb&expires_in=3600&id=0123456789abcdef';
    for (const [method, path] of consoleRoutes(clientId)) {
      for (const spelling of spellingsOf(path)) {
        const answer = await rawRequest(harness.issuer, {
          method,
          path: spelling,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'darvaze.admin=forged' },
          ...(method === 'POST' ? { body: form } : {}),
        });
        tried++;
        // The guard answers by sending the browser to sign in at the provider, as the console's client.
        const location = String(answer.headers.location ?? '');
        const toSignIn = answer.status === 303 && /\/auth\?.*client_id=darvaze-admin/.test(location);
        if (toSignIn) guarded++;
        if (
          !(answer.status === 404 || answer.status === 400 || toSignIn) ||
          answer.body.includes('admin-nav')
        )
          reached.push(`${method} ${spelling} → ${answer.status} ${location}`);
      }
    }
    expect(tried).to.be.greaterThan(250);
    // The canonical spellings (and the ones the router takes as the same, e.g. a trailing slash)
    // met the guard: this test would see a route that answered without it.
    expect(guarded, `${guarded} guarded answers`).to.be.greaterThan(consoleRoutes(clientId).length * 2);
    expect(reached, 'reached without the console sign-in').to.deep.equal([]);
    const auditAfter = JSON.parse((await admin('GET', '/admin/api/audit')).body) as { entries: unknown[] };
    expect(auditAfter.entries.length).to.equal(auditBefore.entries.length);
    expect((await admin('GET', `/admin/api/clients/${clientId}`)).body).to.equal(clientBefore);
  });

  it('the right token still works under the canonical path', async () => {
    expect((await admin('GET', '/admin/api/clients')).status).to.equal(200);
  });

  it('no spelling of /metrics answers without its token', async () => {
    for (const spelling of spellingsOf('/metrics')) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const answer = await rawRequest(harness.issuer, { method: 'GET', path: spelling, headers });
        expect(answer.status, `GET ${spelling}`).to.be.at.least(400);
        expect(answer.body, `GET ${spelling}`).not.to.include('darvaze_');
      }
    }
    const allowed = await rawRequest(harness.issuer, {
      method: 'GET',
      path: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(allowed.status).to.equal(200);
  });

  it('no spelling of /reg registers a site without an initial access token', async () => {
    const body = JSON.stringify({ redirect_uris: ['https://evil.example/cb'] });
    for (const spelling of spellingsOf('/reg')) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const answer = await rawRequest(harness.issuer, {
          method: 'POST',
          path: spelling,
          headers: { ...headers, 'content-type': 'application/json' },
          body,
        });
        expect(answer.status, `POST ${spelling}`).to.be.at.least(400);
        expect(answer.body, `POST ${spelling}`).not.to.include('client_id');
      }
    }
  });

  it('every interaction route is no-store, whatever the spelling that reaches it', async () => {
    for (const spelling of spellingsOf('/interaction/abc/mobile')) {
      const answer = await rawRequest(harness.issuer, { method: 'POST', path: spelling, body: '' });
      if (answer.status === 404) continue;
      expect(answer.headers['cache-control'], `POST ${spelling} → ${answer.status}`).to.include('no-store');
    }
  });
});
