import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import Provider from 'oidc-provider';
import { httpMetrics, metricsEndpoint } from '../../../src/metrics/http/http-metrics.js';
import { instrumentStore } from '../../../src/metrics/instrument-store.js';
import { createMetrics, type Metrics } from '../../../src/metrics/metrics.js';
import { observeProvider } from '../../../src/metrics/provider/provider-events.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { type Store, StoreUnavailableError } from '../../../src/store/store.js';

async function value(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((entry) => Object.entries(labels).every(([key, wanted]) => String(entry.labels[key]) === wanted))
    .reduce((sum, entry) => sum + entry.value, 0);
}

async function serve(app: Koa): Promise<{ url: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('metrics', () => {
  describe('the registry', () => {
    it('keeps each app in its own registry, with process metrics optional', async () => {
      const a = createMetrics({ processMetrics: false });
      const b = createMetrics({ processMetrics: false });
      a.smsOutcome('sent');
      expect(await value(a, 'darvaze_sms_total', { outcome: 'sent' })).to.equal(1);
      expect(await value(b, 'darvaze_sms_total', { outcome: 'sent' })).to.equal(0);
      expect((await a.render()).body).to.not.include('process_cpu');
      expect((await createMetrics().render()).body).to.include('process_cpu_seconds_total');
    });

    it('maps audit events to sign-in completions and failures, with bounded labels', async () => {
      const metrics = createMetrics({ processMetrics: false });
      metrics.securityEvent('login.succeeded', { sub: 'x' });
      metrics.securityEvent('identity.verified', { sub: 'y' });
      metrics.securityEvent('identity.refused', { reason: 'mobile_not_owned' });
      metrics.securityEvent('sms.refused', { reason: 'cooldown' });
      metrics.securityEvent('sms.refused', { reason: '09121234567 <script>' });
      metrics.securityEvent('consent.granted', {});
      expect(await value(metrics, 'darvaze_signins_completed_total', { kind: 'returning' })).to.equal(1);
      expect(await value(metrics, 'darvaze_signins_completed_total', { kind: 'verified' })).to.equal(1);
      expect(
        await value(metrics, 'darvaze_signin_failures_total', {
          step: 'identity',
          reason: 'mobile_not_owned',
        }),
      ).to.equal(1);
      const text = (await metrics.render()).body;
      expect(text).to.include('reason="other"').and.not.include('0912');
    });

    it('records identity calls and reports the breaker state at scrape time', async () => {
      const metrics = createMetrics({ processMetrics: false });
      let state: 'closed' | 'open' | 'half-open' = 'closed';
      metrics.watchBreaker(() => state);
      metrics.identityCall({ operation: 'mobile-ownership', outcome: 'ok', ms: 42, attempts: 1 });
      metrics.identityCall({
        operation: 'civil-registry-inquiry',
        outcome: 'error',
        ms: 900,
        attempts: 3,
        reason: 'timeout',
      });
      expect(
        await value(metrics, 'darvaze_identity_calls_total', { outcome: 'error', reason: 'timeout' }),
      ).to.equal(1);
      expect(await value(metrics, 'darvaze_identity_call_attempts_total')).to.equal(4);
      expect(await value(metrics, 'darvaze_identity_circuit_state', { state: 'closed' })).to.equal(1);
      state = 'open';
      expect(await value(metrics, 'darvaze_identity_circuit_state', { state: 'open' })).to.equal(1);
      expect(await value(metrics, 'darvaze_identity_circuit_state', { state: 'closed' })).to.equal(0);
    });
  });

  describe('instrumentStore', () => {
    it('behaves like the store it wraps and times each operation by method', async () => {
      const metrics = createMetrics({ processMetrics: false });
      const store = instrumentStore(new MemoryStore(), metrics);
      expect(store.kind).to.equal('memory');
      await store.set('a', '1', 60);
      expect(await store.get('a')).to.equal('1');
      expect(await store.setIfAbsent('a', '2')).to.equal(false);
      expect(await store.increment('n', 60)).to.equal(1);
      expect(await store.getMany(['a', 'missing'])).to.deep.equal(['1', null]);
      expect(await store.take('a')).to.equal('1');
      await store.addToSet('s', 'm', 60);
      expect(await store.setMembers('s')).to.deep.equal(['m']);
      const durations = metrics.registry.getSingleMetric('darvaze_store_operation_duration_seconds')!;
      const { values } = await durations.get();
      const count = (operation: string) =>
        values.find(
          (entry) =>
            (entry as { metricName?: string }).metricName ===
              'darvaze_store_operation_duration_seconds_count' &&
            entry.labels.operation === operation &&
            entry.labels.outcome === 'ok',
        )?.value;
      expect(count('get')).to.equal(1);
      expect(count('set')).to.equal(1);
      expect(count('increment')).to.equal(1);
      expect(JSON.stringify(values)).to.not.include('"a"');
      await store.close();
    });

    it('rethrows the store error as is and counts it as an error', async () => {
      const metrics = createMetrics({ processMetrics: false });
      const broken = new MemoryStore();
      broken.get = async () => {
        throw new StoreUnavailableError('redis: down');
      };
      const store: Store = instrumentStore(broken, metrics);
      let caught: unknown;
      try {
        await store.get('x');
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(StoreUnavailableError);
      const text = (await metrics.render()).body;
      expect(text).to.match(
        /darvaze_store_operation_duration_seconds_count\{operation="get",outcome="error"\} 1/,
      );
      await broken.close();
    });
  });

  describe('HTTP metrics and /metrics', () => {
    let metrics: Metrics;
    let server: { url: string; close(): Promise<void> };
    before(async () => {
      metrics = createMetrics({ processMetrics: false });
      const app = new Koa();
      const router = new Router({ prefix: '/interaction/:uid' });
      router.get('/', (ctx) => {
        ctx.body = 'page';
      });
      app.use(httpMetrics(metrics));
      app.use(metricsEndpoint(metrics, { token: 'metrics-token-0123456789abcdef0123' }));
      app.use(router.routes());
      server = await serve(app);
    });
    after(async () => server?.close());

    it('labels requests with the route pattern, never the raw path', async () => {
      for (const uid of ['aaa111', 'bbb222']) await (await fetch(`${server.url}/interaction/${uid}`)).text();
      await (await fetch(`${server.url}/no/such/${'x'.repeat(20)}`)).text();
      const text = (await metrics.render()).body;
      expect(text).to.include(
        'darvaze_http_requests_total{method="GET",route="/interaction/:uid",status="200"} 2',
      );
      expect(text).to.include('route="unmatched",status="404"');
      expect(text).to.not.include('aaa111').and.not.include('xxxx');
    });

    it('serves /metrics only with the bearer token', async () => {
      expect((await fetch(`${server.url}/metrics`)).status).to.equal(401);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).to.equal(401);
      expect(wrong.headers.get('www-authenticate')).to.include('Bearer');
      const ok = await fetch(`${server.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-0123456789abcdef0123' },
      });
      expect(ok.status).to.equal(200);
      expect(ok.headers.get('content-type')).to.include('text/plain');
      expect(ok.headers.get('cache-control')).to.equal('no-store');
      expect(await ok.text()).to.include('# TYPE darvaze_http_requests_total counter');
    });

    it('does not exist without a token (404 like any unknown path)', async () => {
      const app = new Koa();
      app.use(metricsEndpoint(createMetrics({ processMetrics: false }), {}));
      const bare = await serve(app);
      try {
        const response = await fetch(`${bare.url}/metrics`, { headers: { authorization: 'Bearer x' } });
        expect(response.status).to.equal(404);
      } finally {
        await bare.close();
      }
    });
  });

  describe('oidc-provider events', () => {
    it('counts grants by type and outcome, and the tokens issued', async () => {
      const metrics = createMetrics({ processMetrics: false });
      const provider = new Provider('http://127.0.0.1', {
        clients: [
          {
            client_id: 'machine',
            client_secret: 'machine-secret-0123456789abcdef0123456789',
            grant_types: ['client_credentials'],
            redirect_uris: [],
            response_types: [],
          },
        ],
        features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
      });
      observeProvider(provider, metrics);
      const server = await serve(provider);
      try {
        const token = (secret: string) =>
          fetch(`${server.url}/token`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: `Basic ${Buffer.from(`machine:${secret}`).toString('base64')}`,
            },
            body: 'grant_type=client_credentials',
          });
        expect((await token('machine-secret-0123456789abcdef0123456789')).status).to.equal(200);
        expect((await token('wrong')).status).to.equal(401);
        expect(
          await value(metrics, 'darvaze_oidc_grants_total', {
            grant_type: 'client_credentials',
            outcome: 'success',
          }),
        ).to.equal(1);
        expect(
          await value(metrics, 'darvaze_oidc_grants_total', { outcome: 'error', error: 'invalid_client' }),
        ).to.equal(1);
        expect(
          await value(metrics, 'darvaze_oidc_tokens_issued_total', { type: 'client_credentials' }),
        ).to.equal(1);
      } finally {
        await server.close();
      }
    });
  });
});
