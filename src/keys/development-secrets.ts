import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeySet, loadSigningKeySet, type SigningKeySet } from './signing-keys.js';

export interface Secrets {
  signingKeys: SigningKeySet;
  cookieKeys: string[];
  dataEncryptionKeys: string[];
  dataIndexKey: string;
  otpPepper: string;
}

interface GeneratedSecrets {
  cookieKeys: string[];
  dataEncryptionKeys: string[];
  dataIndexKey: string;
  otpPepper: string;
}

export interface SecretSettings {
  dataDir: string;
  jwksFile?: string;
  cookieKeys: string[];
  dataEncryptionKeys: string[];
  dataIndexKey?: string;
  otpPepper?: string;
}

/**
 * Configured secrets win; whatever is missing (development only — production refuses to start
 * without them) is generated once into the git-ignored data folder, so sessions, encrypted
 * records and tokens survive a restart of `npm start`.
 */
export async function resolveSecrets(settings: SecretSettings): Promise<Secrets> {
  const signingKeys = settings.jwksFile
    ? await loadSigningKeySet(settings.jwksFile)
    : await loadOrCreate(join(settings.dataDir, 'jwks.json'), generateSigningKeySet, loadSigningKeySet);
  const needsGenerated =
    !settings.cookieKeys.length ||
    !settings.dataEncryptionKeys.length ||
    !settings.dataIndexKey ||
    !settings.otpPepper;
  const generated = needsGenerated
    ? await loadOrCreate<GeneratedSecrets>(join(settings.dataDir, 'secrets.json'), async () => ({
        cookieKeys: [randomBytes(32).toString('base64url')],
        dataEncryptionKeys: [randomBytes(32).toString('base64')],
        dataIndexKey: randomBytes(32).toString('base64'),
        otpPepper: randomBytes(32).toString('base64url'),
      }))
    : undefined;
  return {
    signingKeys,
    cookieKeys: settings.cookieKeys.length ? settings.cookieKeys : (generated?.cookieKeys ?? []),
    dataEncryptionKeys: settings.dataEncryptionKeys.length
      ? settings.dataEncryptionKeys
      : (generated?.dataEncryptionKeys ?? []),
    dataIndexKey: settings.dataIndexKey ?? generated?.dataIndexKey ?? '',
    otpPepper: settings.otpPepper ?? generated?.otpPepper ?? '',
  };
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

async function loadOrCreate<T>(
  file: string,
  create: () => Promise<T>,
  read: (file: string) => Promise<T> = readJson,
): Promise<T> {
  try {
    await access(file);
  } catch {
    return writeOnce(file, await create(), read);
  }
  return read(file);
}

async function writeOnce<T>(file: string, value: T, read: (file: string) => Promise<T>): Promise<T> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  // wx: two processes starting at once must not overwrite each other's keys.
  try {
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read(file);
    throw error;
  }
}
