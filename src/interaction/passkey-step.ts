import type { Context } from 'koa';
import { isVerificationFresh } from '../accounts/verification-freshness.js';
import type { Message } from '../http/view-models.js';
import { ACR } from '../oidc/assurance.js';
import { identityStepRequired } from '../oidc/assurance-requirements.js';
import { Mobile } from '../validation/mobile.js';
import {
  csrfValid,
  field,
  type Interaction,
  loadInteraction,
  pageBase,
  redirectToInteraction,
} from './interaction-context.js';
import type { JourneyDeps, JourneyPasskeys } from './journey-deps.js';
import { csrfMatches } from './journey-state.js';
import { completeLogin, finishLogin } from './login-result.js';
import { showMobilePage } from './mobile-step.js';

/**
 * Passkeys in the sign-in: "sign in with a passkey" on the mobile page (instead of the SMS code
 * and the captcha), and the optional "sign in faster next time" page after an SMS sign-in.
 *
 * The browser side is public/passkey.js (same origin; CSP allows no inline script): it fetches
 * the WebAuthn options as JSON, runs the ceremony, and posts the answer in an ordinary form, so
 * the result is the same 303 redirect as every other step. Without JavaScript none of it shows.
 */

/** Largest WebAuthn answer accepted in the form (a few kB in practice). */
const MAX_RESPONSE_LENGTH = 12_000;

function passkeysOf(deps: JourneyDeps, ctx: Context): JourneyPasskeys | undefined {
  if (!deps.passkeys) ctx.status = 404;
  return deps.passkeys;
}

/** The posted WebAuthn answer, parsed; undefined for anything that is not a JSON object. */
function postedResponse(ctx: Context): Record<string, unknown> | undefined {
  const raw = field(ctx, 'response', MAX_RESPONSE_LENGTH + 1);
  if (!raw || raw.length > MAX_RESPONSE_LENGTH) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The CSRF token of a JSON request (the options calls). */
function jsonCsrfValid(ctx: Context, interaction: Interaction): boolean {
  const body = (ctx.request as { body?: unknown }).body;
  const csrf = body && typeof body === 'object' ? (body as Record<string, unknown>).csrf : undefined;
  return csrfMatches(interaction.state, csrf);
}

function jsonAnswer(ctx: Context, status: number, body: object): void {
  ctx.status = status;
  ctx.body = body;
}

/** POST /interaction/:uid/passkey/options (JSON): a challenge for signing in. */
export async function passkeySignInOptions(deps: JourneyDeps, ctx: Context): Promise<void> {
  const passkeys = passkeysOf(deps, ctx);
  if (!passkeys) return;
  const interaction = await loadInteraction(deps, ctx);
  if (interaction.details.prompt.name !== 'login') return jsonAnswer(ctx, 409, { error: 'not_at_login' });
  if (!jsonCsrfValid(ctx, interaction)) return jsonAnswer(ctx, 403, { error: 'csrf' });
  jsonAnswer(ctx, 200, await passkeys.service.authenticationOptions(interaction.uid));
}

/** POST /interaction/:uid/passkey/sign-in (form): the assertion; success skips SMS and captcha. */
export async function passkeySignIn(deps: JourneyDeps, ctx: Context): Promise<void> {
  const passkeys = passkeysOf(deps, ctx);
  if (!passkeys) return;
  const interaction = await loadInteraction(deps, ctx);
  if (interaction.details.prompt.name !== 'login') return redirectToInteraction(ctx, interaction);
  const refuse = (key: string, status: number, params?: Message['params']) =>
    showMobilePage(deps, ctx, interaction, { form: { key, ...(params ? { params } : {}) } }, status);
  if (!csrfValid(ctx, interaction)) return refuse('error.csrf', 403);
  const response = postedResponse(ctx);
  if (!response) return refuse('passkey.cancelled', 400);

  const result = await passkeys.service.verifyAuthentication(interaction.uid, response);
  if (!result.ok) {
    deps.audit(ctx, 'passkey.refused', {
      interaction: interaction.uid,
      reason: result.reason,
      ...(result.credentialSub ? { sub: result.credentialSub } : {}),
    });
    if (result.reason === 'locked') return refuse('passkey.locked', 429, { minutes: 15 });
    if (result.reason === 'expired') return refuse('passkey.expired', 400);
    return refuse('passkey.failed', 400);
  }
  const { credential } = result;
  const account = await deps.accounts.findBySub(credential.sub);
  // A passkey stands for an account whose identity was verified, recently enough, and that still
  // holds its mobile (an account whose number another person re-verified cannot sign in). A site
  // asking for a fresh registry check gets it through the SMS path.
  if (
    !account?.mobile ||
    !isVerificationFresh(account, deps.now(), deps.identityMaxAgeSeconds) ||
    identityStepRequired(interaction.details.params, account.verifiedAt, deps.now())
  ) {
    deps.audit(ctx, 'passkey.refused', {
      interaction: interaction.uid,
      sub: credential.sub,
      reason: 'needs_sms',
    });
    return refuse('passkey.needsSms', 400);
  }
  deps.audit(ctx, 'passkey.used', { interaction: interaction.uid, sub: account.sub });
  deps.audit(ctx, 'login.succeeded', { interaction: interaction.uid, sub: account.sub, method: 'passkey' });
  // RFC 8176: hwk for a device-bound key, swk for a synced one; user: user verification passed.
  const amr = [credential.deviceType === 'singleDevice' ? 'hwk' : 'swk', 'user'];
  await completeLogin(deps, ctx, interaction, account.sub, ACR.passkey, amr);
}

/** The enrol page's interaction and held sign-in, or a redirect when there is none. */
async function enrolStep(deps: JourneyDeps, ctx: Context, passkeys: JourneyPasskeys) {
  const interaction = await loadInteraction(deps, ctx);
  const held =
    interaction.details.prompt.name === 'login' ? await passkeys.offers.peek(interaction.uid) : null;
  if (!held) {
    redirectToInteraction(ctx, interaction);
    return undefined;
  }
  return { interaction, held };
}

async function showEnrolPage(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  errors: Record<string, Message> = {},
  status = 200,
): Promise<void> {
  await deps.render(
    ctx,
    'passkey-enrol',
    { ...pageBase(interaction, 'page.passkeyEnrol.title'), errors },
    status,
  );
}

/**
 * The enrol page's form posts: the step, checked for its CSRF token (a refusal is answered here).
 * Undefined when the request was answered already.
 */
async function enrolFormStep(deps: JourneyDeps, ctx: Context) {
  const passkeys = passkeysOf(deps, ctx);
  if (!passkeys) return undefined;
  const step = await enrolStep(deps, ctx, passkeys);
  if (!step) return undefined;
  if (!csrfValid(ctx, step.interaction)) {
    await showEnrolPage(deps, ctx, step.interaction, { form: { key: 'error.csrf' } }, 403);
    return undefined;
  }
  return { passkeys, ...step };
}

/** GET /interaction/:uid/passkey/enrol: "sign in faster next time", after an SMS sign-in. */
export async function showPasskeyEnrol(deps: JourneyDeps, ctx: Context): Promise<void> {
  const passkeys = passkeysOf(deps, ctx);
  if (!passkeys) return;
  const step = await enrolStep(deps, ctx, passkeys);
  if (step) await showEnrolPage(deps, ctx, step.interaction);
}

/** POST /interaction/:uid/passkey/register-options (JSON): a challenge for a new passkey. */
export async function passkeyRegisterOptions(deps: JourneyDeps, ctx: Context): Promise<void> {
  const passkeys = passkeysOf(deps, ctx);
  if (!passkeys) return;
  const interaction = await loadInteraction(deps, ctx);
  const held = await passkeys.offers.peek(interaction.uid);
  if (!held) return jsonAnswer(ctx, 409, { error: 'no_sign_in' });
  if (!jsonCsrfValid(ctx, interaction)) return jsonAnswer(ctx, 403, { error: 'csrf' });
  const account = await deps.accounts.findBySub(held.sub);
  const mobile = account?.mobile ? Mobile.fromE164(account.mobile) : undefined;
  const userName = mobile?.masked ?? 'Darvaze';
  jsonAnswer(
    ctx,
    200,
    await passkeys.service.registrationOptions({ sub: held.sub, userName }, interaction.uid),
  );
}

/** POST /interaction/:uid/passkey/register (form): stores the new passkey, then finishes the sign-in. */
export async function passkeyRegister(deps: JourneyDeps, ctx: Context): Promise<void> {
  const step = await enrolFormStep(deps, ctx);
  if (!step) return;
  const { passkeys, interaction, held } = step;
  const response = postedResponse(ctx);
  if (!response) return showEnrolPage(deps, ctx, interaction, { form: { key: 'passkey.enrolFailed' } }, 400);
  const name = field(ctx, 'name', 60).trim() || 'Passkey';
  const result = await passkeys.service.verifyRegistration(held.sub, interaction.uid, response, name);
  if (!result.ok) {
    const key = result.reason === 'duplicate' ? 'passkey.enrolDuplicate' : 'passkey.enrolFailed';
    return showEnrolPage(deps, ctx, interaction, { form: { key } }, 400);
  }
  deps.audit(ctx, 'passkey.enrolled', {
    interaction: interaction.uid,
    sub: held.sub,
    type: result.credential.deviceType,
  });
  await finishHeld(deps, ctx, interaction, passkeys);
}

/** POST /interaction/:uid/passkey/skip: "not now"; not asked again for 30 days. */
export async function passkeySkip(deps: JourneyDeps, ctx: Context): Promise<void> {
  const step = await enrolFormStep(deps, ctx);
  if (!step) return;
  const { passkeys, interaction, held } = step;
  await passkeys.offers.snooze(held.sub);
  await finishHeld(deps, ctx, interaction, passkeys);
}

/** Completes the held sign-in once: a second click (or a racing form) finds nothing and goes on. */
async function finishHeld(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  passkeys: JourneyPasskeys,
): Promise<void> {
  const held = await passkeys.offers.release(interaction.uid);
  if (!held) return redirectToInteraction(ctx, interaction);
  await finishLogin(deps, ctx, interaction, {
    accountId: held.sub,
    acr: held.acr,
    amr: held.amr,
    ts: held.ts,
  });
}
