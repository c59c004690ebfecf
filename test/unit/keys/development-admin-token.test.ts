import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { developmentAdminToken } from '../../../src/keys/development-admin-token.js';

describe('development admin token (data folder)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'darvaze-admin-token-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is generated once and kept: a restart, or two processes starting at once, get the same token', async () => {
    const dataDir = join(dir, 'data');
    const [a, b] = await Promise.all([developmentAdminToken(dataDir), developmentAdminToken(dataDir)]);
    expect(a.token)
      .to.equal(b.token)
      .and.match(/^[A-Za-z0-9_-]{43}$/);
    expect((await developmentAdminToken(dataDir)).token).to.equal(a.token);
    expect((await readFile(join(dataDir, 'admin-token'), 'utf8')).trim()).to.equal(a.token);
  });

  it('refuses a file that holds no real token (edited by hand) instead of serving a weak one', async () => {
    await writeFile(join(dir, 'admin-token'), 'secret\n');
    let refused: unknown;
    try {
      await developmentAdminToken(dir);
    } catch (error) {
      refused = error;
    }
    expect((refused as Error).message).to.include('delete it');
  });
});
