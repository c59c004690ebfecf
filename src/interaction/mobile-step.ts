import type { Context } from 'koa';
import { captchaDataUrl } from '../captcha/captcha.js';
import type { FieldErrors, MobilePage } from '../http/view-models.js';
import { Mobile } from '../validation/mobile.js';
import {
  csrfValid,
  field,
  type Interaction,
  loadInteraction,
  pageBase,
  redirectToInteraction,
  saveState,
} from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';
import { sendCode, smsRefusalMessage } from './send-code.js';

/** Step A: mobile number + captcha. A fresh captcha on every showing. */
export async function showMobilePage(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  errors: FieldErrors = {},
  status = 200,
): Promise<void> {
  const hint =
    typeof interaction.details.params.login_hint === 'string' ? interaction.details.params.login_hint : '';
  const submitted = ctx.method === 'POST' ? field(ctx, 'mobile', 40) : '';
  const captcha = await deps.captcha.create(interaction.uid);
  const model: MobilePage = {
    ...pageBase(interaction, 'page.mobile.title'),
    errors,
    values: { mobile: submitted || interaction.state.mobileDraft || (Mobile.parse(hint)?.national ?? '') },
    captchaImageUrl: captcha ? captchaDataUrl(captcha) : undefined,
    captchaRefreshUrl: interaction.action,
    cancelUrl: `${interaction.action}/abort`,
  };
  await deps.render(ctx, 'mobile', model, status);
}

export async function submitMobile(deps: JourneyDeps, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps, ctx);
  if (interaction.details.prompt.name !== 'login') return redirectToInteraction(ctx, interaction);
  if (!csrfValid(ctx, interaction))
    return showMobilePage(deps, ctx, interaction, { form: { key: 'error.csrf' } }, 403);

  const errors: FieldErrors = {};
  const rawMobile = field(ctx, 'mobile', 40);
  // Parsed once, here; from now on the sign-in carries this Mobile, not the text typed.
  const mobile = Mobile.parse(rawMobile);
  if (!rawMobile.trim()) errors.mobile = { key: 'mobile.required' };
  else if (!mobile) errors.mobile = { key: 'mobile.invalid' };
  // The captcha is checked (and used up) whatever the mobile: no SMS without a solved captcha.
  const rawCaptcha = field(ctx, 'captcha', 40);
  const captchaOk = await deps.captcha.verify(interaction.uid, rawCaptcha);
  if (!captchaOk) errors.captcha = { key: rawCaptcha.trim() ? 'captcha.wrong' : 'captcha.required' };
  if (!mobile || !captchaOk) return showMobilePage(deps, ctx, interaction, errors, 400);

  const delivery = await sendCode(deps, ctx, interaction, mobile);
  if (!delivery.sent) {
    const status = delivery.reason === 'gateway' ? 503 : 429;
    return showMobilePage(deps, ctx, interaction, { form: smsRefusalMessage(delivery) }, status);
  }
  interaction.state = { ...interaction.state, step: 'code', mobile, mobileVerified: false };
  await saveState(deps, interaction);
  redirectToInteraction(ctx, interaction);
}
