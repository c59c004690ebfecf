import type { Context } from 'koa';
import type { FieldErrors, IdentityPage, Message } from '../http/view-models.js';
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
): Promise<void> {
  const model: IdentityPage = {
    ...pageBase(interaction, 'page.identity.title'),
    errors,
    values: {
      national_code: ctx.method === 'POST' ? field(ctx, 'national_code', 20) : '',
      birth_date: ctx.method === 'POST' ? field(ctx, 'birth_date', 20) : '',
    },
  };
  await deps.render(ctx, 'identity', model, status);
}

const REFUSALS: Record<string, { message: (retryAfter?: number) => Message; status: number }> = {
  mobile_not_owned: { message: () => ({ key: 'identity.mobile_not_owned' }), status: 422 },
  registry_mismatch: { message: () => ({ key: 'identity.registry_mismatch' }), status: 422 },
  deceased: { message: () => ({ key: 'identity.deceased' }), status: 422 },
  identity_checks: {
    message: (retryAfter = 3600) => ({
      key: 'identity.limit',
      params: { hours: Math.max(1, Math.ceil(retryAfter / 3600)) },
    }),
    status: 429,
  },
  unavailable: { message: () => ({ key: 'identity.unavailable' }), status: 503 },
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
    const refusal = REFUSALS[result.reason] ?? (REFUSALS.unavailable as (typeof REFUSALS)[string]);
    return showIdentityPage(
      deps,
      ctx,
      interaction,
      { form: refusal.message(result.retryAfterSeconds) },
      refusal.status,
    );
  }
  deps.audit(ctx, 'identity.verified', {
    interaction: interaction.uid,
    sub: result.account.sub,
    checks: 'mobile_ownership,civil_registry',
    source: result.account.verification.source,
  });
  return completeLogin(deps, ctx, interaction, result.account.sub, ACR.registryVerified);
}
