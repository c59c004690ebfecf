import type { Context } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { isLocale, type Locale } from '../i18n/index.js';
import { clientNameFor } from '../oidc/client-names.js';
import type { ProviderPages } from '../oidc/provider.js';
import { StoreUnavailableError } from '../store/store.js';
import type { Render } from './render.js';
import type { ErrorPage, LoggedOutPage, LogoutPage } from './view-models.js';

const KNOWN_PROTOCOL_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_redirect_uri',
  'unauthorized_client',
  'access_denied',
  'login_required',
  'server_error',
]);

/** oidc-provider's own pages (errors, logout) in our look and language. */
export function createProviderPages(render: Render): ProviderPages {
  return {
    async renderError(ctx, out, error) {
      const unavailable = error instanceof StoreUnavailableError || out.error === 'temporarily_unavailable';
      const key = unavailable
        ? 'error.unavailable'
        : KNOWN_PROTOCOL_ERRORS.has(out.error)
          ? `oidc.${out.error}`
          : 'oidc.default';
      if (unavailable) ctx.set('Retry-After', '5');
      // The way back: the site's own address when the request named a registered site that has
      // one (client_uri, registered by an administrator — never an address from the request).
      const client = ctx.oidc?.client;
      const model: ErrorPage = {
        titleKey: 'page.error.title',
        message: { key },
        reference: (ctx as unknown as Context).state.requestId,
        backUrl: client?.clientUri,
        backToClient: client?.clientUri ? clientNameFor(client, localeOf(ctx)) : undefined,
      };
      await render(ctx as unknown as Context, 'error', model, unavailable ? 503 : ctx.status || 400);
    },
    async logoutSource(ctx: KoaContextWithOIDC, form: string) {
      const formId = /id="([^"]+)"/.exec(form)?.[1] ?? 'op.logoutForm';
      const clientName = ctx.oidc.client ? clientNameFor(ctx.oidc.client, localeOf(ctx)) : undefined;
      const model: LogoutPage = {
        titleKey: 'page.logout.title',
        formHtml: form,
        formId,
        clientName,
        currentPath: logoutAddress(ctx),
      };
      await render(ctx as unknown as Context, 'logout', model);
    },
    async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
      const { client } = ctx.oidc;
      const model: LoggedOutPage = {
        titleKey: 'page.loggedOut.title',
        clientName: client ? clientNameFor(client, localeOf(ctx)) : undefined,
        // The way on: the site's registered home address, when it has one.
        backUrl: client?.clientUri,
      };
      await render(ctx as unknown as Context, 'logged-out', model);
    },
  };
}

/**
 * The logout request again without its hints, for the language switch: the site by its
 * client_id (also when it was named only by an id_token_hint, which must not be printed: it holds
 * the national code), where to return and the site's state.
 */
function logoutAddress(ctx: KoaContextWithOIDC): string {
  const query = new URLSearchParams();
  if (ctx.oidc.client) query.set('client_id', ctx.oidc.client.clientId);
  const { post_logout_redirect_uri: returnTo, state } = ctx.oidc.params ?? {};
  if (ctx.oidc.client && typeof returnTo === 'string') query.set('post_logout_redirect_uri', returnTo);
  if (typeof state === 'string') query.set('state', state);
  const search = query.toString();
  return search ? `${ctx.path}?${search}` : ctx.path;
}

/** The page's locale, as the locale middleware set it (Persian when unset). */
function localeOf(ctx: KoaContextWithOIDC): Locale {
  const locale = (ctx as unknown as Context).state.locale;
  return isLocale(locale) ? locale : 'fa';
}
