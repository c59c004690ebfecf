import type { Context } from 'koa';
import type { ConsentPage } from '../http/view-models.js';
import { claimKeyOf, claimKeysFor } from '../oidc/claims.js';
import { GRANT_TTL_SECONDS } from '../oidc/provider.js';
import { verifiedGrantClaimNames } from '../oidc/verified-claims.js';
import {
  claimPurposes,
  parseClaimsParameter,
  requestedVerifiedClaimNames,
  requestPurpose,
} from '../oidc/verified-claims-request.js';
import {
  csrfValid,
  field,
  finishInteraction,
  type Interaction,
  loadInteraction,
  pageBase,
  redirectToInteraction,
} from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
  /** Claims inside verified_claims not yet consented to for this site (provider.ts). */
  missingVerifiedClaims?: string[];
}

/**
 * Both answers are `access_denied` (OAuth has no other code for them); the descriptions tell a
 * site which one it got, and docs/integration.md promises they stay as they are.
 */
export const DENIED_DESCRIPTION = 'End-User denied the single sign-on permission';
export const CANCELLED_DESCRIPTION = 'End-User cancelled the sign-in';

/** Step D: "grant single sign-on permission" — exactly which data goes to which site. */
export async function showConsentPage(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  status = 200,
): Promise<void> {
  const details = interaction.details.prompt.details as ConsentDetails;
  const requested = String(interaction.details.params.scope ?? '').split(' ');
  const missing = details.missingOIDCScope ?? [];
  const grant = interaction.details.grantId
    ? await deps.provider.Grant.find(interaction.details.grantId)
    : undefined;
  const granted = (grant?.getOIDCScope() ?? '').split(' ').filter(Boolean);
  const grantedClaims = grant?.getOIDCClaims() ?? [];
  const client = await deps.provider.Client.find(String(interaction.details.params.client_id));
  // Everything the site will hold after this click: what it asks now, whether new or not — by
  // scope and by name (the `claims` parameter, already limited to the client's scopes).
  const claimKeys = claimKeysFor(
    requested.filter((scope) => missing.includes(scope) || granted.includes(scope)),
    [
      ...(details.missingOIDCClaims ?? []),
      ...requestedClaims(interaction).filter((c) => grantedClaims.includes(c)),
    ],
  );
  // Verified claims (OIDC4IDA) listed apart, with the purposes the site gave: the person sees
  // that the site gets the registry's answer, and why it wants it.
  const claimsParameter = parseClaimsParameter(interaction.details.params.claims);
  const verifiedClaimKeys = uniqueKeys(requestedVerifiedClaimNames(claimsParameter));
  const purposes = claimPurposes(claimsParameter).map(({ claim, purpose, verified }) => ({
    claimKey: claimKeyOf(claim) ?? 'claim.other',
    purpose,
    verified,
  }));
  const model: ConsentPage = {
    ...pageBase(interaction, 'page.consent.title'),
    clientName: interaction.clientName,
    clientUri: client?.clientUri,
    policyUri: client?.policyUri,
    tosUri: client?.tosUri,
    claimKeys,
    permissionKeys: missing.includes('offline_access') ? ['permission.offline_access'] : [],
    alreadyGrantedClaimKeys: claimKeysFor(granted, grantedClaims),
    verifiedClaimKeys,
    purposes,
    requestPurpose: requestPurpose(interaction.details.params),
  };
  await deps.render(ctx, 'consent', model, status);
}

function uniqueKeys(claims: string[]): string[] {
  const keys: string[] = [];
  for (const claim of claims) {
    const key = claimKeyOf(claim);
    if (key && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The claims the site asked for by name (the `claims` parameter, as limited at /auth). */
function requestedClaims(interaction: Interaction): string[] {
  const raw = interaction.details.params.claims;
  if (typeof raw !== 'string') return [];
  try {
    const parsed = JSON.parse(raw) as { id_token?: object; userinfo?: object };
    return [...Object.keys(parsed.id_token ?? {}), ...Object.keys(parsed.userinfo ?? {})];
  } catch {
    return [];
  }
}

export async function submitConsent(deps: JourneyDeps, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps, ctx);
  const { details } = interaction;
  if (details.prompt.name !== 'consent') return redirectToInteraction(ctx, interaction);
  if (!csrfValid(ctx, interaction)) return showConsentPage(deps, ctx, interaction, 403);

  const decision = field(ctx, 'decision', 10);
  const accountId = details.session?.accountId as string;
  const clientId = String(details.params.client_id);
  if (decision !== 'grant') {
    deps.audit(ctx, 'consent.denied', { interaction: interaction.uid, sub: accountId, client: clientId });
    return finishInteraction(deps, ctx, interaction, {
      error: 'access_denied',
      error_description: DENIED_DESCRIPTION,
    });
  }

  const prompt = details.prompt.details as ConsentDetails;
  const grant = details.grantId
    ? ((await deps.provider.Grant.find(details.grantId)) ?? new deps.provider.Grant({ accountId, clientId }))
    : new deps.provider.Grant({ accountId, clientId });
  if (prompt.missingOIDCScope?.length) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
  if (prompt.missingOIDCClaims?.length) grant.addOIDCClaims(prompt.missingOIDCClaims);
  if (prompt.missingVerifiedClaims?.length)
    grant.addOIDCClaims(verifiedGrantClaimNames(prompt.missingVerifiedClaims));
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  // Remembered per person and site, across browsers: asked again only for new data.
  await deps.consents.remember(
    accountId,
    clientId,
    {
      grantId,
      scope: grant.getOIDCScope(),
      claims: grant.getOIDCClaims(),
      grantedAt: Math.floor(deps.now() / 1000),
    },
    GRANT_TTL_SECONDS,
  );
  deps.audit(ctx, 'consent.granted', {
    interaction: interaction.uid,
    sub: accountId,
    client: clientId,
    scope: grant.getOIDCScope(),
  });
  return finishInteraction(
    deps,
    ctx,
    interaction,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** "Cancel" on any step: the site gets access_denied. */
export async function abortInteraction(deps: JourneyDeps, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps, ctx);
  return finishInteraction(deps, ctx, interaction, {
    error: 'access_denied',
    error_description: CANCELLED_DESCRIPTION,
  });
}
