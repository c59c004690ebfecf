import { createHmac } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';

/**
 * Darvaze's own pages that sign people in through Darvaze itself (the person's page /account;
 * later the admin console): each is an ordinary confidential OpenID Connect client of the
 * provider, registered by the composition root and by nothing else.
 *
 * Why a real client and not a shortcut into oidc-provider's session: the page then gets exactly
 * what a site gets (an ID token with sub, auth_time, acr, amr), the freshness rules (`max_age`,
 * `prompt=login`) are the provider's own, and the journey (mobile, code, identity when needed) is
 * the one every site uses.
 */
export interface FirstPartyClientSpec {
  /** e.g. `darvaze-account`. */
  clientId: string;
  /** Where the client's pages live, e.g. `/account`; its redirect URI is `<issuer><path>/callback`. */
  path: string;
  /** Its session cookie's name, e.g. `darvaze.account` (`__Secure-` is put in front in production). */
  cookieName: string;
  /** Its name on the provider's pages (English; the pages are the provider's own). */
  name: string;
  /** Its name per language where the provider names clients (the person's activity list). */
  localizedNames?: { fa?: string; en?: string };
  /**
   * i18n keys of the page shown when its sign-in callback fails: the title and one message per
   * problem. Default: the person's page's (`page.account.title`, `account.signIn…`).
   */
  problemPage?: { titleKey: string; cancelled: string; expired: string; failed: string };
}

export interface FirstPartyClient extends FirstPartyClientSpec {
  secret: string;
  redirectUri: string;
  metadata: ClientMetadata;
}

/** The set of first-party clients: the marker the consent step trusts, held by the composition root. */
export interface FirstPartyClients {
  list: readonly FirstPartyClient[];
  /** True only for a client id the composition root registered as first party. */
  isFirstParty(clientId: string | undefined): boolean;
  get(clientId: string): FirstPartyClient;
}

/** The person's own page. */
export const ACCOUNT_CLIENT: FirstPartyClientSpec = {
  clientId: 'darvaze-account',
  path: '/account',
  cookieName: 'darvaze.account',
  name: 'Darvaze account',
  localizedNames: { fa: 'حساب کاربری دروازه' },
};

/**
 * The client's secret, derived from the app's own secrets with HMAC: nothing to configure, the
 * same on every node, never a constant in the code. Rotating the key rotates the secret.
 */
export function firstPartyClientSecret(key: string | Buffer, clientId: string): string {
  return createHmac('sha256', key).update(`darvaze first-party client|${clientId}`).digest('base64url');
}

export function createFirstPartyClients(
  issuer: string,
  key: string | Buffer,
  specs: readonly FirstPartyClientSpec[],
): FirstPartyClients {
  const list = specs.map((spec): FirstPartyClient => {
    if (!/^\/[a-z][a-z0-9-]*$/.test(spec.path)) throw new Error(`first-party path ${spec.path}: one segment`);
    const secret = firstPartyClientSecret(key, spec.clientId);
    const redirectUri = `${issuer}${spec.path}/callback`;
    return {
      ...spec,
      secret,
      redirectUri,
      metadata: {
        client_id: spec.clientId,
        client_secret: secret,
        client_name: spec.name,
        ...Object.fromEntries(
          Object.entries(spec.localizedNames ?? {}).map(([locale, name]) => [`client_name#${locale}`, name]),
        ),
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'openid',
        // Its `sub` is the account id itself: the page looks the person's records up by it.
        subject_type: 'public',
      },
    };
  });
  const ids = new Set(list.map((client) => client.clientId));
  if (ids.size !== list.length) throw new Error('first-party client ids must be unique');
  return {
    list,
    isFirstParty: (clientId) => typeof clientId === 'string' && ids.has(clientId),
    get(clientId) {
      const found = list.find((client) => client.clientId === clientId);
      if (!found) throw new Error(`no first-party client ${clientId}`);
      return found;
    },
  };
}
