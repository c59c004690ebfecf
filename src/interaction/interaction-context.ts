import type { Context } from 'koa';
import type { InteractionResults } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { PageBase } from '../http/view-models.js';
import type { Locale } from '../i18n/index.js';
import { pickLocale } from '../i18n/index.js';
import { clientNameFor } from '../oidc/client-names.js';
import type { JourneyDeps } from './journey-deps.js';
import { csrfMatches, type JourneyState } from './journey-state.js';

export type InteractionDetails = Awaited<ReturnType<JourneyDeps['provider']['interactionDetails']>>;

export interface Interaction {
  uid: string;
  details: InteractionDetails;
  state: JourneyState;
  clientName: string;
  action: string;
}

const INTERACTION_UID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Loads the interaction the browser's cookie points at and checks it is the one in the URL; an
 * expired or foreign interaction raises SessionNotFound, which the error boundary turns into a
 * friendly "start again" page.
 */
export async function loadInteraction(deps: JourneyDeps, ctx: Context): Promise<Interaction> {
  // The journey state is read at the same time as the interaction (one wait, not two); it is
  // only used once the interaction the cookie points at turns out to be the one in the URL.
  const uid = String(ctx.params.uid);
  // oidc-provider's uids are short URL-safe ids: anything else is no interaction of ours, and
  // never becomes a store key.
  if (!INTERACTION_UID.test(uid)) throw new errors.SessionNotFound('interaction mismatch');
  const [details, state] = await Promise.all([
    deps.provider.interactionDetails(ctx.req, ctx.res),
    deps.journeys.load(uid),
  ]);
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
  ctx.state.locale = pickLocale({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    uiLocales: typeof details.params.ui_locales === 'string' ? details.params.ui_locales : undefined,
    acceptLanguage: ctx.get('accept-language'),
  });
  const client = await deps.provider.Client.find(String(details.params.client_id));
  return {
    uid: details.uid,
    details,
    state,
    clientName: clientNameFor(client, ctx.state.locale as Locale, String(details.params.client_id)),
    action: `/interaction/${details.uid}`,
  };
}

export function pageBase(interaction: Interaction, titleKey: string): PageBase {
  return {
    titleKey,
    clientName: interaction.clientName,
    csrf: interaction.state.csrf,
    action: interaction.action,
  };
}

/** Reads a form field as a bounded string; anything else (arrays, objects) reads as empty. */
export function field(ctx: Context, name: string, maxLength = 200): string {
  const value = (ctx.request as { body?: Record<string, unknown> }).body?.[name];
  return typeof value === 'string' ? value.slice(0, maxLength) : '';
}

/** True when the form carries this interaction's CSRF token. */
export function csrfValid(ctx: Context, interaction: Interaction): boolean {
  return csrfMatches(interaction.state, field(ctx, 'csrf'));
}

export async function saveState(deps: JourneyDeps, interaction: Interaction): Promise<void> {
  await deps.journeys.save(interaction.uid, interaction.state, deps.interactionTtlSeconds);
}

/** Post/Redirect/Get: after a successful POST the browser goes back to the step's page. */
export function redirectToInteraction(ctx: Context, interaction: Interaction): void {
  ctx.status = 303;
  ctx.redirect(interaction.action);
}

/**
 * Hands the result to oidc-provider and sends the browser on to the authorization endpoint.
 * @param mergeWithLastSubmission keep the login this authorization request just went through
 *   (consent right after a sign-in): without it a request with `max_age=0` or `prompt=login`
 *   that also needs consent would ask for the sign-in again after the consent, for ever.
 */
export async function finishInteraction(
  deps: JourneyDeps,
  ctx: Context,
  interaction: Interaction,
  result: InteractionResults,
  { mergeWithLastSubmission = false } = {},
): Promise<void> {
  // What provider.interactionResult does, on the interaction this request already loaded (and
  // checked against its signed cookie): interactionResult would load it, and check the cookie
  // and the session, a second time in the same request (issue 17).
  const { details } = interaction;
  details.result =
    mergeWithLastSubmission && !('error' in result) ? { ...details.lastSubmission, ...result } : result;
  await details.save(details.exp - Math.floor(Date.now() / 1000));
  const redirectTo = details.returnTo;
  await deps.journeys.clear(interaction.uid);
  ctx.status = 303;
  ctx.redirect(redirectTo);
}

export function minutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}
