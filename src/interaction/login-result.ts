import type { Context } from 'koa';
import { finishInteraction, type Interaction } from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';

/**
 * Ends the login prompt: the person proved the mobile with an SMS code (and, for a new account,
 * their identity against the registry). amr per RFC 8176: "sms" and "otp".
 */
export async function completeLogin(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  accountId: string,
): Promise<void> {
  await finishInteraction(deps, ctx, interaction, {
    login: { accountId, amr: ['sms', 'otp'], remember: true },
  });
}
