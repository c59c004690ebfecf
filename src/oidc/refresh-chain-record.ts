import { packPayload, unpackPayload } from './payload-fields.js';

/**
 * A refresh-token chain's one record (refresh-chain.ts, store-adapter.ts): the current token's
 * payload, its generation (`N`) and value hash (`H`). One is kept per person and site for 30
 * days, so beside the short field names of payload-fields.ts it leaves out what the payload's
 * own fields say (issue 17: Redis per person):
 *
 * - `iiat` (the chain's first issue time) when it is the token's `iat` (generation 0), and
 *   `rotations` when 0; `null` stands for a field the payload did not have;
 * - `exp` as seconds after `iat` (`E`);
 * - `gty` (grant types, e.g. `authorization_code refresh_token`) as one letter per known type (`Y`).
 *
 * Records written before read as they are.
 */
export interface ChainRecord {
  payload: Record<string, unknown>;
  generation: number;
  hash: string;
}

const GRANT_TYPE_CODES: Readonly<Record<string, string>> = {
  authorization_code: 'c',
  refresh_token: 'r',
  'urn:ietf:params:oauth:grant-type:device_code': 'd',
  'urn:openid:params:grant-type:ciba': 'b',
};
const GRANT_TYPES_BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(GRANT_TYPE_CODES).map(([type, code]) => [code, type]),
);

/** Absent (undefined) when it equals `usual`, null when the payload lacks it, else the value. */
const unlessUsual = (value: unknown, usual: unknown) => (value === usual ? undefined : (value ?? null));
/** The other way round. */
const orUsual = (value: unknown, usual: unknown) => (value === undefined ? usual : (value ?? undefined));

function codedGrantTypes(gty: unknown): string | undefined {
  if (typeof gty !== 'string' || gty === '') return undefined;
  const codes = gty
    .split(' ')
    .map((type) => (Object.hasOwn(GRANT_TYPE_CODES, type) ? GRANT_TYPE_CODES[type] : undefined));
  return codes.every((code) => code !== undefined) ? codes.join('') : undefined;
}

export function packChainRecord({ payload, generation, hash }: ChainRecord): string {
  const { jti: _jti, kind: _kind, iiat, rotations, exp, gty, ...rest } = payload;
  const coded = codedGrantTypes(gty);
  const relative = typeof exp === 'number' && typeof payload.iat === 'number';
  return packPayload({
    ...rest,
    iiat: unlessUsual(iiat, payload.iat),
    rotations: unlessUsual(rotations, 0),
    // `E` is always written (null: `exp` kept as it is): it marks the record as of this form.
    E: relative ? (exp as number) - (payload.iat as number) : null,
    exp: relative ? undefined : exp,
    ...(coded === undefined ? { gty } : { Y: coded }),
    N: generation,
    H: hash,
  });
}

export function unpackChainRecord(stored: string): ChainRecord {
  const unpacked = unpackPayload<
    Record<string, unknown> & {
      N?: number;
      H?: string;
      _g?: number;
      _h?: string;
      E?: number | null;
      Y?: string;
    }
  >(stored);
  // Generation and hash were `_g` and `_h` before this form.
  const { N, H, _g, _h, E: relativeExp, Y: coded, ...payload } = unpacked;
  const generation = (N ?? _g) as number;
  const hash = (H ?? _h) as string;
  if ('E' in unpacked) {
    if (typeof relativeExp === 'number') payload.exp = (payload.iat as number) + relativeExp;
    payload.iiat = orUsual(payload.iiat, payload.iat);
    payload.rotations = orUsual(payload.rotations, 0);
    for (const name of ['iiat', 'rotations']) if (payload[name] === undefined) delete payload[name];
  }
  if (coded !== undefined) payload.gty = [...coded].map((code) => GRANT_TYPES_BY_CODE[code]).join(' ');
  return { payload, generation, hash };
}
