import type Provider from 'oidc-provider';
import als from 'oidc-provider/lib/helpers/als.js';
import { nextChainToken } from './refresh-chain.js';

/**
 * Refresh tokens get chain values (refresh-chain.ts): a rotation's new token continues the chain
 * of the token it replaces (oidc-provider's `RotatedRefreshToken` in the request's context), any
 * other refresh token starts a chain. oidc-provider draws a token's id in `generateTokenId`,
 * which its configuration does not expose, hence the override on the provider's own class.
 */
export function useRefreshTokenChains(provider: Provider): void {
  const prototype = provider.RefreshToken.prototype as unknown as { generateTokenId: () => string };
  prototype.generateTokenId = () => {
    const rotated = als.getStore()?.oidc?.entities.RotatedRefreshToken as { jti?: string } | undefined;
    return nextChainToken(rotated?.jti);
  };
}
