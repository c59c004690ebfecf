import type Router from '@koa/router';
import type { Context } from 'koa';
import {
  createFirstPartyClients,
  type FirstPartyClientSpec,
  type FirstPartyClients,
} from '../first-party/first-party-clients.js';
import {
  type CallbackProblem,
  createFirstPartySignIn,
  type FirstPartySignIn,
} from '../first-party/first-party-sign-in.js';
import { createGuardedRouter } from '../http/guarded-router.js';
import type { Render } from '../http/render.js';
import type { ErrorPage } from '../http/view-models.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';

export interface FirstPartyWiring {
  clients: FirstPartyClients;
  /** The sign-in of one first-party client (throws for an id that is not one). */
  signIn(clientId: string): FirstPartySignIn;
  /** `GET <path>/callback` of every first-party client. */
  callbacks: Router;
}

/** The problem page of a client whose spec names none: the person's page's. */
const DEFAULT_PROBLEM_PAGE: Record<CallbackProblem, string> & { titleKey: string } = {
  titleKey: 'page.account.title',
  cancelled: 'account.signInCancelled',
  expired: 'account.signInExpired',
  failed: 'account.signInFailed',
};

/**
 * Darvaze's own pages as relying parties of the provider (src/first-party/): their clients (to
 * register as static clients), one sign-in each, and their callback routes. A second page (the
 * admin console) is one more spec in `specs`, with its own path and cookie name.
 */
export function wireFirstParty(deps: {
  issuer: string;
  /** Key the clients' secrets are derived from (HMAC). */
  secretKey: Buffer | string;
  specs: readonly FirstPartyClientSpec[];
  store: Store;
  now: Clock;
  production: boolean;
  render: Render;
}): FirstPartyWiring {
  const clients = createFirstPartyClients(deps.issuer, deps.secretKey, deps.specs);
  const signIns = new Map<string, FirstPartySignIn>();
  const callbacks = createGuardedRouter({ guards: [] });
  for (const client of clients.list) {
    const signIn = createFirstPartySignIn({
      client,
      issuer: deps.issuer,
      store: deps.store,
      now: deps.now,
      production: deps.production,
      uiLocales: (ctx: Context) => (typeof ctx.state.locale === 'string' ? ctx.state.locale : undefined),
      onCallbackProblem: async (ctx, problem) => {
        const page = client.problemPage ?? DEFAULT_PROBLEM_PAGE;
        const model: ErrorPage = {
          titleKey: page.titleKey,
          message: { key: page[problem] },
          backUrl: client.path,
        };
        await deps.render(ctx, 'error', model, problem === 'failed' ? 502 : 400);
      },
    });
    signIns.set(client.clientId, signIn);
    callbacks.get(`${client.path}/callback`, signIn.callback);
  }
  return {
    clients,
    callbacks,
    signIn(clientId) {
      const found = signIns.get(clientId);
      if (!found) throw new Error(`no first-party client ${clientId}`);
      return found;
    },
  };
}
