import { expect } from 'chai';
import { createAdminAllowList } from '../../../src/admin-console/admin-allow-list.js';
import { auditFilterOf, auditPageOf, PAGE_SIZE } from '../../../src/admin-console/audit-view.js';
import { barChartOf } from '../../../src/admin-console/bar-chart.js';
import { createHealthSeries, healthEventsOf } from '../../../src/admin-console/health-series.js';
import { readSiteForm, siteFormOf, siteMetadataOf } from '../../../src/admin-console/site-form.js';
import { ACR } from '../../../src/oidc/assurance.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

const ADMIN_CODE = '0499370899';
const OTHER_CODE = '0081635249';

describe('admin console: allow list', () => {
  const codes: Record<string, string> = { 'sub-admin': ADMIN_CODE, 'sub-other': OTHER_CODE };
  const list = (nationalCodes: string[]) =>
    createAdminAllowList({ nationalCodes, nationalCodeOf: async (sub) => codes[sub] ?? null });

  it('lets in a listed person signed in at the registry-verified level, and nobody else', async () => {
    const allowList = list(['1273456807', ADMIN_CODE]);
    expect(await allowList.decide({ sub: 'sub-admin', acr: ACR.registryVerified })).to.deep.equal({
      allowed: true,
    });
    expect(await allowList.decide({ sub: 'sub-other', acr: ACR.registryVerified })).to.deep.equal({
      allowed: false,
      reason: 'not_listed',
    });
    expect(await allowList.decide({ sub: 'no-account', acr: ACR.registryVerified })).to.deep.include({
      allowed: false,
    });
  });

  it('a passkey or SMS-only session is not enough, even for a listed person', async () => {
    const allowList = list([ADMIN_CODE]);
    for (const acr of [ACR.passkey, ACR.sms, undefined, 'urn:darvaze:acr:registry-verified ']) {
      expect(await allowList.decide({ sub: 'sub-admin', acr }), String(acr)).to.deep.equal({
        allowed: false,
        reason: 'not_verified',
      });
    }
  });

  it('an empty list is off and refuses everyone', async () => {
    const allowList = list([]);
    expect(allowList.enabled).to.equal(false);
    expect(await allowList.decide({ sub: 'sub-admin', acr: ACR.registryVerified })).to.deep.equal({
      allowed: false,
      reason: 'disabled',
    });
  });
});

describe('admin console: site form', () => {
  it('turns the form into the metadata the registry validates, and back', () => {
    const form = readSiteForm({
      name: ' Sales ',
      name_en: 'Sales',
      redirect_uris: 'https://a.example/cb\r\n\r\n https://a.example/cb2 ',
      scope: ['profile', 'phone', 'profile'],
      refresh_tokens: 'on',
      token_endpoint_auth_method: 'client_secret_post',
      par: 'on',
      fapi: 'off',
    });
    const metadata = siteMetadataOf(form);
    expect(metadata).to.deep.include({
      client_name: 'Sales',
      'client_name#en': 'Sales',
      redirect_uris: ['https://a.example/cb', 'https://a.example/cb2'],
      scope: 'openid profile phone',
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      require_pushed_authorization_requests: true,
    });
    expect(metadata).to.not.have.property('fapi_profile');
    expect(metadata).to.not.have.property('client_name#fa');
    expect(siteFormOf(metadata)).to.deep.include({ name: 'Sales', par: true, refresh_tokens: true });
  });

  it('an edit keeps the fields the form does not own and removes emptied ones', () => {
    const current = {
      client_id: 'x',
      jwks: { keys: [] },
      logo_uri: 'https://a.example/logo.png',
      scope: 'openid phone',
    };
    const edited = siteMetadataOf(
      readSiteForm({ name: 'N', redirect_uris: 'https://a.example/cb' }),
      current,
    );
    expect(edited).to.deep.include({ client_id: 'x', jwks: { keys: [] }, scope: 'openid' });
    expect(edited).to.not.have.property('logo_uri');
  });
});

describe('admin console: audit view', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const entries = Array.from({ length: 120 }, (_, i) => ({
    id: String(i),
    at: new Date(now - i * 60_000).toISOString(),
    type: i % 2 ? 'sms.sent' : 'login.succeeded',
    client: i % 3 ? 'sales' : 'service',
    sub: 'abcdefghijklmnopqrstuvwxyz',
  }));

  it('filters by time, type and site and pages the rest; subjects are shortened', () => {
    const page = auditPageOf(
      entries,
      auditFilterOf({ stream: 'security', period: 'hour', type: 'sms.sent' }),
      now,
    );
    expect(page.total).to.equal(30);
    expect(page.rows.every((row) => row.type === 'sms.sent')).to.equal(true);
    expect(page.rows[0]?.who).to.equal('sub:abcdefgh…');
    expect(JSON.stringify(page.rows)).to.not.include('abcdefghijklmnopqrstuvwxyz');
    const all = auditPageOf(entries, auditFilterOf({ period: 'all', site: 'service', page: '2' }), now);
    expect(all.total).to.equal(40);
    expect(all.pages).to.equal(1);
    expect(all.filter.page).to.equal(1);
    const second = auditPageOf(entries, auditFilterOf({ period: 'all', page: '2' }), now);
    expect(second.rows).to.have.length(120 - PAGE_SIZE * 1 > PAGE_SIZE ? PAGE_SIZE : 120 - PAGE_SIZE);
  });

  it('ignores filter values it does not know', () => {
    expect(
      auditFilterOf({ stream: 'other', period: '<x>', type: '<b>', site: 'a b', page: '-3' }),
    ).to.deep.equal({
      stream: 'admin',
      period: 'day',
      type: '',
      site: '',
      page: 1,
    });
  });
});

describe('admin console: health series', () => {
  it('counts per minute for an hour and per hour for a day, in the store', async () => {
    let clock = Date.parse('2026-01-01T10:30:10Z');
    const store = new MemoryStore(() => clock);
    const series = createHealthSeries({ store, now: () => clock });
    series.record('signins');
    series.record('signins');
    clock += 5 * 60_000;
    series.record('signins');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const hour = await series.lastHour('signins');
    expect(hour).to.have.length(60);
    expect(hour.at(-1)?.count).to.equal(1);
    expect(hour.at(-6)?.count).to.equal(2);
    const day = await series.lastDay('signins');
    expect(day).to.have.length(24);
    expect(day.at(-1)?.count).to.equal(3);
    expect((await series.lastHour('lockouts')).every((point) => point.count === 0)).to.equal(true);
    const chart = barChartOf(hour);
    expect(chart.total).to.equal(3);
    expect(chart.bars.filter((bar) => bar.height > 0)).to.have.length(2);
  });

  it('maps audit events to series; a refused identity check by the limit asked nobody', () => {
    expect(healthEventsOf('identity.verified', {})).to.deep.equal(['signins', 'identity_checks']);
    expect(healthEventsOf('identity.refused', { reason: 'registry_mismatch' })).to.deep.equal([
      'identity_checks',
      'identity_failures',
    ]);
    expect(healthEventsOf('identity.refused', { reason: 'identity_checks' })).to.deep.equal([]);
    expect(healthEventsOf('otp.locked', {})).to.deep.equal(['lockouts']);
  });
});
