import { expect } from 'chai';
import { adminActor } from '../../../src/admin/audit.js';
import { newClientId, newClientSecret } from '../../../src/admin/client-registry.js';
import { createPreviousSecrets } from '../../../src/admin/previous-secrets.js';
import { createOidcRecords } from '../../../src/oidc/oidc-records.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

describe('previous-secret grace', () => {
  let now = Date.UTC(2025, 0, 1);
  const clock = () => now;

  const setUp = () => {
    const store = new MemoryStore(clock);
    const clients = createOidcRecords(store);
    return { store, clients, secrets: createPreviousSecrets({ store, clients, now: clock }) };
  };

  it('gives the current secret for the previous one within the grace, and nothing after', async () => {
    const { clients, secrets } = setUp();
    await clients.writeClient({ client_id: 'c1', client_secret: 'new-secret' });
    expect(await secrets.anyInGrace()).to.equal(false);
    const until = await secrets.remember('c1', 'old-secret', 60);
    expect(until.getTime()).to.equal(now + 60_000);
    expect(await secrets.anyInGrace()).to.equal(true);
    expect(await secrets.currentFor('c1', 'old-secret')).to.equal('new-secret');
    expect(await secrets.currentFor('c1', 'wrong')).to.equal(undefined);
    expect(await secrets.currentFor('c1', 'new-secret')).to.equal(undefined);
    expect(await secrets.currentFor('other', 'old-secret')).to.equal(undefined);
    now += 61_000;
    expect(await secrets.currentFor('c1', 'old-secret')).to.equal(undefined);
  });

  it('stores a digest, never the secret, and can be forgotten', async () => {
    const { store, clients, secrets } = setUp();
    await clients.writeClient({ client_id: 'c2', client_secret: 'new' });
    await secrets.remember('c2', 'the-old-secret', 60);
    const raw = await store.get('admin:client-previous-secret:{c2}');
    expect(raw).to.not.include('the-old-secret');
    await secrets.forget('c2');
    expect(await secrets.currentFor('c2', 'the-old-secret')).to.equal(undefined);
  });

  it('names the admin token by a short digest prefix', () => {
    const who = adminActor('a-very-secret-admin-token');
    expect(who).to.match(/^admin:[0-9a-f]{8}$/);
    expect(who).to.equal(adminActor('a-very-secret-admin-token'));
    expect(who).to.not.equal(adminActor('another-token'));
  });
});

describe('generated client ids and secrets', () => {
  it('ids are URL-safe, 22 characters, never starting with "-" or "_" (they would read as CLI options)', () => {
    for (let i = 0; i < 2000; i++) expect(newClientId()).to.match(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
  });
  it('secrets carry 256 bits', () => {
    expect(newClientSecret()).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(newClientSecret()).to.not.equal(newClientSecret());
  });
});
