import type Provider from 'oidc-provider';
import type { AuditContext, SecurityAudit } from '../security-audit.js';

/**
 * Provider events worth an audit entry: a replayed authorization code or refresh token (the
 * adapter then revokes the grant, RFC 9700 §4.5.3 / §4.14.2) as `token.replayed` with the client
 * it was issued to, a sign-out (RP-initiated logout) as `logout`, and each authorization a site gets for a signed-in
 * person as `site.signed_in` (client and method; the person's page lists them).
 */
export function attachProviderAuditEvents(provider: Provider, audit: SecurityAudit): void {
  provider.on('grant.error', (ctx, error) => {
    const detail = (error as { error_detail?: unknown }).error_detail;
    if (typeof detail !== 'string' || !/already (used|consumed)/.test(detail)) return;
    const grantType = ctx.oidc?.params?.grant_type;
    audit.record(ctx as unknown as AuditContext, 'token.replayed', {
      client: ctx.oidc?.client?.clientId ?? '',
      grant_type: typeof grantType === 'string' ? grantType : '',
    });
  });
  // Each time a site gets an authorization code for a signed-in person: the person's page shows
  // when each site last signed them in, and how (SMS code or passkey).
  provider.on('authorization.success', (ctx) => {
    const { session, client } = ctx.oidc ?? {};
    if (!session?.accountId || !client) return;
    const amr = (session as { amr?: unknown }).amr;
    const methods = Array.isArray(amr) ? amr : [];
    audit.record(ctx as unknown as AuditContext, 'site.signed_in', {
      sub: session.accountId,
      client: client.clientId,
      method: methods.includes('sms')
        ? 'sms'
        : methods.some((m) => m === 'hwk' || m === 'swk')
          ? 'passkey'
          : '',
    });
  });
  provider.on('end_session.success', (ctx) => {
    audit.record(ctx as unknown as AuditContext, 'logout', {
      sub: ctx.oidc?.session?.accountId ?? '',
      client: ctx.oidc?.client?.clientId ?? '',
    });
  });
}
