import { expect } from 'chai';
import { adminActor } from '../../../src/admin/audit.js';
import { newClientId, newClientSecret } from '../../../src/admin/client-registry.js';
import { clientRecordKey } from '../../../src/admin/keys.js';
import {
  currentSecretForPrevious,
  forgetPreviousSecret,
  rememberPreviousSecret,
} from '../../../src/admin/secret-grace.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

describe('previous-secret grace', () => {
  let now = Date.UTC(2025, 0, 1);
  const clock = () => now;

  it('gives the current secret for the previous one within the grace, and nothing after', async () => {
    const store = new MemoryStore(clock);
    await store.set(clientRecordKey('c1'), JSON.stringify({ client_id: 'c1', client_secret: 'new-secret' }));
    const until = await rememberPreviousSecret(store, 'c1', 'old-secret', 60, clock);
    expect(until.getTime()).to.equal(now + 60_000);
    expect(await currentSecretForPrevious(store, 'c1', 'old-secret', clock)).to.equal('new-secret');
    expect(await currentSecretForPrevious(store, 'c1', 'wrong', clock)).to.equal(undefined);
    expect(await currentSecretForPrevious(store, 'c1', 'new-secret', clock)).to.equal(undefined);
    expect(await currentSecretForPrevious(store, 'other', 'old-secret', clock)).to.equal(undefined);
    now += 61_000;
    expect(await currentSecretForPrevious(store, 'c1', 'old-secret', clock)).to.equal(undefined);
  });

  it('stores a digest, never the secret, and can be forgotten', async () => {
    const store = new MemoryStore(clock);
    await store.set(clientRecordKey('c2'), JSON.stringify({ client_id: 'c2', client_secret: 'new' }));
    await rememberPreviousSecret(store, 'c2', 'the-old-secret', 60, clock);
    const raw = await store.get('admin:client-previous-secret:{c2}');
    expect(raw).to.not.include('the-old-secret');
    await forgetPreviousSecret(store, 'c2');
    expect(await currentSecretForPrevious(store, 'c2', 'the-old-secret', clock)).to.equal(undefined);
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
