import { decodeJwt } from 'jose';
import type { Context, Middleware, Next } from 'koa';
import { formBody } from './request-body.js';

/** oidc-provider's RP-initiated logout endpoint (its default route). */
export const END_SESSION_PATH = '/session/end';

/** What the logout request keeps on its way to the GET form; hints and tokens stay behind. */
const CARRIED = ['client_id', 'post_logout_redirect_uri', 'state', 'ui_locales'] as const;

/**
 * Logout by form POST: a site posts its logout request (OpenID Connect RP-Initiated Logout 1.0
 * §2 allows POST) so nothing of it enters a URL, and is sent on with a 303 to the same request
 * as a GET, without `id_token_hint` or `logout_hint`.
 *
 * Why not oidc-provider's own POST route: it needs the session cookie on a cross-site POST, i.e.
 * SameSite=None (`enableHttpPostMethods`), which would weaken every other form against CSRF. A
 * 303 is followed as a top-level GET, which carries our SameSite=Lax cookie. The GET names the
 * site by `client_id` — taken from the posted `client_id`, else from the `aud` of a posted ID
 * token (only read, never printed; oidc-provider still checks post_logout_redirect_uri against
 * that client's registration, and always asks the person before ending a session).
 */
export function logoutFormPost(options: { limit?: string } = {}): Middleware {
  const parse = formBody({ limit: options.limit ?? '16kb' });
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'POST' || ctx.path !== END_SESSION_PATH) return next();
    const hasBody = Boolean(ctx.request.length || ctx.get('transfer-encoding'));
    if (hasBody && !ctx.is('application/x-www-form-urlencoded')) ctx.throw(415, 'a form body is expected');
    await parse(ctx, async () => {});
    const form = (ctx.request.body ?? {}) as Record<string, unknown>;
    const query = new URLSearchParams();
    for (const name of [...CARRIED, 'id_token_hint', 'logout_hint']) {
      const value = form[name];
      // One value each, as oidc-provider requires of every parameter.
      if (value !== undefined && typeof value !== 'string') ctx.throw(400, `${name} given more than once`);
    }
    for (const name of CARRIED) {
      const value = form[name];
      if (typeof value === 'string' && value) query.set(name, value);
    }
    if (!query.has('client_id') && typeof form.id_token_hint === 'string') {
      const clientId = audienceOf(form.id_token_hint);
      if (clientId) query.set('client_id', clientId);
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    const search = query.toString();
    ctx.redirect(search ? `${END_SESSION_PATH}?${search}` : END_SESSION_PATH);
  };
}

/** The single audience of an ID token, unverified; undefined when it is not a readable JWT. */
function audienceOf(idToken: string): string | undefined {
  try {
    const { aud } = decodeJwt(idToken);
    if (typeof aud === 'string') return aud;
    return Array.isArray(aud) && aud.length === 1 && typeof aud[0] === 'string' ? aud[0] : undefined;
  } catch {
    return undefined;
  }
}
