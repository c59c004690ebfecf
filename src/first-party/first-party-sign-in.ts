import type { Context, Middleware, Next } from 'koa';
import * as oidc from 'openid-client';
import { constantEquals } from '../crypto/constant-equals.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { FirstPartyClient } from './first-party-clients.js';
import {
  createFirstPartySessionStore,
  type FirstPartyIdentity,
  type FirstPartySession,
  type FirstPartySessionStore,
  type PendingSignIn,
} from './first-party-sessions.js';

/** What a page behind requireSignIn finds in `ctx.state.firstParty`. */
export interface FirstPartyState extends FirstPartyIdentity {
  csrf: string;
}

export interface SignInRequirements {
  /** The sign-in must be at most this old (seconds); older: the person signs in again (`max_age`). */
  maxAgeSeconds?: number;
  /** The sign-in must have used one of these methods (`amr`, e.g. `sms`); else `prompt=login`. */
  amr?: string;
  /** Sent as `acr_values`; the session's acr must be one of them. */
  acrValues?: string[];
  /**
   * Where to come back after a sign-in this request started. GET requests come back to
   * themselves; a form POST cannot be replayed, so it comes back here (default: the client's path)
   * and the person presses the button again, now freshly signed in.
   */
  returnTo?: string;
}

export type CallbackProblem = 'cancelled' | 'expired' | 'failed';

export interface FirstPartySignInOptions {
  client: FirstPartyClient;
  issuer: string;
  store: Store;
  now: Clock;
  production: boolean;
  /** Defaults: 15 minutes idle, 1 hour absolute, 10 minutes for a sign-in under way. */
  idleSeconds?: number;
  absoluteSeconds?: number;
  /** The person's language for the provider's pages (`ui_locales`), read from the request. */
  uiLocales?: (ctx: Context) => string | undefined;
  /** Answers a callback that cannot sign the person in (cancelled at the provider, expired…). */
  onCallbackProblem(ctx: Context, problem: CallbackProblem): Promise<void>;
  /** Timeout of the calls to the own issuer (discovery, token endpoint), seconds; default 5. */
  httpTimeoutSeconds?: number;
}

export interface FirstPartySignIn {
  readonly client: FirstPartyClient;
  /** Sets `ctx.state.firstParty` for a signed-in person meeting the requirements, else sends them to sign in. */
  requireSignIn(requirements?: SignInRequirements): Middleware;
  /** GET `<path>/callback`: exchanges the code, checks the ID token, starts the session. */
  callback: Middleware;
  /** Sends the browser to the provider's authorization endpoint. */
  startSignIn(ctx: Context, requirements?: SignInRequirements): Promise<void>;
  /** Ends this browser's session on this client (the provider session is not touched). */
  signOut(ctx: Context): Promise<void>;
  /** Ends every session of this person on this client. */
  signOutEverywhere(sub: string): Promise<number>;
  /** True when the request's `csrf` form field is this session's token (constant time). */
  csrfValid(ctx: Context): boolean;
  /** Whether the signed-in person's sign-in is at most this old. */
  isFresh(ctx: Context, maxAgeSeconds: number): boolean;
}

/**
 * The sign-in of a first-party page (first-party-clients.ts): an OpenID Connect relying party of
 * the provider itself, over HTTP to its own issuer with openid-client (authorization code, PKCE
 * S256, state and nonce, client_secret_basic), and a server-side session.
 *
 * - The authorization request's state, nonce and PKCE verifier wait in the Store under a random
 *   id named by a short-lived cookie (HttpOnly, SameSite=Lax, Secure in production, the client's
 *   path only); the callback takes them once.
 * - The session is a Store record under a hash of a random id in an HttpOnly SameSite=Lax cookie
 *   on the client's path, with an idle and an absolute timeout; a new sign-in is a new id.
 * - Forms carry the session's synchronizer token (`csrf`), checked in constant time.
 * - A changing action asks for a fresh sign-in (`maxAgeSeconds`): an older one sends the person
 *   through the provider again with `max_age`, and back to the page.
 */
export function createFirstPartySignIn(options: FirstPartySignInOptions): FirstPartySignIn {
  const { client, issuer, now } = options;
  const sessions: FirstPartySessionStore = createFirstPartySessionStore(options.store, client.clientId, now, {
    idleSeconds: options.idleSeconds ?? 15 * 60,
    absoluteSeconds: options.absoluteSeconds ?? 3600,
    pendingSeconds: 10 * 60,
  });
  const prefix = options.production ? '__Secure-' : '';
  const sessionCookie = `${prefix}${client.cookieName}`;
  const pendingCookie = `${prefix}${client.cookieName}.pending`;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.production,
    path: client.path,
    signed: false,
    overwrite: true,
  };
  const seconds = () => Math.floor(now() / 1000);

  // Discovery of our own issuer, once, on first use (the server must be listening to answer it).
  let configuration: Promise<oidc.Configuration> | undefined;
  const config = () => {
    configuration ??= oidc
      .discovery(
        new URL(issuer),
        client.clientId,
        { redirect_uris: [client.redirectUri], require_auth_time: true },
        oidc.ClientSecretBasic(client.secret),
        {
          execute: new URL(issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
          timeout: options.httpTimeoutSeconds ?? 5,
        },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };

  const satisfies = (session: FirstPartySession, requirements: SignInRequirements) =>
    (requirements.maxAgeSeconds === undefined ||
      seconds() - session.authTime <= requirements.maxAgeSeconds) &&
    (requirements.amr === undefined || session.amr.includes(requirements.amr)) &&
    (requirements.acrValues === undefined ||
      (session.acr !== undefined && requirements.acrValues.includes(session.acr)));

  const localReturn = (target: string | undefined) =>
    typeof target === 'string' &&
    (target === client.path ||
      target.startsWith(`${client.path}/`) ||
      target.startsWith(`${client.path}?`)) &&
    !target.includes('\\') &&
    !target.startsWith(`${client.path}/callback`)
      ? target
      : client.path;

  async function startSignIn(ctx: Context, requirements: SignInRequirements = {}): Promise<void> {
    const verifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier,
      returnTo: localReturn(ctx.method === 'GET' ? ctx.url : requirements.returnTo),
      ...(requirements.maxAgeSeconds !== undefined ? { maxAge: requirements.maxAgeSeconds } : {}),
    };
    const params: Record<string, string> = {
      redirect_uri: client.redirectUri,
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    if (requirements.maxAgeSeconds !== undefined) params.max_age = String(requirements.maxAgeSeconds);
    if (requirements.amr !== undefined) params.prompt = 'login';
    if (requirements.acrValues?.length) params.acr_values = requirements.acrValues.join(' ');
    const locale = options.uiLocales?.(ctx);
    if (locale) params.ui_locales = locale;
    const id = await sessions.savePending(pending);
    ctx.cookies.set(pendingCookie, id, { ...cookieOptions, maxAge: 10 * 60 * 1000 });
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect(oidc.buildAuthorizationUrl(await config(), params).href);
  }

  async function loadSession(ctx: Context): Promise<FirstPartySession | undefined> {
    const id = ctx.cookies.get(sessionCookie);
    return id ? sessions.load(id) : undefined;
  }

  const callback: Middleware = async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const pendingId = ctx.cookies.get(pendingCookie);
    ctx.cookies.set(pendingCookie, null, cookieOptions);
    const pending = pendingId ? await sessions.takePending(pendingId) : undefined;
    if (!pending) return options.onCallbackProblem(ctx, 'expired');
    if (typeof ctx.query.error === 'string') return options.onCallbackProblem(ctx, 'cancelled');
    let identity: FirstPartyIdentity;
    try {
      // The callback's address as the provider sent it (ISSUER may differ from the listen address).
      const current = new URL(ctx.url, issuer);
      const tokens = await oidc.authorizationCodeGrant(await config(), current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
        ...(pending.maxAge !== undefined ? { maxAge: pending.maxAge } : {}),
      });
      const claims = tokens.claims();
      if (!claims || typeof claims.auth_time !== 'number') throw new Error('no auth_time');
      identity = {
        sub: claims.sub,
        authTime: claims.auth_time,
        amr: Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [],
        ...(typeof claims.acr === 'string' ? { acr: claims.acr } : {}),
        ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}),
      };
    } catch (error) {
      (ctx.state as { logger?: { warn(o: object, m: string): void } }).logger?.warn(
        { err: (error as Error).message, client: client.clientId },
        'first-party sign-in callback refused',
      );
      return options.onCallbackProblem(ctx, 'failed');
    }
    // A new sign-in is a new session id: a planted cookie is never promoted (session fixation).
    const previous = ctx.cookies.get(sessionCookie);
    if (previous) await sessions.end(previous);
    const { id } = await sessions.create(identity);
    ctx.cookies.set(sessionCookie, id, cookieOptions);
    ctx.status = 303;
    ctx.redirect(pending.returnTo);
  };

  return {
    client,
    callback,
    startSignIn,
    requireSignIn(requirements = {}) {
      return async (ctx: Context, next: Next) => {
        ctx.set('Cache-Control', 'no-store');
        const session = await loadSession(ctx);
        if (session && satisfies(session, requirements)) {
          const state: FirstPartyState = {
            sub: session.sub,
            authTime: session.authTime,
            amr: session.amr,
            csrf: session.csrf,
            ...(session.acr ? { acr: session.acr } : {}),
            ...(session.sid ? { sid: session.sid } : {}),
          };
          ctx.state.firstParty = state;
          return next();
        }
        return startSignIn(ctx, requirements);
      };
    },
    async signOut(ctx) {
      const id = ctx.cookies.get(sessionCookie);
      if (id) await sessions.end(id);
      ctx.cookies.set(sessionCookie, null, cookieOptions);
    },
    signOutEverywhere: (sub) => sessions.endAllOf(sub),
    csrfValid(ctx) {
      const expected = (ctx.state.firstParty as FirstPartyState | undefined)?.csrf;
      const body = (ctx.request as { body?: Record<string, unknown> }).body;
      const given = body?.csrf;
      return typeof expected === 'string' && typeof given === 'string' && constantEquals(given, expected);
    },
    isFresh(ctx, maxAgeSeconds) {
      const state = ctx.state.firstParty as FirstPartyState | undefined;
      return state !== undefined && seconds() - state.authTime <= maxAgeSeconds;
    },
  };
}
