/** The relying party the benchmark signs in to, and the settings that keep limits out of the way. */
import type { ClientMetadata } from 'oidc-provider';
import { type BenchClient, exchangeCode, type JourneyContext, signIn } from '../lib/bench-journey.js';
import type { generateCitizens } from '../lib/citizens.js';

export const CLIENT: BenchClient = {
  clientId: 'bench',
  clientSecret: 'bench-secret-0123456789abcdef0123456789abcdef',
  // Never contacted: the load generator stops at the callback, as the relying party's server would.
  redirectUri: 'http://127.0.0.1:9/cb',
};
export const FULL_SCOPE = 'openid profile phone offline_access';
export const RETURNING_SCOPE = 'openid profile phone';
export const IDENTITY_TOKEN = 'bench-identity-token';
export const KEY_PREFIX = 'darvaze:';

export const CLIENT_METADATA: ClientMetadata = {
  client_id: CLIENT.clientId,
  client_secret: CLIENT.clientSecret,
  client_name: 'Benchmark site',
  redirect_uris: [CLIENT.redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: FULL_SCOPE,
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: 'ES256',
};

/** Limits far above what the benchmark reaches: it measures throughput, not the limits. */
export const BENCH_LIMITS = {
  SMS_PER_MOBILE_HOUR: '100000',
  SMS_PER_MOBILE_DAY: '100000',
  SMS_PER_ADDRESS_HOUR: '100000',
  SMS_GLOBAL_PER_HOUR: '100000000',
  SMS_COOLDOWN_SECONDS: '1',
  IDENTITY_CHECKS_PER_DAY: '1000',
};

export type Citizens = ReturnType<typeof generateCitizens>;

/** A distinct client address per virtual user (10.0.0.0/8). */
export const addressOf = (index: number) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;

/** The `index`-th citizen's first sign-in at the bench site (with consent) and its code exchange. */
export async function firstSignIn(context: JourneyContext, citizens: Citizens, index: number) {
  const signed = await signIn(context, citizens[index] as Citizens[number], {
    scope: FULL_SCOPE,
    prompt: 'consent',
    address: addressOf(index),
  });
  return { signed, tokens: await exchangeCode(context, signed.code, signed.verifier) };
}
