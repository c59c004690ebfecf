import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import Router from '@koa/router';
import Koa, { type Context, type Middleware } from 'koa';
import { koaBody } from 'koa-body';
import * as client from 'openid-client';
import { siteAssets } from './assets.js';
import { backchannelLogoutHandler, verifyLogoutToken } from './backchannel.js';
import { html, type SafeHtml } from './html.js';
import { notice, page, type SiteLook } from './layout.js';
import type { SiteLogger } from './logger.js';
import { chooseLocale, type Locale, type MessageKey, t } from './messages.js';
import { createOidcClient, type OidcClient, ProviderUnavailableError } from './oidc-client.js';
import { type PendingAuthorization, SessionStore, type SiteSession, type SiteUser } from './session-store.js';

/** The site's registration at the provider (see src/composition/demo-clients.ts). */
export interface SiteClient {
  clientId: string;
  clientSecret: string;
  scope: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  backchannelLogoutUri: string;
  idTokenSignedResponseAlg: string;
}

export interface RelyingPartySettings {
  look: SiteLook;
  issuer: string;
  client: SiteClient;
  /** Name of the session cookie; unique per site (browsers share cookies across ports). */
  cookieName: string;
  logger: SiteLogger;
  now?: () => number;
  /** Discovery retry pacing (tests make it quick). */
  discoveryRetryMs?: number;
}

/** What a finished round trip to the provider brought back. */
export interface AuthorizationResult {
  claims: client.IDToken;
  scope: string;
}

export type CallbackHandler<Extra> = (
  ctx: Context,
  session: SiteSession<Extra>,
  result: AuthorizationResult,
  pending: PendingAuthorization,
) => Promise<void>;

export interface RenderOptions {
  title: string;
  main: SafeHtml;
  status?: number;
}

export interface RelyingParty<Extra> {
  app: Koa;
  router: Router;
  sessions: SessionStore<Extra>;
  oidc: OidcClient;
  settings: RelyingPartySettings;
  /** Handles callbacks whose request was started with this purpose (`login` has a default). */
  onCallback(purpose: string, handler: CallbackHandler<Extra>): void;
  /** Where a person lands after signing in (default `/`). */
  afterLogin(path: (session: SiteSession<Extra>) => string): void;
  /** Sends the browser to the provider's authorization endpoint. */
  startAuthorization(
    ctx: Context,
    request: { purpose: string; params?: Record<string, string> },
  ): Promise<void>;
  session(ctx: Context): SiteSession<Extra> | undefined;
  /** The language of this request's pages (`?lang=`, then the `lang` cookie, else Persian). */
  locale(ctx: Context): Locale;
  /** Replaces the browser's session (after sign-in the id changes). */
  useSession(ctx: Context, session: SiteSession<Extra>): void;
  /** The signed-in session, or a redirect to the home page (returns undefined). */
  requireUser(ctx: Context): SiteSession<Extra> | undefined;
  csrfValid(ctx: Context, session: SiteSession<Extra>): boolean;
  parseForm: Middleware;
  render(ctx: Context, options: RenderOptions): void;
  listen(port: number, host: string): Promise<Server>;
  stop(): Promise<void>;
}

const PENDING_TTL_MS = 15 * 60 * 1000;
const LOCALE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * What both demo sites share: sessions, sign-in with the provider (authorization code + PKCE
 * S256, state and nonce), RP-initiated logout, back-channel logout, security headers and pages.
 * Each site adds its own routes to `router`.
 */
export function createRelyingParty<Extra>(
  settings: RelyingPartySettings,
  createExtra: () => Extra,
): RelyingParty<Extra> {
  const now = settings.now ?? Date.now;
  const { client: site, logger, look } = settings;
  const secureCookies = new URL(site.redirectUri).protocol === 'https:';
  const sessions = new SessionStore<Extra>({ createExtra, now });
  const oidc = createOidcClient({
    issuer: settings.issuer,
    clientId: site.clientId,
    clientSecret: site.clientSecret,
    idTokenSignedResponseAlg: site.idTokenSignedResponseAlg,
    logger,
    initialRetryMs: settings.discoveryRetryMs,
  });
  const handlers = new Map<string, CallbackHandler<Extra>>();
  let landing: (session: SiteSession<Extra>) => string = () => '/';
  const sweeper = setInterval(() => sessions.sweep(), 60_000);
  sweeper.unref();
  let server: Server | undefined;
  let routesMounted = false;

  const app = new Koa();
  app.proxy = secureCookies; // https demo deployments sit behind a TLS-ending proxy
  const router = new Router();
  const parseForm = koaBody({
    urlencoded: true,
    json: false,
    multipart: false,
    text: false,
    formLimit: '64kb',
    onError: (_error, ctx) => {
      ctx.throw(400, 'unreadable form');
    },
  });

  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secureCookies,
    path: '/',
    overwrite: true,
  };

  const sessionOf = (ctx: Context): SiteSession<Extra> | undefined =>
    ctx.state.siteSession as SiteSession<Extra> | undefined;

  const useSession = (ctx: Context, session: SiteSession<Extra>) => {
    ctx.state.siteSession = session;
    ctx.cookies.set(settings.cookieName, session.id, cookieOptions);
  };

  const localeOf = (ctx: Context): Locale => (ctx.state.locale as Locale | undefined) ?? 'fa';

  /**
   * The language switch's target: this page again for a GET, else the home page (a form POST,
   * or the callback, whose code and state are single use and must not be replayed by a link).
   */
  const langHref = (ctx: Context) => (locale: Locale) => {
    const samePage =
      (ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.path !== new URL(site.redirectUri).pathname;
    const path = samePage ? ctx.path.replace(/^\/+/, '/') : '/';
    return `${path}?lang=${locale}`;
  };

  const render = (ctx: Context, { title, main, status = 200 }: RenderOptions) => {
    const session = sessionOf(ctx);
    const locale = localeOf(ctx);
    const account = session?.user
      ? { name: displayName(session.user, locale), csrf: session.csrf }
      : undefined;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page({
      site: look,
      locale,
      langHref: langHref(ctx),
      title,
      main,
      account,
      providerAccountUrl: `${settings.issuer}/account`,
    });
  };

  /** An error page: a title and a message from the catalog, and the way back home. */
  const problem = (ctx: Context, status: number, title: MessageKey, message: MessageKey) => {
    const locale = localeOf(ctx);
    render(ctx, {
      title: t(locale, title),
      status,
      main: html`${notice('error', t(locale, message))}
<p><a href="/">${t(locale, 'common.home')}</a></p>`,
    });
  };

  const startAuthorization: RelyingParty<Extra>['startAuthorization'] = async (ctx, request) => {
    const config = await oidc.configuration();
    let session = sessionOf(ctx);
    if (!session) {
      session = sessions.create();
      useSession(ctx, session);
    }
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingAuthorization = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      purpose: request.purpose,
      startedAt: now(),
    };
    session.pending = pending;
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: site.redirectUri,
      scope: site.scope,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      // The provider's pages speak the language this site is shown in.
      ui_locales: localeOf(ctx),
      ...request.params,
    });
    ctx.redirect(url.href);
  };

  // Default: a plain sign-in starts a fresh session for the person.
  handlers.set('login', async (ctx, session, result) => {
    const signedIn = sessions.signIn(session, toUser(result));
    useSession(ctx, signedIn);
    ctx.redirect(landing(signedIn));
  });

  app.use(securityHeaders());
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof ProviderUnavailableError) {
        logger.warn({ err: error.message }, 'provider unavailable');
        ctx.set('Retry-After', '5');
        problem(ctx, 503, 'error.providerDown.title', 'error.providerDown.message');
        return;
      }
      const status = (error as { status?: number }).status;
      if (status && status >= 400 && status < 500) {
        problem(ctx, status, 'error.badRequest.title', 'error.badRequest.message');
        return;
      }
      logger.error({ err: (error as Error).message }, 'demo site error');
      problem(ctx, 500, 'error.unexpected.title', 'error.unexpected.message');
    }
  });
  app.use(siteAssets());
  app.use(async (ctx, next) => {
    const asked = ctx.query.lang;
    const cookie = ctx.cookies.get(LOCALE_COOKIE);
    const locale = chooseLocale(asked, cookie);
    ctx.state.locale = locale;
    if (typeof asked === 'string' && asked.trim().toLowerCase() === locale && locale !== cookie) {
      ctx.cookies.set(LOCALE_COOKIE, locale, { ...cookieOptions, maxAge: ONE_YEAR_MS });
    }
    await next();
  });
  app.use(async (ctx, next) => {
    const session = sessions.get(ctx.cookies.get(settings.cookieName));
    if (session) ctx.state.siteSession = session;
    await next();
  });

  router.get('/login', async (ctx) => {
    if (sessionOf(ctx)?.user) {
      ctx.redirect('/');
      return;
    }
    await startAuthorization(ctx, { purpose: 'login' });
  });

  router.get(new URL(site.redirectUri).pathname, async (ctx) => {
    const session = sessionOf(ctx);
    const pending = session?.pending;
    if (!session || !pending || ctx.query.state !== pending.state) {
      problem(ctx, 400, 'login.failed.title', 'login.failed.mismatch');
      return;
    }
    session.pending = undefined; // single use
    if (now() - pending.startedAt > PENDING_TTL_MS) {
      problem(ctx, 400, 'login.failed.title', 'login.failed.expired');
      return;
    }
    if (typeof ctx.query.error === 'string') {
      const denied = ctx.query.error === 'access_denied';
      // Darvaze tells a cancelled sign-in from a refused permission by the description.
      const cancelled = denied && ctx.query.error_description === 'End-User cancelled the sign-in';
      logger.info(
        { error: ctx.query.error, cancelled, purpose: pending.purpose },
        'authorization not granted',
      );
      if (cancelled) {
        problem(ctx, 200, 'login.cancelled.title', 'login.cancelled.message');
        return;
      }
      problem(
        ctx,
        denied ? 403 : 400,
        denied ? 'login.denied.title' : 'login.failed.title',
        denied ? 'login.denied.message' : 'login.failed.provider',
      );
      return;
    }
    const config = await oidc.configuration();
    const currentUrl = new URL(site.redirectUri);
    currentUrl.search = ctx.querystring;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'code exchange or ID token check failed');
      problem(ctx, 502, 'login.failed.title', 'login.failed.rejected');
      return;
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) {
      problem(ctx, 502, 'login.failed.title', 'login.failed.rejected');
      return;
    }
    const handler = handlers.get(pending.purpose) ?? handlers.get('login')!;
    await handler(ctx, session, { claims, scope: tokens.scope ?? '' }, pending);
  });

  router.post('/logout', parseForm, async (ctx) => {
    const session = sessionOf(ctx);
    if (!session?.user) {
      ctx.status = 303;
      ctx.redirect('/');
      return;
    }
    if (!csrfValid(ctx, session)) {
      problem(ctx, 403, 'error.badRequest.title', 'error.expiredForm');
      return;
    }
    sessions.destroy(session.id);
    ctx.state.siteSession = undefined;
    ctx.cookies.set(settings.cookieName, null, cookieOptions);
    let endSession: URL;
    try {
      // client_id (added by openid-client) names the site; no id_token_hint: the ID token holds
      // the national code and would land in browser history and proxy logs (docs/integration.md).
      endSession = client.buildEndSessionUrl(await oidc.configuration(), {
        post_logout_redirect_uri: site.postLogoutRedirectUri,
        ui_locales: localeOf(ctx),
      });
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'provider logout unavailable');
      const locale = localeOf(ctx);
      render(ctx, {
        title: t(locale, 'logout.local.title'),
        main: html`${notice('warning', t(locale, 'logout.local.message'))}
<p><a href="/">${t(locale, 'common.home')}</a></p>`,
      });
      return;
    }
    ctx.status = 303;
    ctx.redirect(endSession.href);
  });

  router.get(new URL(site.postLogoutRedirectUri).pathname, (ctx) => {
    const locale = localeOf(ctx);
    render(ctx, {
      title: t(locale, 'logout.done.title'),
      main: html`${notice('success', t(locale, 'logout.done.message'))}
<p>${t(locale, 'logout.done.everywhere')}</p>
<p class="muted">${t(locale, 'logout.done.shared')}</p>
<div class="actions"><a class="btn btn--secondary" href="/">${t(locale, 'common.home')}</a></div>`,
    });
  });

  router.post(
    new URL(site.backchannelLogoutUri).pathname,
    ...backchannelLogoutHandler({
      logger,
      verify: async (token) =>
        verifyLogoutToken(token, await oidc.keys(), {
          issuer: settings.issuer,
          audience: site.clientId,
          algorithms: [site.idTokenSignedResponseAlg],
        }),
      endSessions: ({ sid, sub }) => (sid ? sessions.destroyBySid(sid, sub) : sessions.destroyBySub(sub!)),
    }),
  );

  const csrfValid = (ctx: Context, session: SiteSession<Extra>) => {
    const sent = (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
    if (typeof sent !== 'string') return false;
    const a = Buffer.from(sent);
    const b = Buffer.from(session.csrf);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const rp: RelyingParty<Extra> = {
    app,
    router,
    sessions,
    oidc,
    settings,
    onCallback: (purpose, handler) => handlers.set(purpose, handler),
    afterLogin: (path) => {
      landing = path;
    },
    startAuthorization,
    session: sessionOf,
    locale: localeOf,
    useSession,
    requireUser(ctx) {
      const session = sessionOf(ctx);
      if (session?.user) return session;
      ctx.redirect('/');
      return undefined;
    },
    csrfValid,
    parseForm,
    render,
    async listen(port, host) {
      if (!routesMounted) {
        routesMounted = true;
        app.use(router.routes());
        app.use(router.allowedMethods());
        app.use((ctx) => problem(ctx, 404, 'error.notFound.title', 'error.notFound.message'));
      }
      const listening = app.listen(port, host);
      await new Promise<void>((resolve, reject) => {
        listening.once('listening', resolve);
        listening.once('error', reject);
      });
      server = listening;
      return listening;
    },
    async stop() {
      oidc.stop();
      clearInterval(sweeper);
      if (!server) return;
      const closing = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
  return rp;
}

export function toUser(result: AuthorizationResult): SiteUser {
  const { claims } = result;
  return {
    sub: claims.sub,
    sid: typeof claims.sid === 'string' ? claims.sid : undefined,
    claims: { ...claims },
    authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
    scope: result.scope,
  };
}

export function displayName(user: SiteUser, locale: Locale): string {
  const { name, given_name: given, family_name: family } = user.claims;
  if (typeof name === 'string' && name) return name;
  const joined = [given, family].filter((part) => typeof part === 'string' && part).join(' ');
  return joined || t(locale, 'common.user');
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  // No form-action: Chrome applies it to the redirect to the provider after a form POST.
].join('; ');

function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    await next();
  };
}
