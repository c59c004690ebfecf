import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { resolveSecrets } from '../../src/keys/development-secrets.js';
import { generateSigningKeySet, loadSigningKeySet, rotateIn } from '../../src/keys/signing-keys.js';

describe('signing keys and development secrets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'darvaze-keys-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('generates development keys once; a restart finds the same keys and secrets', async () => {
    const settings = { dataDir: dir, cookieKeys: [], dataEncryptionKeys: [] };
    const first = await resolveSecrets(settings);
    const second = await resolveSecrets(settings);
    expect(second.signingKeys.keys.map((key) => key.kid)).to.deep.equal(
      first.signingKeys.keys.map((key) => key.kid),
    );
    expect(second.cookieKeys).to.deep.equal(first.cookieKeys);
    expect(second.dataEncryptionKeys).to.deep.equal(first.dataEncryptionKeys);
    expect(first.signingKeys.keys.map((key) => key.alg)).to.deep.equal(['ES256', 'RS256']);
    expect((await stat(join(dir, 'jwks.json'))).mode & 0o077).to.equal(0);
  });

  it('configured secrets win over generated ones', async () => {
    const jwksFile = join(dir, 'configured.json');
    await writeFile(jwksFile, JSON.stringify(await generateSigningKeySet(['ES256'])));
    const secrets = await resolveSecrets({
      dataDir: dir,
      jwksFile,
      cookieKeys: ['c'.repeat(40)],
      dataEncryptionKeys: ['k'],
      dataIndexKey: 'i',
      otpPepper: 'p',
    });
    expect(secrets.cookieKeys).to.deep.equal(['c'.repeat(40)]);
    expect(secrets.signingKeys.keys).to.have.length(1);
    await expectMissing(join(dir, 'secrets.json'));
  });

  it('rotation puts new keys in front and keeps the old ones to verify', async () => {
    const old = await generateSigningKeySet();
    const fresh = await generateSigningKeySet(['ES256']);
    const rotated = rotateIn(old, fresh.keys);
    expect(rotated.keys.map((key) => key.kid)).to.deep.equal(
      [...fresh.keys, ...old.keys].map((key) => key.kid),
    );
  });

  it('refuses a key file that is public, lacks kid/alg/use, or repeats a kid, naming each problem', async () => {
    const file = join(dir, 'bad.json');
    const [good] = (await generateSigningKeySet(['ES256'])).keys;
    const { d: _private, ...publicOnly } = good!;
    await writeFile(
      file,
      JSON.stringify({ keys: [publicOnly, { ...good, kid: undefined }, good, { ...good, use: 'enc' }] }),
    );
    let message = '';
    await loadSigningKeySet(file).catch((error: Error) => {
      message = error.message;
    });
    expect(message)
      .to.match(/no "d"/)
      .and.match(/missing kid/)
      .and.match(/duplicate kid/)
      .and.match(/use must be "sig"/);
    await writeFile(file, 'not json');
    await loadSigningKeySet(file).catch((error: Error) => {
      message = error.message;
    });
    expect(message).to.match(/cannot read a JSON key set/);
  });
});

async function expectMissing(file: string) {
  const exists = await readFile(file).then(
    () => true,
    () => false,
  );
  expect(exists, file).to.equal(false);
}
