/**
 * The admin console (/admin) over raw HTTP, like a browser with JavaScript off: who gets in
 * (a sign-in through the provider itself at the registry-verified level, and a national code on
 * ADMIN_NATIONAL_CODES), CSRF on every change, a fresh sign-in before a change, and that
 * nothing happens for anyone else.
 */
import { expect } from 'chai';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { ACR } from '../../src/oidc/assurance.js';
import { type Page, parseForms, TestBrowser } from '../helpers/browser.js';
import { type Citizen, walkProvider } from '../helpers/demo-journey.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const [ali, zahra] = DEMO_CITIZENS.filter((c) => c.case === 'ordinary') as unknown as [Citizen, Citizen];
const ADMIN_TOKEN = 'console-test-admin-token-0123456789abcdef';

let addressCounter = 10;
const freshBrowser = () =>
  new TestBrowser(() => false, { 'x-forwarded-for': `198.51.100.${addressCounter++}` });

/** Signs a person in to the console through the journey; the browser ends on a console page. */
async function signInToConsole(harness: Harness, citizen: Citizen, path = '/admin') {
  const browser = freshBrowser();
  const start = await browser.get(`${harness.issuer}${path}`);
  const walk = await walkProvider({ harness }, browser, start, citizen);
  return { browser, walk, page: walk.page };
}

const SECRET = /<code class="admin-secret" id="secret">([^<]+)<\/code>/;
const secretOn = (page: Page) => {
  const found = SECRET.exec(page.html)?.[1];
  if (!found) throw new Error(`no secret shown on ${page.url} (${page.status})`);
  return found;
};

const csrfOf = (page: Page) => {
  const field = parseForms(page.html).find((form) => form.fields.csrf)?.fields.csrf;
  if (!field) throw new Error(`no csrf on ${page.url} (${page.status})`);
  return field;
};

describe('admin console (/admin): sign-in, allow list, CSRF, freshness', function () {
  this.timeout(120_000);
  let harness: Harness;
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${harness.issuer}/admin/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const auditLength = async () =>
    ((await (await api('GET', '/audit?limit=1000')).json()) as { entries: unknown[] }).entries.length;
  let targetId: string;

  before(async () => {
    harness = await startHarness({ env: { ADMIN_NATIONAL_CODES: ali.nationalCode, ADMIN_TOKEN } });
    const created = await api('POST', '/clients', {
      client_name: 'Target site',
      redirect_uris: ['https://target.example/cb'],
    });
    targetId = ((await created.json()) as { client_id: string }).client_id;
  });
  after(async () => harness?.close());

  it('no console page or action without a session: every one sends the browser to sign in, nothing changes', async () => {
    const before = await auditLength();
    const gets = [
      '',
      '/',
      '/sites',
      '/sites/new',
      `/sites/${targetId}`,
      `/sites/${targetId}/delete`,
      '/registration',
      '/audit',
      '/health',
    ];
    const posts = [
      '/sites',
      `/sites/${targetId}`,
      `/sites/${targetId}/secret`,
      `/sites/${targetId}/delete`,
      '/registration',
      '/registration/revoke',
      '/sign-out',
    ];
    for (const [method, path] of [...gets.map((p) => ['GET', p]), ...posts.map((p) => ['POST', p])] as [
      string,
      string,
    ][]) {
      const response = await fetch(`${harness.issuer}/admin${path}`, {
        method,
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'POST'
          ? { body: 'csrf=x&name=evil&redirect_uris=https%3A%2F%2Fevil.example%2Fcb' }
          : {}),
      });
      const body = await response.text();
      expect(response.status, `${method} ${path}`).to.equal(303);
      const location = new URL(response.headers.get('location')!, harness.issuer);
      expect(location.pathname, `${method} ${path}`).to.equal('/auth');
      expect(location.searchParams.get('client_id')).to.equal('darvaze-admin');
      // Sign-out needs a session of any level (a refused person may sign out); the rest, the identity step.
      if (path !== '/sign-out')
        expect(location.searchParams.get('acr_values')).to.equal(ACR.registryVerified);
      expect(body).to.not.include('admin-nav');
    }
    expect(await auditLength()).to.equal(before);
    expect((await api('GET', `/clients/${targetId}`)).status).to.equal(200);
  });

  it('an admin on the list signs in through the journey (mobile, code, identity) and sees the sites', async () => {
    const { walk } = await signInToConsole(harness, ali);
    expect(walk.pages).to.deep.equal(['mobile', 'code', 'identity']);
    expect(walk.page.url).to.equal(`${harness.issuer}/admin/sites`);
    expect(walk.page.status).to.equal(200);
    expect(walk.page.html).to.include('Target site');
    expect(walk.page.headers.get('cache-control')).to.include('no-store');
    expect(walk.page.headers.get('content-security-policy')).to.include("script-src 'self'");
  });

  it('a change without the CSRF token, or with a wrong one, is refused with 403 and nothing changes', async () => {
    const { browser, page } = await signInToConsole(harness, ali);
    const before = await auditLength();
    for (const csrf of [undefined, 'wrong', `${csrfOf(page)}x`]) {
      for (const path of [
        '/sites',
        `/sites/${targetId}/secret`,
        `/sites/${targetId}/delete`,
        '/registration',
      ]) {
        const fields: Record<string, string> = {
          name: 'evil',
          redirect_uris: 'https://evil.example/cb',
          expires_in: '3600',
        };
        if (csrf !== undefined) fields.csrf = csrf;
        const answer = await browser.post(`${harness.issuer}/admin${path}`, fields);
        expect(answer.status, `POST ${path} csrf=${csrf}`).to.equal(403);
      }
    }
    expect(await auditLength()).to.equal(before);
    expect((await api('GET', `/clients/${targetId}`)).status).to.equal(200);
  });

  it('an admin creates, edits, re-keys and deletes a site; the trail names them by sub, never by national code', async () => {
    const { browser, page } = await signInToConsole(harness, ali);
    const csrf = csrfOf(page);
    const created = await browser.post(`${harness.issuer}/admin/sites`, {
      csrf,
      name: 'Console site',
      name_en: 'Console site (en)',
      redirect_uris: 'https://console-site.example/cb\nhttps://console-site.example/cb2',
      scope: 'profile',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(created.status).to.equal(200);
    const secret = secretOn(created);
    expect(secret).to.have.length.above(40);
    const clientId = /\/admin\/sites\/([A-Za-z0-9_-]+)"/.exec(created.html)?.[1] ?? '';
    const stored = (await (await api('GET', `/clients/${clientId}`)).json()) as Record<string, unknown>;
    expect(stored.redirect_uris).to.deep.equal([
      'https://console-site.example/cb',
      'https://console-site.example/cb2',
    ]);
    expect(stored.scope).to.equal('openid profile');
    expect(stored['client_name#en']).to.equal('Console site (en)');

    // The same rules as the API: a wildcard is refused with the registry's words, 400, no change.
    const refused = await browser.post(`${harness.issuer}/admin/sites/${clientId}`, {
      csrf,
      name: 'Console site',
      redirect_uris: 'https://*.example/cb',
    });
    expect(refused.status).to.equal(400);
    expect(refused.html).to.include('must not contain wildcards');
    const saved = await browser.post(`${harness.issuer}/admin/sites/${clientId}`, {
      csrf,
      name: 'Console site renamed',
      redirect_uris: 'https://console-site.example/cb',
      scope: 'phone',
      dpop: 'on',
    });
    expect(saved.status).to.equal(200);
    expect(saved.url).to.equal(`${harness.issuer}/admin/sites/${clientId}?done=saved`);
    const edited = (await (await api('GET', `/clients/${clientId}`)).json()) as Record<string, unknown>;
    expect(edited.client_name).to.equal('Console site renamed');
    expect(edited.scope).to.equal('openid phone');
    expect(edited.dpop_bound_access_tokens).to.equal(true);
    expect(edited['client_name#en']).to.equal(undefined);

    const rotated = await browser.post(`${harness.issuer}/admin/sites/${clientId}/secret`, { csrf });
    expect(rotated.status).to.equal(200);
    const newSecret = secretOn(rotated);
    expect(newSecret).to.not.equal(secret);

    // The site's page shows who changed what; never the secret.
    const sitePage = await browser.get(`${harness.issuer}/admin/sites/${clientId}`);
    expect(sitePage.html)
      .to.include('client.secret.rotate')
      .and.include('client.update')
      .and.include('client.create');
    expect(sitePage.html).to.not.include(newSecret);

    const deleted = await browser.post(`${harness.issuer}/admin/sites/${clientId}/delete`, { csrf });
    expect(deleted.url).to.equal(`${harness.issuer}/admin/sites?done=deleted`);
    expect((await api('GET', `/clients/${clientId}`)).status).to.equal(404);

    const trail = (
      (await (await api('GET', '/audit?limit=50')).json()) as { entries: Record<string, string>[] }
    ).entries.filter((entry) => entry.client_id === clientId);
    expect(trail.map((entry) => entry.action)).to.deep.equal([
      'client.delete',
      'client.secret.rotate',
      'client.update',
      'client.create',
    ]);
    for (const entry of trail) {
      expect(entry.who).to.match(/^console:[A-Za-z0-9_-]{20,}$/);
      expect(JSON.stringify(entry)).to.not.include(ali.nationalCode);
    }
  });

  it('mints a registration token shown once, lists it without its value, and revokes it', async () => {
    const { browser, page } = await signInToConsole(harness, ali, '/admin/registration');
    const csrf = csrfOf(page);
    const minted = await browser.post(`${harness.issuer}/admin/registration`, { csrf, expires_in: '3600' });
    expect(minted.status).to.equal(200);
    const token = secretOn(minted);
    const listed = await browser.get(`${harness.issuer}/admin/registration`);
    expect(listed.html).to.not.include(token);
    const revokeForm = parseForms(listed.html).find((form) => form.action === '/admin/registration/revoke')!;
    const revoked = await browser.post(`${harness.issuer}/admin/registration/revoke`, revokeForm.fields);
    expect(revoked.url).to.equal(`${harness.issuer}/admin/registration?done=revoked`);
    const registration = await fetch(`${harness.issuer}/reg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://reg.example/cb'] }),
    });
    expect(registration.status).to.equal(401);
    const badLifetime = await browser.post(`${harness.issuer}/admin/registration`, { csrf, expires_in: '5' });
    expect(badLifetime.status).to.equal(400);
  });

  it('the audit page filters and never shows a code, a token or a national code; health draws SVG charts', async () => {
    const { browser } = await signInToConsole(harness, ali, '/admin/audit?stream=security&period=hour');
    const audit = await browser.get(
      `${harness.issuer}/admin/audit?stream=security&period=hour&type=identity.verified`,
    );
    expect(audit.status).to.equal(200);
    expect(audit.html).to.include('identity.verified');
    expect(audit.html).to.not.include(ali.nationalCode).and.not.include(ali.mobile);
    const hostile = await browser.get(
      `${harness.issuer}/admin/audit?stream=x&period=%3Cscript%3E&page=-4&type=%3Cb%3E`,
    );
    expect(hostile.status).to.equal(200);
    expect(hostile.html).to.not.include('<script>').and.not.include('<b>');
    const health = await browser.get(`${harness.issuer}/admin/health`);
    expect(health.status).to.equal(200);
    expect(health.html).to.include('<svg class="admin-chart__svg');
    expect(health.html).to.match(/<rect class="admin-chart__bar"/);
    expect(health.html).to.not.match(/\sstyle=/);
  });

  it('a person not on the list is refused with a clear page, for pages and for changes', async () => {
    const { browser, page } = await signInToConsole(harness, zahra);
    expect(page.status).to.equal(403);
    expect(page.html).to.include('دسترسی ندارید');
    const csrf = csrfOf(page);
    const before = await auditLength();
    for (const path of ['/sites', '/audit', '/health', '/registration', `/sites/${targetId}`]) {
      const answer = await browser.get(`${harness.issuer}/admin${path}`);
      expect(answer.status, path).to.equal(403);
      expect(answer.html).to.not.include('Target site');
    }
    for (const path of [
      '/sites',
      `/sites/${targetId}/delete`,
      `/sites/${targetId}/secret`,
      '/registration',
    ]) {
      const answer = await browser.post(`${harness.issuer}/admin${path}`, {
        csrf,
        name: 'evil',
        redirect_uris: 'https://evil.example/cb',
        expires_in: '3600',
      });
      expect(answer.status, path).to.equal(403);
    }
    expect(await auditLength()).to.equal(before);
    // Each refusal is in the security trail, with the person's sub and not their national code.
    const security = (await (await api('GET', '/audit?limit=1000&stream=security')).json()) as {
      entries: Record<string, string>[];
    };
    const refusals = security.entries.filter((entry) => entry.type === 'admin.console_refused');
    expect(refusals.length).to.be.at.least(10);
    expect(JSON.stringify(refusals)).to.not.include(zahra.nationalCode);
    // The refusal page's sign-out works (with the session's token).
    const out = await browser.submitTo(page, '/admin/sign-out');
    expect(new URL(out.url).pathname).to.equal('/admin/signed-out');
  });
});

describe('admin console: an empty allow list, and a stale sign-in', function () {
  this.timeout(120_000);

  it('without ADMIN_NATIONAL_CODES the console refuses everyone with a clear page, without a sign-in', async () => {
    const harness = await startHarness({ store: 'memory' });
    try {
      for (const path of ['/admin', '/admin/sites', '/admin/health']) {
        const response = await fetch(`${harness.issuer}${path}`, { redirect: 'manual' });
        expect(response.status, path).to.equal(403);
        expect(await response.text()).to.include('ADMIN_NATIONAL_CODES');
      }
    } finally {
      await harness.close();
    }
  });

  it('a change with an old sign-in is sent through the journey (max_age) and comes back to the page', async () => {
    const harness = await startHarness({
      store: 'memory',
      env: {
        ADMIN_NATIONAL_CODES: `${zahra.nationalCode},${ali.nationalCode}`,
        ADMIN_FRESH_SIGN_IN_SECONDS: '2',
      },
    });
    try {
      const { browser, page } = await signInToConsole(harness, ali, '/admin/registration');
      const csrf = csrfOf(page);
      await new Promise((resolve) => setTimeout(resolve, 3100));
      // Reading still works; the change does not happen but sends the admin to sign in again.
      expect((await browser.get(`${harness.issuer}/admin/registration`)).status).to.equal(200);
      const noFollow = await fetch(`${harness.issuer}/admin/registration`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: browser.cookieHeader(new URL(harness.issuer)),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ csrf, expires_in: '3600' }),
      });
      expect(noFollow.status).to.equal(303);
      const location = new URL(noFollow.headers.get('location')!);
      expect(location.pathname).to.equal('/auth');
      expect(location.searchParams.get('max_age')).to.equal('2');
      expect(location.searchParams.get('acr_values')).to.equal(ACR.registryVerified);
      expect(await harness.app.store.readLog('audit:admin', 10)).to.have.length(0);
      // Through the journey again (the provider session is older than max_age: a new sign-in).
      const again = await browser.post(`${harness.issuer}/admin/registration`, { csrf, expires_in: '3600' });
      const walk = await walkProvider({ harness }, browser, again, ali);
      expect(walk.pages).to.include('mobile');
      expect(walk.page.url).to.equal(`${harness.issuer}/admin/registration`);
      // Freshly signed in: pressing the button again works (a new session: a new CSRF token).
      const minted = await browser.post(`${harness.issuer}/admin/registration`, {
        csrf: csrfOf(walk.page),
        expires_in: '3600',
      });
      expect(minted.status).to.equal(200);
      expect(minted.html).to.include('admin-secret');
    } finally {
      await harness.close();
    }
  });
});
