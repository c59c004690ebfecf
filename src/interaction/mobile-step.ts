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
import { stepUpMobile, stepUpPurposes } from './step-up.js';

/**
 * Step A: mobile number + captcha. A fresh captcha on every showing — except in a step-up, where
 * the signed-in account's own number needs none (src/interaction/step-up.ts).
 */
export async function showMobilePage(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  errors: FieldErrors = {},
  status = 200,
): Promise<void> {
  const hint =
    typeof interaction.details.params.login_hint === 'string' ? interaction.details.params.login_hint : '';
  const hinted = Mobile.parse(hint);
  const submitted = ctx.method === 'POST' ? field(ctx, 'mobile', 40) : '';
  const known = await stepUpMobile(deps, interaction);
  const otherNumber = ctx.query.other === '1' || submitted !== '';
  // The one-button confirmation: a step-up whose site named the account's own number.
  const confirmKnown = Boolean(known && hinted && hinted.e164 === known.e164 && !otherNumber);
  // Another number than the account's, in a step-up too, needs the captcha.
  const captchaShown = !known || otherNumber || Boolean(errors.captcha);
  const captcha = captchaShown && !confirmKnown ? await deps.captcha.create(interaction.uid) : null;
  const model: MobilePage = {
    ...pageBase(interaction, known ? 'page.stepUp.title' : 'page.mobile.title'),
    errors,
    values: {
      mobile:
        submitted || interaction.state.mobileDraft || (known || otherNumber ? '' : (hinted?.national ?? '')),
    },
    captchaImageUrl: captcha ? captchaDataUrl(captcha) : undefined,
    captchaRefreshUrl: otherNumber ? `${interaction.action}?other=1` : interaction.action,
    cancelUrl: `${interaction.action}/abort`,
    stepUp: known
      ? {
          purposes: stepUpPurposes(interaction),
          knownMobile: confirmKnown ? known.masked : undefined,
          otherNumberUrl: `${interaction.action}?other=1`,
        }
      : undefined,
  };
  await deps.render(ctx, 'mobile', model, status);
}

export async function submitMobile(deps: JourneyDeps, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps, ctx);
  if (interaction.details.prompt.name !== 'login') return redirectToInteraction(ctx, interaction);
  if (!csrfValid(ctx, interaction))
    return showMobilePage(deps, ctx, interaction, { form: { key: 'error.csrf' } }, 403);

  const errors: FieldErrors = {};
  const known = await stepUpMobile(deps, interaction);
  // "Send the code to my number" (step-up): the number is the session's account's, never a
  // number the form carries. Without a signed-in session the field asks for nothing; a number
  // in the contract's `mobile` field wins over it.
  const useKnown = known !== undefined && field(ctx, 'known', 2) === '1' && !field(ctx, 'mobile', 40).trim();
  const rawMobile = useKnown ? known.national : field(ctx, 'mobile', 40);
  // Parsed once, here; from now on the sign-in carries this Mobile, not the text typed.
  const mobile = useKnown ? known : Mobile.parse(rawMobile);
  if (!rawMobile.trim()) errors.mobile = { key: 'mobile.required' };
  else if (!mobile) errors.mobile = { key: 'mobile.invalid' };
  // The captcha is checked (and used up) whatever the mobile: no SMS without a solved captcha —
  // unless this is a step-up and the number is the signed-in account's own.
  const captchaSkipped = known !== undefined && mobile !== undefined && mobile.e164 === known.e164;
  if (!captchaSkipped) {
    const rawCaptcha = field(ctx, 'captcha', 40);
    const captchaOk = await deps.captcha.verify(interaction.uid, rawCaptcha);
    if (!captchaOk) errors.captcha = { key: rawCaptcha.trim() ? 'captcha.wrong' : 'captcha.required' };
  }
  if (!mobile || errors.captcha) return showMobilePage(deps, ctx, interaction, errors, 400);

  const delivery = await sendCode(deps, ctx, interaction, mobile);
  if (!delivery.sent) {
    const status = delivery.reason === 'gateway' ? 503 : 429;
    return showMobilePage(deps, ctx, interaction, { form: smsRefusalMessage(delivery) }, status);
  }
  interaction.state = {
    ...interaction.state,
    step: 'code',
    mobile,
    mobileDraft: undefined,
    mobileVerified: false,
  };
  await saveState(deps, interaction);
  redirectToInteraction(ctx, interaction);
}
