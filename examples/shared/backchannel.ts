import { type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import type { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import type { SiteLogger } from './logger.js';

/** OpenID Connect Back-Channel Logout 1.0, §2.4: the event a logout token must carry. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenExpectations {
  issuer: string;
  /** This site's client_id. */
  audience: string;
  /** The algorithms the provider signs this site's ID tokens with. */
  algorithms: string[];
  /** Oldest accepted `iat`. Default 5 minutes. */
  maxAgeSeconds?: number;
  clockToleranceSeconds?: number;
}

/** Which sessions a valid logout token ends. */
export interface LogoutTarget {
  sid?: string;
  sub?: string;
  jti: string;
}

/** A logout token that must not be acted on; `reason` is safe to return and log. */
export class LogoutTokenError extends Error {
  override readonly name = 'LogoutTokenError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

const MAX_TOKEN_LENGTH = 16 * 1024;
const LOGOUT_TYP = /^(application\/)?logout\+jwt$/i;

/**
 * Validates a logout token as §2.6 of the specification asks: signature against the provider's
 * keys, `iss`, `aud`, `iat` (and `exp` when present), the back-channel logout event, no `nonce`
 * (an ID token is never a logout token), `jti`, and a `sid` and/or `sub` to act on.
 */
export async function verifyLogoutToken(
  token: unknown,
  keys: JWTVerifyGetKey,
  expected: LogoutTokenExpectations,
): Promise<LogoutTarget> {
  if (typeof token !== 'string' || token.length === 0) throw new LogoutTokenError('logout_token missing');
  if (token.length > MAX_TOKEN_LENGTH) throw new LogoutTokenError('logout_token too large');
  let payload: JWTPayload;
  let typ: string | undefined;
  try {
    const verified = await jwtVerify(token, keys, {
      issuer: expected.issuer,
      audience: expected.audience,
      algorithms: expected.algorithms,
      requiredClaims: ['iat', 'jti'],
      maxTokenAge: `${expected.maxAgeSeconds ?? 300}s`,
      clockTolerance: `${expected.clockToleranceSeconds ?? 30}s`,
    });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (error) {
    throw new LogoutTokenError(describeJoseError(error));
  }
  if (typ !== undefined && !LOGOUT_TYP.test(typ)) throw new LogoutTokenError(`unexpected typ ${typ}`);
  const events = payload.events;
  if (!isObject(events) || !isObject((events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT])) {
    throw new LogoutTokenError('events claim without the back-channel logout event');
  }
  if ('nonce' in payload) throw new LogoutTokenError('a logout token must not contain nonce');
  const sid = nonEmptyString(payload.sid);
  const sub = nonEmptyString(payload.sub);
  if (!sid && !sub) throw new LogoutTokenError('neither sid nor sub');
  if ((payload.sid !== undefined && !sid) || (payload.sub !== undefined && !sub)) {
    throw new LogoutTokenError('sid and sub must be non-empty strings');
  }
  return { sid, sub, jti: String(payload.jti) };
}

export interface BackchannelHandlerOptions {
  /** Validates the token (see verifyLogoutToken). */
  verify(token: unknown): Promise<LogoutTarget>;
  /** Ends the local sessions the token names; returns how many ended. */
  endSessions(target: LogoutTarget): number;
  logger: SiteLogger;
}

/**
 * `POST <backchannel_logout_uri>` (form-encoded `logout_token`): 200 once the named sessions
 * are gone, 400 with an OAuth-style JSON error when the token is not acceptable (nothing ends).
 */
export function backchannelLogoutHandler(options: BackchannelHandlerOptions): Middleware[] {
  const parse = koaBody({
    urlencoded: true,
    json: false,
    multipart: false,
    text: false,
    formLimit: '32kb',
    onError: (_error, ctx) => {
      ctx.throw(400, 'unreadable body');
    },
  });
  const handle: Middleware = async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (!ctx.is('application/x-www-form-urlencoded')) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'form-encoded logout_token expected' };
      return;
    }
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    try {
      const target = await options.verify(body.logout_token);
      const ended = options.endSessions(target);
      options.logger.info({ sid: target.sid, sub: target.sub, ended }, 'back-channel logout');
      ctx.status = 200;
      ctx.body = '';
    } catch (error) {
      const reason = error instanceof LogoutTokenError ? error.reason : 'logout failed';
      if (!(error instanceof LogoutTokenError)) {
        options.logger.error({ err: (error as Error).message }, 'back-channel logout failed');
      } else options.logger.warn({ reason }, 'logout token refused');
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: reason };
    }
  };
  return [parse, handle];
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired)
    return error.claim === 'exp' ? 'expired' : `${error.claim}: too old`;
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `${error.claim}: ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no matching key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof joseErrors.JOSEError) return error.code;
  return 'not a valid JWT';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
