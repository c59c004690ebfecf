import type { Context } from 'koa';
import { ACR, type AcrValue } from '../oidc/assurance.js';
import { finishInteraction, type Interaction } from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';

/**
 * Ends the login prompt: the person proved the mobile with an SMS code (and, when `acr` says so,
 * their identity against the registries in this same sign-in). amr per RFC 8176: "sms" and
 * "otp"; acr: the level reached (src/oidc/assurance.ts).
 */
export async function completeLogin(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  accountId: string,
  acr: AcrValue = ACR.sms,
): Promise<void> {
  await finishInteraction(deps, ctx, interaction, {
    // ts: the moment of this sign-in, kept when the consent after it merges this result again.
    login: { accountId, acr, amr: ['sms', 'otp'], remember: true, ts: Math.floor(Date.now() / 1000) },
  });
}
