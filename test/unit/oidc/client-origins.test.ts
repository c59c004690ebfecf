import { expect } from 'chai';
import { createKnownOrigins, originAllowed, redirectOrigins } from '../../../src/oidc/client-origins.js';

describe('client origins (CORS)', () => {
  it('takes the origin of each redirect URI; custom schemes have none', () => {
    expect([
      ...redirectOrigins([
        'https://rp.example/cb',
        'https://rp.example:8443/x?y=1',
        'com.example.app:/cb',
        7,
      ]),
    ]).to.deep.equal(['https://rp.example', 'https://rp.example:8443']);
  });

  it('allows exactly those origins, never "null"', () => {
    const uris = ['https://rp.example/cb', 'http://127.0.0.1:4000/cb'];
    expect(originAllowed(uris, 'https://rp.example')).to.equal(true);
    expect(originAllowed(uris, 'http://127.0.0.1:4000')).to.equal(true);
    for (const origin of [
      'https://rp.example.evil.example',
      'http://rp.example',
      'https://rp.example:443x',
      'http://localhost:4000',
      'null',
      '',
    ]) {
      expect(originAllowed(uris, origin), origin).to.equal(false);
    }
    expect(originAllowed(['app.example:/cb'], 'null')).to.equal(false);
  });

  it('caches the known origins, reloads on a miss at most once a second, survives a failed load', async () => {
    let clock = 0;
    let loads = 0;
    let clients: Array<Record<string, unknown>> = [{ redirect_uris: ['https://a.example/cb'] }];
    let failing = false;
    const errors: string[] = [];
    const known = createKnownOrigins({
      now: () => clock,
      load: async () => {
        loads++;
        if (failing) throw new Error('store down');
        return clients;
      },
      onError: (error) => errors.push(error.message),
    });
    expect(await known.has('https://a.example')).to.equal(true);
    expect(await known.has('https://a.example')).to.equal(true);
    expect(loads).to.equal(1);

    clients = [...clients, { redirect_uris: ['https://b.example/cb'] }];
    expect(await known.has('https://b.example')).to.equal(false); // a miss, but loaded just now
    clock += 1001;
    expect(await known.has('https://b.example')).to.equal(true);
    expect(loads).to.equal(2);

    // Random origins cannot make it reload more than once a second.
    for (let i = 0; i < 20; i++) expect(await known.has(`https://x${i}.example`)).to.equal(false);
    expect(loads).to.equal(2);

    failing = true;
    clock += 31_000;
    expect(await known.has('https://a.example')).to.equal(true); // the last good set stays
    expect(errors).to.deep.equal(['store down']);
    expect(await known.has('null')).to.equal(false);
  });
});
