import type Provider from 'oidc-provider';
import type { AuditContext, SecurityAudit } from '../security-audit.js';

/**
 * Provider events worth an audit entry: a replayed authorization code or refresh token (the
 * adapter then revokes the grant, RFC 9700 §4.5.3 / §4.14.2) as `token.replayed` with the client
 * it was issued to, and a sign-out (RP-initiated logout) as `logout`.
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
  provider.on('end_session.success', (ctx) => {
    audit.record(ctx as unknown as AuditContext, 'logout', {
      sub: ctx.oidc?.session?.accountId ?? '',
      client: ctx.oidc?.client?.clientId ?? '',
    });
  });
}
