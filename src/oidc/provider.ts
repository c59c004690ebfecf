import { createHmac } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import Provider, { type ClientMetadata, type Configuration, errors, interactionPolicy } from 'oidc-provider';
import type { ConsentIndex } from '../accounts/consent-index.js';
import { CookieSigner } from '../crypto/cookie-signer.js';
import type { SigningKeySet } from '../keys/signing-keys.js';
import { type Clock, epochSeconds } from '../time/clock.js';
import { ACR_VALUES_SUPPORTED, CLAIMS_IN_VERIFIED_CLAIMS_SUPPORTED, TRUST_FRAMEWORK } from './assurance.js';
import { assuranceShortfall } from './assurance-requirements.js';
import {
  type ClaimsRequest,
  claimsAllowedForScopes,
  claimsOf,
  limitClaimsRequest,
  SCOPE_CLAIMS,
  SUPPORTED_SCOPES,
  type VerifiedPerson,
} from './claims.js';
import {
  CLIENT_AUTH_METHODS,
  CLIENT_AUTH_SIGNING_ALGS,
  DEFAULT_CLIENT_SCOPE,
} from './client-auth-methods.js';
import { clientProfileMetadata, fapiProfileOf } from './client-profiles.js';
import { clientBasedCors } from './cors.js';
import { useRefreshTokenChains } from './refresh-chain-ids.js';
import { useAccountTaggedSessionUids } from './session-uids.js';
import { buildVerifiedClaims, consentedVerifiedClaims } from './verified-claims.js';
import {
  ClaimsRequestError,
  parseClaimsParameter,
  requestedVerifiedClaimNames,
  validateClaimsRequest,
  validateRequestPurpose,
  verificationMaxAge,
} from './verified-claims-request.js';

export interface ProviderPages {
  /** Renders oidc-provider's own errors (bad client, bad redirect_uri…) as a friendly page. */
  renderError(
    ctx: KoaContextWithOIDC,
    out: { error: string; error_description?: string },
    error: Error,
  ): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
}

export interface ProviderOptions {
  issuer: string;
  production: boolean;
  trustProxy: boolean;
  /**
   * With trustProxy: how many proxies append to X-Forwarded-For (default 1). The client address
   * (`ctx.ip`) is the entry that many places from the right; anything left of it was written by
   * the client and is ignored (DESIGN §2.2).
   */
  proxyHops?: number;
  /**
   * oidc-provider's persistence: a factory of adapters per model (StoreAdapter.factory on the
   * Store), chosen by the composition root like every other concrete adapter.
   */
  adapter: NonNullable<Configuration['adapter']>;
  /** Ages sessions and verifications; oidc-provider itself reads Date.now. */
  now: Clock;
  signingKeys: SigningKeySet;
  cookieKeys: string[];
  staticClients: ClientMetadata[];
  ttl: { sessionSeconds: number; accessTokenSeconds: number; refreshTokenSeconds: number };
  /** Secret of the pairwise subject identifiers (DESIGN §2.5). */
  pairwiseSalt: Buffer;
  findPerson(sub: string): Promise<VerifiedPerson | undefined>;
  consents: ConsentIndex;
  /**
   * Darvaze's own pages signing people in (src/first-party/): their grant is made without a
   * consent page. Only the composition root answers this, from the clients it registered itself
   * (static clients win over stored ones, and neither /reg nor the admin API lets a client pick
   * its id), so no registered site can claim it.
   */
  isFirstParty?: (clientId: string) => boolean;
  pages: ProviderPages;
  /** Dynamic registration (RFC 7591) settings; absent: /reg is off. */
  registration?: NonNullable<Configuration['features']>['registration'];
}

/** Consent lasts a year; a person can withdraw it sooner (the grant is revoked). */
export const GRANT_TTL_SECONDS = 365 * 24 * 3600;
/** A first-party page's grant (sign-in only) lives no longer than its sessions. */
export const FIRST_PARTY_GRANT_TTL_SECONDS = 3600;
/** How long one sign-in (an interaction and its journey state) may take. */
export const INTERACTION_TTL_SECONDS = 30 * 60;
const ANONYMOUS_SESSION_SECONDS = 10 * 60;

/**
 * oidc-provider configured for production: custom interactions (devInteractions off), PKCE S256
 * for every client, refresh-token rotation, `iss` in authorization responses, signed cookies,
 * RP-initiated and back-channel logout, revocation and introspection.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { now } = options;
  const configuration: Configuration = {
    adapter: options.adapter,
    clients: options.staticClients,
    jwks: options.signingKeys as Configuration['jwks'],
    cookies: {
      // Keygrip's signatures at a fraction of its cost (src/crypto/cookie-signer.ts).
      keys: options.cookieKeys.length ? new CookieSigner(options.cookieKeys) : [],
      // Over https, cookie prefixes make the browser enforce Secure (and, for __Host-, no Domain
      // and Path=/). The interaction cookies live on narrower paths, so they get __Secure-.
      names: options.production
        ? {
            session: '__Host-darvaze.session',
            interaction: '__Secure-darvaze.interaction',
            resume: '__Secure-darvaze.resume',
          }
        : { session: 'darvaze.session', interaction: 'darvaze.interaction', resume: 'darvaze.resume' },
      long: { httpOnly: true, sameSite: 'lax', signed: true, secure: options.production },
      short: { httpOnly: true, sameSite: 'lax', signed: true, secure: options.production },
    },
    claims: {
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
      // Released with every ID token: how the person authenticated (amr, RFC 8176) and the level
      // reached (acr, assurance.ts). A standalone claim would only leave when asked for by name.
      openid: [...SCOPE_CLAIMS.openid, 'amr', 'acr'],
      // Released only when asked for by name in the `claims` parameter, only the claims inside it
      // that the person consented to (verified-claims.ts), and only to sites allowed their scopes.
      verified_claims: null,
    },
    acrValues: [...ACR_VALUES_SUPPORTED],
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((scope) => scope !== 'openid')],
    // The sales site wants the verified data in the ID token itself (DESIGN §1: "the RP receives
    // the verified data as ID-token / userinfo claims"), not only from userinfo.
    conformIdTokenClaims: false,
    findAccount: async (ctx, sub) => {
      const person = await options.findPerson(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async (_use, _scope, requested) => {
          const claims = claimsOf(person);
          const member = (requested as Record<string, unknown> | undefined)?.verified_claims;
          // The grant says which claims inside verified_claims this person consented to; with no
          // grant at hand nothing verified leaves.
          const grant = ctx?.oidc?.grant;
          if (member === undefined || !grant) return claims as { sub: string };
          const verified = buildVerifiedClaims({
            request: member,
            record: person.verification,
            claims,
            consented: consentedVerifiedClaims(grant.getOIDCClaims()),
            nowMs: now(),
          });
          return (verified ? { ...claims, verified_claims: verified } : claims) as { sub: string };
        },
      };
    },
    loadExistingGrant: async (ctx) => {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const { accountId } = session;
      if (options.isFirstParty?.(client.clientId)) return firstPartyGrant(ctx, accountId, client.clientId);
      const remembered = await options.consents.find(accountId, client.clientId);
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId) ?? remembered?.grantId;
      const grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      // A grant made for another person or site is never reused.
      if (grant && grant.accountId === accountId && grant.clientId === client.clientId) return grant;
      if (!remembered?.scope) return undefined;
      // The person consented to this site, but the grant carrying it was revoked with a signed-out
      // session's tokens: a new grant carries the same consent, nothing more.
      const renewed = new ctx.oidc.provider.Grant({ accountId, clientId: client.clientId });
      renewed.addOIDCScope(remembered.scope);
      if (remembered.claims.length) renewed.addOIDCClaims(remembered.claims);
      const renewedId = await renewed.save();
      await options.consents.remember(
        accountId,
        client.clientId,
        { ...remembered, grantId: renewedId },
        GRANT_TTL_SECONDS,
      );
      return renewed;
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: assurancePolicy(options.findPerson, now),
    },
    features: {
      devInteractions: { enabled: false },
      // A site may revoke or introspect only the tokens issued to it.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      claimsParameter: {
        enabled: true,
        // Claims asked for by name are limited to the client's allowed scopes (DESIGN §2.5):
        // the parameter is rewritten here, before the consent check reads it, so the consent
        // page lists exactly what may leave and nothing else can.
        assertClaimsParameter: async (ctx, claims, client) => {
          for (const container of ['userinfo', 'id_token'] as const) {
            for (const value of Object.values((claims as ClaimsRequest)[container] ?? {})) {
              if (value !== null && (typeof value !== 'object' || Array.isArray(value)))
                throw new errors.InvalidRequest(`claims.${container} members must be null or objects`);
            }
          }
          // verified_claims and purpose as OpenID Connect for Identity Assurance defines them.
          try {
            validateClaimsRequest(claims as ClaimsRequest);
          } catch (error) {
            if (error instanceof ClaimsRequestError) throw new errors.InvalidRequest(error.message);
            throw error;
          }
          const scopes = client.scope ? client.scope.split(' ') : SUPPORTED_SCOPES;
          const limited = limitClaimsRequest(claims as ClaimsRequest, claimsAllowedForScopes(scopes));
          (ctx.oidc.params as { claims?: string }).claims = JSON.stringify(limited);
        },
      },
      backchannelLogout: { enabled: true },
      // Modern client protections, enforced per client when it registers them:
      // require_pushed_authorization_requests, dpop_bound_access_tokens, require_signed_request_object,
      // id_token_encrypted_response_alg/enc, and the FAPI 2.0 profile (client-profiles.ts).
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      dPoP: { enabled: true },
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      encryption: { enabled: true },
      fapi: { enabled: true, profile: (_ctx, client) => fapiProfileOf(client) },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => options.pages.logoutSource(ctx, form),
        postLogoutSuccessSource: async (ctx) => options.pages.postLogoutSuccessSource(ctx),
      },
      registration: options.registration ?? { enabled: false },
      registrationManagement: {
        enabled: Boolean(options.registration?.enabled),
        rotateRegistrationAccessToken: true,
      },
    },
    // OIDC4IDA's request-wide `purpose` (shown on the consent page); a bad one is invalid_request.
    extraParams: {
      purpose: (_ctx, value) => {
        try {
          validateRequestPurpose(value);
        } catch (error) {
          if (error instanceof ClaimsRequestError) throw new errors.InvalidRequest(error.message);
          throw error;
        }
      },
    },
    extraClientMetadata: clientProfileMetadata,
    subjectTypes: ['public', 'pairwise'],
    // A pairwise `sub` is keyed per sector: two sites of different sectors cannot join their users.
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHmac('sha256', options.pairwiseSalt)
        .update(`${client.sectorIdentifier}|${accountId}`)
        .digest('base64url'),
    pkce: { required: () => true },
    // Advertised in discovery and accepted at registration alike (client-auth-methods.ts).
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    enabledJWA: { clientAuthSigningAlgValues: [...CLIENT_AUTH_SIGNING_ALGS] },
    clientDefaults: {
      // A client registered without `scope` (the admin API, /reg, CLIENTS_FILE) may ask for
      // sign-in only, not for every scope the provider knows (national_id included).
      scope: DEFAULT_CLIENT_SCOPE,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      // Sites check auth_time after a step-up (prompt=login / max_age); always give it to them.
      require_auth_time: true,
    },
    responseTypes: ['code'],
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: options.ttl.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: INTERACTION_TTL_SECONDS,
      // A signed-in session ends sessionSeconds after the sign-in however busy it is (oidc-provider
      // would otherwise slide it on every visit); a session nobody signed in to (the logout page
      // makes one for its form's xsrf secret, for any visitor) lives minutes: no cheap way to fill
      // the store.
      Session: (_ctx, session) => {
        if (!session.accountId) return ANONYMOUS_SESSION_SECONDS;
        const now = epochSeconds(options.now);
        return Math.max(1, (session.loginTs ?? now) + options.ttl.sessionSeconds - now);
      },
      Grant: (_ctx, grant) =>
        options.isFirstParty?.(grant.clientId ?? '') ? FIRST_PARTY_GRANT_TTL_SECONDS : GRANT_TTL_SECONDS,
      // Rotation hands out a new token each use; the absolute lifetime of the chain is capped by
      // the grant and by the token's own TTL counted from the first authentication.
      RefreshToken: (ctx) => {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        return rotated ? Math.max(1, rotated.remainingTTL) : options.ttl.refreshTokenSeconds;
      },
    },
    // oidc-provider refuses outgoing requests (back-channel logout, jwks_uri, sector identifiers)
    // to special-use addresses: SSRF protection. Outside production the demo sites run on
    // loopback, so loopback URLs alone are let through there.
    fetch: async (url, init) => {
      if (!options.production && isLoopbackUrl(url instanceof Request ? url.url : url))
        delete (init as { dispatcher?: unknown }).dispatcher;
      return fetch(url, init);
    },
    // Cross-origin calls to the client endpoints only from the client's own redirect origins
    // (cors.ts; corsOriginGate covers the answers that name no client).
    clientBasedCORS: clientBasedCors,
    // No stack traces or internals to the browser, ever.
    renderError: async (ctx, out, error) => options.pages.renderError(ctx, out, error),
    discovery: {
      service_documentation: `${options.issuer}/docs/integration`,
      ui_locales_supported: ['fa', 'en'],
      claims_locales_supported: ['fa'],
      // OpenID Connect for Identity Assurance 1.0, OP metadata (docs/integration.md).
      verified_claims_supported: true,
      trust_frameworks_supported: [TRUST_FRAMEWORK],
      evidence_supported: ['electronic_record'],
      electronic_records_supported: ['population_register', 'mobile_subscriber_register'],
      claims_in_verified_claims_supported: CLAIMS_IN_VERIFIED_CLAIMS_SUPPORTED,
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.trustProxy;
  // Koa keeps only the last maxIpsCount X-Forwarded-For entries and takes the first of those as
  // ctx.ip: the address the outermost trusted proxy saw. 0 (Koa's default) would believe the
  // leftmost entry, which any client can write.
  provider.maxIpsCount = options.proxyHops ?? 1;
  // A refresh grant's rotations overwrite one record instead of leaving one per used token.
  useRefreshTokenChains(provider);
  // A signed-in session is found by its uid through its person's index alone (session-uids.ts).
  useAccountTaggedSessionUids(provider);
  return provider;
}

/**
 * The consent of a first-party page (the provider itself: no personal data leaves, the page only
 * learns who signed in): the grant this session already holds for it, or a new one for `openid`
 * alone. Anything more the request asks for (verified claims) still meets the consent page.
 */
async function firstPartyGrant(ctx: KoaContextWithOIDC, accountId: string, clientId: string) {
  const { session, provider } = ctx.oidc;
  const existingId = session?.grantIdFor(clientId);
  const existing = existingId ? await provider.Grant.find(existingId) : undefined;
  if (existing && existing.accountId === accountId && existing.clientId === clientId) return existing;
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope('openid');
  await grant.save();
  return grant;
}

/**
 * oidc-provider's prompts plus Darvaze's assurance rules: a session whose sign-in did not reach
 * the level the site asks for (acr), or whose account was verified longer ago than the site's
 * verified_claims max_age allows, signs in again through the identity step
 * (assurance-requirements.ts); a site asking for verified claims the person has not consented to
 * for it gets the consent page, whatever plain claims the grant already covers.
 */
function assurancePolicy(findPerson: ProviderOptions['findPerson'], now: () => number) {
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy.get('login')?.checks.add(
    new Check('assurance_shortfall', 'the requested assurance needs the identity step', async (ctx) => {
      const { oidc } = ctx;
      // Just signed in: the journey applied the same rule (code step), so no second round.
      if (!oidc.session?.accountId || oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const request = oidc.params as { acr_values?: string; claims?: string };
      // The account is read only when the request has a verification age to compare with.
      const person =
        verificationMaxAge(parseClaimsParameter(request.claims)) === undefined
          ? undefined
          : await findPerson(oidc.session.accountId);
      const shortfall = assuranceShortfall(
        request,
        { acr: oidc.session.acr, verifiedAt: person?.verification.verifiedAt },
        now(),
      );
      return shortfall ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  const missingVerified = Symbol('missingVerifiedClaims');
  policy.get('consent')?.checks.add(
    new Check(
      'verified_claims_missing',
      'requested verified claims not granted',
      (ctx) => {
        const { oidc } = ctx;
        const consented = consentedVerifiedClaims(oidc.grant?.getOIDCClaimsEncountered() ?? []);
        const missing = requestedVerifiedClaimNames(oidc.claims as ClaimsRequest).filter(
          (claim) => !consented.has(claim),
        );
        if (missing.length === 0) return Check.NO_NEED_TO_PROMPT;
        (oidc as unknown as Record<symbol, string[]>)[missingVerified] = missing;
        return Check.REQUEST_PROMPT;
      },
      (ctx) => ({
        missingVerifiedClaims: (ctx.oidc as unknown as Record<symbol, string[]>)[missingVerified],
      }),
    ),
  );
  return policy;
}

function isLoopbackUrl(url: string | URL): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
