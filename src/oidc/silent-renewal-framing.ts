import type { Context } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { redirectOrigins } from './client-origins.js';

/**
 * Silent renewal: a site loads `/auth?prompt=none…` in a hidden iframe and reads the answer at
 * its redirect URI. That one kind of response may be framed, and only by the origins of the
 * requesting client's registered redirect URIs. Everything a person can see (the journey pages,
 * error pages, logout) stays unframeable: with `prompt=none` there is no page to click on, and a
 * response is framable only when it is the authorization response itself — a redirect to the
 * client, or oidc-provider's form_post page that posts to it.
 *
 * @param authorizationPath oidc-provider's authorization route (default `/auth`).
 */
export function silentRenewalFraming(authorizationPath = '/auth') {
  return (ctx: Context): readonly string[] | undefined => {
    if (ctx.path !== authorizationPath || (ctx.method !== 'GET' && ctx.method !== 'POST')) return undefined;
    const oidc = (ctx as unknown as Partial<KoaContextWithOIDC>).oidc;
    if (!oidc?.client || !oidc.prompts?.has('none')) return undefined;
    const origins = redirectOrigins(oidc.client.redirectUris);
    if (origins.size === 0) return undefined;
    if (ctx.status >= 300 && ctx.status < 400) {
      // Only a redirect to one of the client's own origins (never oidc-provider's interaction
      // redirect, which prompt=none does not make anyway).
      const location = URL.parse(String(ctx.response.get('Location')), `http://${ctx.host}`);
      return location && origins.has(location.origin) ? [...origins] : undefined;
    }
    if (ctx.status === 200 && oidc.params?.response_mode === 'form_post') return [...origins];
    return undefined;
  };
}
