import { readFile } from 'node:fs/promises';
import { isJsonObject } from '../../src/admin/client-metadata-validation.js';
import { UsageError } from './errors.js';
import type { Flags } from './options.js';

/** Fields the server sets: dropped from a read client before it is sent back as an update. */
const SERVER_FIELDS = ['client_id', 'client_id_issued_at', 'client_secret_expires_at', 'client_secret'];

export function editableMetadata(client: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(client).filter(([key]) => !SERVER_FIELDS.includes(key)));
}

/** RFC 7591 metadata from --file (if any, else `base`) with the metadata flags on top. */
export async function metadataFrom(
  flags: Flags,
  base: Record<string, unknown>,
  readStdin: () => Promise<string>,
): Promise<Record<string, unknown>> {
  let metadata: Record<string, unknown> = { ...base };
  if (flags.file) {
    const text = flags.file === '-' ? await readStdin() : await readFileOrExplain(flags.file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${flags.file}: not JSON (${(error as Error).message})`);
    }
    if (!isJsonObject(parsed))
      throw new UsageError(`${flags.file}: expected a JSON object of client metadata`);
    metadata = parsed;
  }
  const set = (field: string, value: unknown) => {
    if (value !== undefined) metadata[field] = value;
  };
  set('client_name', flags.name);
  set('redirect_uris', flags['redirect-uri']);
  set('post_logout_redirect_uris', flags['post-logout-redirect-uri']);
  set('backchannel_logout_uri', flags['backchannel-logout-uri']);
  set('scope', flags.scope);
  set(
    'grant_types',
    flags['grant-types']
      ?.split(',')
      .map((value) => value.trim())
      .filter(Boolean),
  );
  set('token_endpoint_auth_method', flags['auth-method']);
  set('jwks_uri', flags['jwks-uri']);
  set('subject_type', flags['subject-type']);
  set('sector_identifier_uri', flags['sector-identifier-uri']);
  set('application_type', flags['application-type']);
  return metadata;
}

async function readFileOrExplain(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
