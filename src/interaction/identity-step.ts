import type { Context } from 'koa';
import type { IdentityVerificationFailure } from '../accounts/identity-verification.js';
import type { FieldErrors, IdentityPage, IdentityRefusal, Message } from '../http/view-models.js';
import { ACR } from '../oidc/assurance.js';
import { BirthDate } from '../validation/birth-date.js';
import { NationalCode } from '../validation/national-code.js';
import {
  csrfValid,
  field,
  type Interaction,
  loadInteraction,
  pageBase,
  redirectToInteraction,
} from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';
import { completeLogin } from './login-result.js';

/** Step C: national code + Jalali birth date, only after the mobile was proven by SMS. */
export async function showIdentityPage(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  errors: FieldErrors = {},
  status = 200,
  refusal?: IdentityRefusal,
): Promise<void> {
  const model: IdentityPage = {
    ...pageBase(interaction, 'page.identity.title'),
    errors,
    refusal,
    cancelUrl: `${interaction.action}/abort`,
    anotherNumber: true,
    values: {
      national_code: ctx.method === 'POST' ? field(ctx, 'national_code', 20) : '',
      birth_date: ctx.method === 'POST' ? field(ctx, 'birth_date', 20) : '',
    },
  };
  await deps.render(ctx, 'identity', model, status);
}

type Refusal = Omit<IdentityRefusal, 'message'> & {
  message: (retryAfterSeconds?: number) => Message;
  status: number;
};

/**
 * Each answer of the identity check that is not "verified", as the person meets it: what
 * happened, what they can do next (at the operator, the civil registry, or here), and whether the
 * form is worth filling in again. Every one also offers another number and the way back to the
 * site (views/partials/ways-on.ejs).
 */
const REFUSALS: Record<IdentityVerificationFailure, Refusal> = {
  mobile_not_owned: {
    message: () => ({ key: 'identity.mobile_not_owned' }),
    // A mistyped national code also reads as "not your number": the form stays.
    nextSteps: ['refusal.checkNationalCode', 'refusal.useOwnNumber', 'refusal.askOperator'],
    formUseful: true,
    status: 422,
  },
  registry_mismatch: {
    message: () => ({ key: 'identity.registry_mismatch' }),
    nextSteps: ['refusal.checkTyping', 'refusal.askRegistry'],
    formUseful: true,
    status: 422,
  },
  deceased: {
    message: () => ({ key: 'identity.deceased' }),
    nextSteps: ['refusal.deceasedRegistry'],
    formUseful: false,
    status: 422,
  },
  identity_checks: {
    message: (retryAfter = 3600) => ({
      key: 'identity.limit',
      params: { hours: Math.max(1, Math.ceil(retryAfter / 3600)) },
    }),
    nextSteps: ['refusal.limitLater'],
    formUseful: false,
    status: 429,
  },
  unavailable: {
    message: () => ({ key: 'identity.unavailable' }),
    nextSteps: ['refusal.retrySoon', 'refusal.comeBackLater'],
    formUseful: true,
    status: 503,
  },
};

export async function submitIdentity(deps: JourneyDeps, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps, ctx);
  const { state } = interaction;
  const { mobile } = state;
  if (
    interaction.details.prompt.name !== 'login' ||
    state.step !== 'identity' ||
    !state.mobileVerified ||
    !mobile
  ) {
    return redirectToInteraction(ctx, interaction);
  }
  if (!csrfValid(ctx, interaction))
    return showIdentityPage(deps, ctx, interaction, { form: { key: 'error.csrf' } }, 403);

  const errors: FieldErrors = {};
  const rawCode = field(ctx, 'national_code', 40);
  const rawDate = field(ctx, 'birth_date', 40);
  // Parsed once, here; the verification, limits, registry and account take these values.
  const nationalCode = NationalCode.parse(rawCode);
  const birthDate = BirthDate.parse(rawDate, deps.now);
  if (!rawCode.trim()) errors.national_code = { key: 'national_code.required' };
  else if (!nationalCode) errors.national_code = { key: 'national_code.invalid' };
  if (!rawDate.trim()) errors.birth_date = { key: 'birth_date.required' };
  else if (!birthDate) errors.birth_date = { key: 'birth_date.invalid' };
  if (!nationalCode || !birthDate) return showIdentityPage(deps, ctx, interaction, errors, 400);

  const result = await deps.verification.verify({ mobile, nationalCode, birthDate });
  if (!result.ok) {
    deps.audit(ctx, 'identity.refused', { interaction: interaction.uid, reason: result.reason });
    const { message, status, ...rest } = REFUSALS[result.reason] ?? REFUSALS.unavailable;
    return showIdentityPage(deps, ctx, interaction, {}, status, {
      ...rest,
      message: message(result.retryAfterSeconds),
    });
  }
  deps.audit(ctx, 'identity.verified', {
    interaction: interaction.uid,
    sub: result.account.sub,
    checks: 'mobile_ownership,civil_registry',
    source: result.account.verification.source,
  });
  return completeLogin(deps, ctx, interaction, result.account.sub, ACR.registryVerified);
}
