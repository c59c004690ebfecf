import { claimPurposes, parseClaimsParameter, requestPurpose } from '../oidc/verified-claims-request.js';
import { Mobile } from '../validation/mobile.js';
import type { Interaction } from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';

/**
 * A step-up: a site asks a person who is already signed in here to confirm again (`prompt=login`,
 * or `max_age` run out) — e.g. the sales site's "confirm registration". Answers the mobile of the
 * signed-in account, the one number that may get its code without a captcha; undefined when this
 * is not a step-up.
 *
 * The account comes from oidc-provider's session (a signed cookie), never from the request: a
 * `login_hint` or a form field alone never skips the captcha. The number must still be proven
 * with a fresh SMS code, under the same send caps as any other.
 */
export async function stepUpMobile(deps: JourneyDeps, interaction: Interaction): Promise<Mobile | undefined> {
  const accountId = interaction.details.session?.accountId;
  if (interaction.details.prompt.name !== 'login' || typeof accountId !== 'string' || !accountId)
    return undefined;
  const account = await deps.accounts.findBySub(accountId);
  return account?.mobile ? Mobile.fromE164(account.mobile) : undefined;
}

/** The reasons, in the site's own words, that its request gives (its `purpose`, then the claims'). */
export function stepUpPurposes(interaction: Interaction): string[] {
  const purposes = claimPurposes(parseClaimsParameter(interaction.details.params.claims));
  const general = requestPurpose(interaction.details.params);
  return [...new Set([...(general ? [general] : []), ...purposes.map((item) => item.purpose)])].slice(0, 3);
}
