/** Issue 17's targets for one provider process, printed beside each figure. */
export const MIN_SIGN_INS_PER_SECOND = 150;
/** Returning-user sign-ins/s per 1,000 bare (in-memory) oidc-provider refresh grants/s: the machine's speed factored out. */
export const MIN_NORMALISED_SIGN_INS = 150;
export const MAX_P99_MS = 50;
export const MIN_REFRESH_PER_SECOND = 1500;
/** Darvaze's refresh-grant cost over bare oidc-provider's, both on Redis. */
export const MAX_COST_RATIO = 1.1;
/** Redis bytes a refresh grant leaves once its access token has lapsed (MEMORY USAGE). */
export const MAX_KEPT_BYTES_PER_REFRESH = 100;
export const MAX_BYTES_PER_SIGNED_IN_PERSON = 3 * 1024;
