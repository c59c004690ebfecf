import { randomBytes } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';

/**
 * The demo relying parties (examples/sales-site, examples/service-site) as static clients of the
 * provider. Made once per process, before the provider is built: each client secret is random
 * and handed both to the provider (`metadata`) and to the site that uses it (`clientSecret`).
 * Every URI comes from the site's base URL, so nothing here depends on the issuer.
 */
export interface DemoSiteClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  baseUrl: string;
  scope: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  backchannelLogoutUri: string;
  idTokenSignedResponseAlg: string;
  metadata: ClientMetadata;
}

export interface DemoClients {
  sales: DemoSiteClient;
  service: DemoSiteClient;
  /** Both clients' metadata, for `buildApp(config, { extraClients })`. */
  metadata: ClientMetadata[];
}

export interface DemoBaseUrls {
  sales: string;
  service: string;
}

/** Where the demo sites live by default: loopback on the configured ports. */
export function demoBaseUrls(ports: { salesPort: number; servicePort: number }): DemoBaseUrls {
  return { sales: `http://localhost:${ports.salesPort}`, service: `http://localhost:${ports.servicePort}` };
}

/** The paths every demo site serves its OIDC endpoints on. */
export const DEMO_PATHS = {
  callback: '/callback',
  loggedOut: '/logged-out',
  backchannelLogout: '/backchannel-logout',
} as const;

const ID_TOKEN_ALG = 'RS256';

export function createDemoClients(bases: DemoBaseUrls): DemoClients {
  const sales = siteClient({
    clientId: 'demo-sales',
    clientName: 'فروش اینترنتی خودرو (نمونه)',
    englishName: 'Car sales online (demo)',
    baseUrl: bases.sales,
    scope: 'openid profile phone national_id',
  });
  const service = siteClient({
    clientId: 'demo-service',
    clientName: 'خدمات پس از فروش (نمونه)',
    englishName: 'After-sales service (demo)',
    baseUrl: bases.service,
    scope: 'openid profile phone',
  });
  return { sales, service, metadata: [sales.metadata, service.metadata] };
}

function siteClient(input: {
  clientId: string;
  clientName: string;
  englishName: string;
  baseUrl: string;
  scope: string;
}): DemoSiteClient {
  const base = input.baseUrl.replace(/\/+$/, '');
  const clientSecret = randomBytes(32).toString('base64url');
  const redirectUri = `${base}${DEMO_PATHS.callback}`;
  const postLogoutRedirectUri = `${base}${DEMO_PATHS.loggedOut}`;
  const backchannelLogoutUri = `${base}${DEMO_PATHS.backchannelLogout}`;
  const metadata: ClientMetadata = {
    client_id: input.clientId,
    client_secret: clientSecret,
    client_name: input.clientName,
    'client_name#en': input.englishName,
    client_uri: base,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutRedirectUri],
    backchannel_logout_uri: backchannelLogoutUri,
    // Logout tokens (and ID tokens) carry `sid`, so a site ends exactly the session that ended.
    backchannel_logout_session_required: true,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: ID_TOKEN_ALG,
    scope: input.scope,
  };
  return {
    clientId: input.clientId,
    clientSecret,
    clientName: input.clientName,
    baseUrl: base,
    scope: input.scope,
    redirectUri,
    postLogoutRedirectUri,
    backchannelLogoutUri,
    idTokenSignedResponseAlg: ID_TOKEN_ALG,
    metadata,
  };
}
