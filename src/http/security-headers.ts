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
export function securityHeaders({ production }: { production: boolean }): Middleware {
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
  };
}
