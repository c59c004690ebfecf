import { expect } from 'chai';
import { createSecurityAudit, personAuditKey } from '../../../src/audit/security-audit.js';
import { createLogger } from '../../../src/logging/logger.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

const SUB = 'sub-of-a-abcdefghijklmnop';
const quiet = () => createLogger({ level: 'silent' });

describe('the person’s own audit record: tight rows, older records still read', () => {
  it('writes one short line per event and reads it back whole', async () => {
    const store = new MemoryStore(() => Date.UTC(2026, 11, 3, 12, 0, 0));
    const audit = createSecurityAudit({ store, logger: quiet(), now: () => Date.UTC(2026, 11, 3, 12, 0, 0) });
    const ctx = { state: { requestId: 'r1' }, ip: '203.0.113.77' };
    audit.record(ctx, 'login.succeeded', { sub: SUB, method: 'sms' });
    await new Promise((resolve) => setImmediate(resolve));
    audit.record(ctx, 'site.signed_in', { sub: SUB, client: 'sales' });
    await new Promise((resolve) => setImmediate(resolve));
    const raw = (await store.get(personAuditKey(SUB))) as string;
    expect(raw.split('\n')).to.have.length(2);
    // The same two rows as JSON took 120 characters.
    expect(raw.length).to.be.below(70);
    expect(await audit.recentFor(SUB, 10)).to.deep.equal([
      {
        id: '0',
        at: '2026-12-03T12:00:00.000Z',
        type: 'site.signed_in',
        client: 'sales',
        network: '203.0.113.0/24',
      },
      {
        id: '1',
        at: '2026-12-03T12:00:00.000Z',
        type: 'login.succeeded',
        method: 'sms',
        network: '203.0.113.0/24',
      },
    ]);
    await store.close();
  });

  it('reads a record written before (a JSON array of rows) and keeps its rows on the next event', async () => {
    const store = new MemoryStore();
    const audit = createSecurityAudit({ store, logger: quiet(), now: () => 1_764_763_300_000 });
    await store.set(
      personAuditKey(SUB),
      JSON.stringify([[1_764_763_200, 'login.succeeded', '', 'passkey', '']]),
    );
    expect(await audit.recentFor(SUB, 10)).to.deep.equal([
      { id: '0', at: new Date(1_764_763_200_000).toISOString(), type: 'login.succeeded', method: 'passkey' },
    ]);
    audit.record({ state: {} }, 'consent.withdrawn', { sub: SUB, client: 'service' });
    await new Promise((resolve) => setImmediate(resolve));
    expect((await audit.recentFor(SUB, 10)).map((entry) => entry.type)).to.deep.equal([
      'consent.withdrawn',
      'login.succeeded',
    ]);
    await store.close();
  });
});
