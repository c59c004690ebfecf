import type { Middleware } from 'koa';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  // No form-action: Chrome applies it to every redirect after a form POST, which would block the
  // redirect back to a relying party's redirect_uri.
].join('; ');

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

/**
 * Security headers on every response. They are set before the rest of the chain runs, so mount
 * this before oidc-provider: its form_post response mode adds the hash of its one inline script
 * to the `script-src` it finds here.
 */
export function securityHeaders({
  production,
  framableBy,
}: {
  production: boolean;
  /**
   * After the response is made: the origins that may frame this one response, or undefined
   * (the default: nobody). Only silent renewal needs it (src/oidc/silent-renewal-framing.ts).
   */
  framableBy?: (ctx: Parameters<Middleware>[0]) => readonly string[] | undefined;
}): Middleware {
  const headers: Record<string, string> = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (production) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return async function securityHeadersMiddleware(ctx, next) {
    ctx.set(headers);
    await next();
    const origins = framableBy?.(ctx);
    if (!origins?.length) return;
    // The policy as the chain left it (oidc-provider may have added a script hash), with only
    // frame-ancestors changed; X-Frame-Options has no allow-list, so it goes.
    const policy = String(ctx.response.get('Content-Security-Policy') || CONTENT_SECURITY_POLICY);
    ctx.set(
      'Content-Security-Policy',
      policy.replace("frame-ancestors 'none'", `frame-ancestors ${origins.join(' ')}`),
    );
    ctx.remove('X-Frame-Options');
  };
}
