import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file, in the data folder, that holds the generated development admin token. */
export const ADMIN_TOKEN_FILE = 'admin-token';

const MIN_LENGTH = 32;

/**
 * The admin API's token for `npm start` in development when ADMIN_TOKEN is unset: generated once
 * (256 random bits) into the git-ignored data folder, readable by its owner only, so the clients
 * command line on the same machine finds it without the person copying a secret around.
 * Production never calls this: there ADMIN_TOKEN is set explicitly or the admin API is off.
 */
export async function developmentAdminToken(dataDir: string): Promise<{ token: string; file: string }> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const existing = await readToken(file);
  if (existing !== undefined) return { token: existing, file };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  // Written whole to a private name, then linked into place: link fails if the file exists, so
  // two processes starting at once agree on one token, and neither reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${token}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
    return { token, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readToken(file);
    if (raced === undefined) throw error;
    return { token: raced, file };
  } finally {
    await rm(draft, { force: true });
  }
}

/** The token in `file`; undefined when there is no file. A short or empty one is refused. */
export async function readToken(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const token = text.trim();
  if (token.length < MIN_LENGTH || /\s/.test(token)) {
    throw new Error(`${file} does not hold an admin token of at least ${MIN_LENGTH} characters: delete it`);
  }
  return token;
}
