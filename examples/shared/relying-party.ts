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

  const render = (ctx: Context, { title, main, status = 200 }: RenderOptions) => {
    const session = sessionOf(ctx);
    const account = session?.user ? { name: displayName(session.user), csrf: session.csrf } : undefined;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page({ site: look, title, main, account });
  };

  const problem = (ctx: Context, status: number, title: string, message: string) =>
    render(ctx, {
      title,
      status,
      main: html`${notice('error', message)}
<p><a href="/">بازگشت به صفحهٔ اصلی</a></p>`,
    });

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
      ui_locales: 'fa',
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
        problem(
          ctx,
          503,
          'سامانهٔ ورود در دسترس نیست',
          'سامانهٔ ورود یکپارچه (دروازه) هم‌اکنون پاسخ نمی‌دهد. چند لحظهٔ دیگر دوباره تلاش کنید.',
        );
        return;
      }
      const status = (error as { status?: number }).status;
      if (status && status >= 400 && status < 500) {
        problem(ctx, status, 'درخواست نامعتبر', 'این درخواست قابل پردازش نیست.');
        return;
      }
      logger.error({ err: (error as Error).message }, 'demo site error');
      problem(ctx, 500, 'خطای غیرمنتظره', 'مشکلی پیش آمد. لطفاً دوباره تلاش کنید.');
    }
  });
  app.use(siteAssets());
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
      problem(
        ctx,
        400,
        'ورود انجام نشد',
        'این پاسخ ورود با درخواستی از این مرورگر جور نیست یا منقضی شده است. دوباره وارد شوید.',
      );
      return;
    }
    session.pending = undefined; // single use
    if (now() - pending.startedAt > PENDING_TTL_MS) {
      problem(ctx, 400, 'ورود انجام نشد', 'مهلت این درخواست ورود تمام شده است. دوباره وارد شوید.');
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
        problem(
          ctx,
          200,
          'ورود لغو شد',
          'ورود را لغو کردید و اطلاعاتی دریافت نشد. هر زمان خواستید دوباره وارد شوید.',
        );
        return;
      }
      problem(
        ctx,
        denied ? 403 : 400,
        denied ? 'اجازهٔ ورود داده نشد' : 'ورود انجام نشد',
        denied
          ? 'شما اجازهٔ ورود یکپارچه را به این سایت ندادید، پس اطلاعاتی دریافت نشد. هر زمان خواستید دوباره وارد شوید.'
          : 'سامانهٔ ورود درخواست را انجام نداد. دوباره تلاش کنید.',
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
      problem(ctx, 502, 'ورود انجام نشد', 'پاسخ سامانهٔ ورود پذیرفته نشد. دوباره وارد شوید.');
      return;
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) {
      problem(ctx, 502, 'ورود انجام نشد', 'پاسخ سامانهٔ ورود پذیرفته نشد. دوباره وارد شوید.');
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
      problem(
        ctx,
        403,
        'درخواست نامعتبر',
        'این فرم منقضی شده است. صفحه را دوباره باز کنید و دوباره تلاش کنید.',
      );
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
        ui_locales: 'fa',
      });
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'provider logout unavailable');
      render(ctx, {
        title: 'از این سایت خارج شدید',
        main: html`${notice('warning', 'از این سایت خارج شدید، اما سامانهٔ ورود (دروازه) در دسترس نبود؛ برای خروج از سایت‌های دیگر گروه، بعداً دوباره تلاش کنید یا مرورگر را ببندید.')}
<p><a href="/">بازگشت به صفحهٔ اصلی</a></p>`,
      });
      return;
    }
    ctx.status = 303;
    ctx.redirect(endSession.href);
  });

  router.get(new URL(site.postLogoutRedirectUri).pathname, (ctx) => {
    render(ctx, {
      title: 'از حساب کاربری خارج شدید',
      main: html`${notice('success', 'از حساب کاربری خود در این سایت خارج شدید.')}
<p>اگر خروج را در «دروازه» تأیید کرده باشید، از همهٔ سایت‌های گروه که با آن وارد شده بودید نیز خارج شده‌اید.</p>
<p class="muted">اگر از رایانهٔ مشترک استفاده می‌کنید، بهتر است مرورگر را ببندید.</p>
<div class="actions"><a class="btn btn--secondary" href="/">بازگشت به صفحهٔ اصلی</a></div>`,
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
        app.use((ctx) => problem(ctx, 404, 'صفحه پیدا نشد', 'نشانی این صفحه درست نیست.'));
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

export function displayName(user: SiteUser): string {
  const { name, given_name: given, family_name: family } = user.claims;
  if (typeof name === 'string' && name) return name;
  const joined = [given, family].filter((part) => typeof part === 'string' && part).join(' ');
  return joined || 'کاربر';
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
