import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * The OpenID Connect for Identity Assurance JSON schemas written down from the specification in
 * test/schemas/: every verified_claims Darvaze emits, and the requests tests send, go through them.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
const load = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', name), 'utf8')) as object;
const responseSchema = ajv.compile(load('verified_claims.schema.json'));
const requestSchema = ajv.compile(load('verified_claims_request.schema.json'));

/** Errors of a response object (ID token payload or userinfo) carrying verified_claims; [] if valid. */
export function verifiedClaimsErrors(payload: unknown): string[] {
  return responseSchema(payload)
    ? []
    : (responseSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Errors of a claims request parameter (parsed); [] if valid. */
export function claimsRequestErrors(request: unknown): string[] {
  return requestSchema(request)
    ? []
    : (requestSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
