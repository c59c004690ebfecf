import type { Context } from 'koa';
import { isVerificationFresh } from '../accounts/verification-freshness.js';
import type { CodePage, FieldErrors, Message } from '../http/view-models.js';
import { identityStepRequired } from '../oidc/assurance-requirements.js';
import type { Mobile } from '../validation/mobile.js';
import { showIdentityPage } from './identity-step.js';
import {
  csrfValid,
  field,
  type Interaction,
  loadInteraction,
  minutes,
  pageBase,
  redirectToInteraction,
  saveState,
} from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';
import { completeLogin } from './login-result.js';
import { sendCode, smsRefusalMessage } from './send-code.js';

/** Step B: the SMS code. The page is the same whether or not the mobile has an account. */
export async function showCodePage(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  options: { errors?: FieldErrors; notice?: Message; status?: number } = {},
): Promise<void> {
  const { mobile } = interaction.state;
  // Both read at once (one wait, not two); the countdown is only shown when there is no lock.
  const [lockedSeconds, resendInSeconds] = await Promise.all([
    mobile ? deps.codes.lockStatus(mobile) : 0,
    deps.smsPolicy.cooldownRemaining(interaction.uid),
  ]);
  // A locked mobile shows one thing: when it can try again, and the ways on. No code box and no
  // resend countdown that would only lead to "try again in 14 minutes".
  if (lockedSeconds > 0) {
    const model: CodePage = {
      ...pageBase(interaction, 'page.locked.title'),
      errors: {},
      maskedMobile: mobile?.masked ?? '…',
      codeLength: deps.codeLength,
      resendInSeconds: 0,
      lockedMinutes: minutes(lockedSeconds),
      cancelUrl: `${interaction.action}/abort`,
      anotherNumber: true,
    };
    return deps.render(ctx, 'code', model, options.status ?? 200);
  }
  const model: CodePage = {
    ...pageBase(interaction, 'page.code.title'),
    errors: options.errors ?? {},
    notice: options.notice,
    maskedMobile: mobile?.masked ?? '…',
    codeLength: deps.codeLength,
    resendInSeconds,
    cancelUrl: `${interaction.action}/abort`,
  };
  await deps.render(ctx, 'code', model, options.status ?? 200);
}

/** Loads the interaction and checks it is at the code step with a valid CSRF token. */
async function codeStepInteraction(
  deps: JourneyDeps,
  ctx: Context,
): Promise<{ interaction: Interaction; mobile: Mobile } | undefined> {
  const interaction = await loadInteraction(deps, ctx);
  const { mobile } = interaction.state;
  if (interaction.details.prompt.name !== 'login' || interaction.state.step !== 'code' || !mobile) {
    redirectToInteraction(ctx, interaction);
    return undefined;
  }
  if (!csrfValid(ctx, interaction)) {
    await showCodePage(deps, ctx, interaction, { errors: { form: { key: 'error.csrf' } }, status: 403 });
    return undefined;
  }
  return { interaction, mobile };
}

export async function submitCode(deps: JourneyDeps, ctx: Context): Promise<void> {
  const step = await codeStepInteraction(deps, ctx);
  if (!step) return;
  const { interaction, mobile } = step;
  const code = field(ctx, 'code', 40);
  if (!code.trim())
    return showCodePage(deps, ctx, interaction, { errors: { code: { key: 'code.required' } }, status: 400 });

  const result = await deps.codes.verify(interaction.uid, mobile, code);
  if (!result.ok) {
    if (result.reason === 'locked') deps.audit(ctx, 'otp.locked', { interaction: interaction.uid });
    // A lock shows the locked page (showCodePage reads the lock itself).
    if (result.reason === 'locked') return showCodePage(deps, ctx, interaction, { status: 429 });
    const error: Message =
      result.reason === 'wrong'
        ? { key: 'code.wrong', params: { attemptsLeft: result.attemptsLeft } }
        : { key: 'code.expired' };
    return showCodePage(deps, ctx, interaction, { errors: { code: error }, status: 400 });
  }

  // Independent of each other: one wait for both.
  const [, account] = await Promise.all([
    deps.smsPolicy.codeUsed(mobile),
    deps.accounts.findByMobile(mobile),
  ]);
  if (
    account &&
    isVerificationFresh(account, deps.now(), deps.identityMaxAgeSeconds) &&
    !identityStepRequired(interaction.details.params, account.verifiedAt, deps.now())
  ) {
    deps.audit(ctx, 'login.succeeded', { interaction: interaction.uid, sub: account.sub, method: 'sms' });
    return completeLogin(deps, ctx, interaction, account.sub);
  }
  // No verified account for this mobile, its verification is too old, or the site asks for the
  // registry-verified level or a more recent verification than the account's: step C.
  interaction.state = { ...interaction.state, step: 'identity', mobileVerified: true };
  await saveState(deps, interaction);
  redirectToInteraction(ctx, interaction);
}

export async function resendCode(deps: JourneyDeps, ctx: Context): Promise<void> {
  const step = await codeStepInteraction(deps, ctx);
  if (!step) return;
  const { interaction, mobile } = step;
  const result = await sendCode(deps, ctx, interaction, mobile);
  if (!result.sent) {
    const status = result.reason === 'gateway' ? 503 : 429;
    return showCodePage(deps, ctx, interaction, { errors: { form: smsRefusalMessage(result) }, status });
  }
  // Post/Redirect/Get, so reloading the page does not send another SMS.
  ctx.status = 303;
  ctx.redirect(`${interaction.action}?notice=resent`);
}

/**
 * "Change mobile number" (code page) and "sign in with another number" (locked code page,
 * identity refusals): back to step A, with a new captcha and a new SMS. From the code page the
 * number stays in the field, to correct a typo; after a refusal the field starts empty.
 */
export async function changeMobile(deps: JourneyDeps, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps, ctx);
  const { step, mobile } = interaction.state;
  if (interaction.details.prompt.name !== 'login' || (step !== 'code' && step !== 'identity'))
    return redirectToInteraction(ctx, interaction);
  if (!csrfValid(ctx, interaction)) {
    const errors = { form: { key: 'error.csrf' } };
    if (step === 'code') return showCodePage(deps, ctx, interaction, { errors, status: 403 });
    return showIdentityPage(deps, ctx, interaction, errors, 403);
  }
  interaction.state = {
    csrf: interaction.state.csrf,
    step: 'mobile',
    ...(step === 'code' && mobile ? { mobileDraft: mobile.national } : {}),
  };
  await saveState(deps, interaction);
  redirectToInteraction(ctx, interaction);
}
