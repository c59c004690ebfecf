/**
 * Writes a private JWK Set for JWKS_FILE.
 *   npm run keys -- --out keys/jwks.json                 # new file: ES256 + RS256
 *   npm run keys -- --out keys/jwks.json --alg PS256,EdDSA  # FAPI-friendly algorithms
 *   npm run keys -- --out keys/jwks.json --rotate        # new keys in front, old keys kept to verify
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ALGORITHMS,
  generateSigningKey,
  rotateIn,
  type SigningKeySet,
} from '../src/keys/signing-keys.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'jwks.json' },
    alg: { type: 'string', default: DEFAULT_ALGORITHMS.join(',') },
    rotate: { type: 'boolean', default: false },
  },
});

const fresh = await Promise.all(values.alg.split(',').map((alg) => generateSigningKey(alg.trim())));
let set: SigningKeySet = { keys: fresh };
if (values.rotate) {
  const existing = JSON.parse(await readFile(values.out, 'utf8')) as SigningKeySet;
  set = rotateIn(existing, fresh);
}
await writeFile(values.out, `${JSON.stringify(set, null, 2)}\n`, {
  mode: 0o600,
  flag: values.rotate ? 'w' : 'wx',
});
console.log(`${values.out}: ${set.keys.map((key) => `${key.kid} (${key.alg})`).join(', ')}`);
