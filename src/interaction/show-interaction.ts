import type { Context } from 'koa';
import { showCodePage } from './code-step.js';
import { showConsentPage } from './consent-step.js';
import { showIdentityPage } from './identity-step.js';
import { loadInteraction } from './interaction-context.js';
import type { JourneyDeps } from './journey-deps.js';
import { showMobilePage } from './mobile-step.js';

/** GET /interaction/:uid — "skip or render": shows the page of the step the sign-in is at. */
export async function showInteraction(deps: JourneyDeps, ctx: Context): Promise<void> {
  // A new sign-in's state is not stored on first sight: its CSRF token needs no storing
  // (journey-state.ts), and the first POST that changes the state stores it.
  const interaction = await loadInteraction(deps, ctx);
  if (interaction.details.prompt.name === 'consent') return showConsentPage(deps, ctx, interaction);
  switch (interaction.state.step) {
    case 'code':
      return showCodePage(deps, ctx, interaction, {
        notice: ctx.query.notice === 'resent' ? { key: 'code.resent' } : undefined,
      });
    case 'identity':
      return showIdentityPage(deps, ctx, interaction);
    default:
      return showMobilePage(deps, ctx, interaction);
  }
}
