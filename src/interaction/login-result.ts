import type { Context } from 'koa';
import { ACR, type AcrValue } from '../oidc/assurance.js';
import { finishInteraction, type Interaction } from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';

/**
 * Set by public/passkey.js on the mobile page when the device has a platform authenticator that
 * verifies its user (fingerprint, face, screen lock): only such a device is offered a passkey.
 * A browser without JavaScript or without one never sees the offer.
 */
export const PLATFORM_AUTHENTICATOR_COOKIE = 'passkey_platform';

/** amr of an SMS sign-in (RFC 8176). */
export const SMS_AMR = ['sms', 'otp'];

/**
 * Ends the login prompt: the person proved the mobile with an SMS code (and, when `acr` says so,
 * their identity against the registries in this same sign-in), or used a passkey. amr per RFC
 * 8176: "sms" and "otp", or "hwk"/"swk" and "user" for a passkey; acr: the level reached
 * (src/oidc/assurance.ts).
 */
export async function completeLogin(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  accountId: string,
  acr: AcrValue = ACR.sms,
  amr: string[] = SMS_AMR,
): Promise<void> {
  // ts: the moment of this sign-in, kept when the consent after it merges this result again; on
  // oidc-provider's clock (Date.now), which it compares auth_time and max_age with.
  const ts = Math.floor(Date.now() / 1000);
  // After an SMS sign-in (identity verified), the optional "sign in faster next time" page
  // (src/interaction/passkey-step.ts) comes first; it finishes this same login afterwards.
  if (
    amr === SMS_AMR &&
    deps.passkeys &&
    ctx.cookies.get(PLATFORM_AUTHENTICATOR_COOKIE) === '1' &&
    (await deps.passkeys.offers.shouldOffer(accountId))
  ) {
    await deps.passkeys.offers.hold(
      interaction.uid,
      { sub: accountId, acr, amr, ts },
      deps.interactionTtlSeconds,
    );
    ctx.status = 303;
    ctx.redirect(`${interaction.action}/passkey/enrol`);
    return;
  }
  await finishLogin(deps, ctx, interaction, { accountId, acr, amr, ts });
}

export async function finishLogin(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  login: { accountId: string; acr: string; amr: string[]; ts: number },
): Promise<void> {
  await finishInteraction(deps, ctx, interaction, { login: { ...login, remember: true } });
}
