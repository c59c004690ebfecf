import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { createGuardedRouter } from '../http/guarded-router.js';
import { formBody, jsonBody } from '../http/request-body.js';
import { changeMobile, resendCode, submitCode } from './code-step.js';
import { abortInteraction, submitConsent } from './consent-step.js';
import { submitIdentity } from './identity-step.js';
import type { JourneyDeps } from './journey-deps.js';
import { submitMobile } from './mobile-step.js';
import {
  passkeyRegister,
  passkeyRegisterOptions,
  passkeySignIn,
  passkeySignInOptions,
  passkeySkip,
  showPasskeyEnrol,
} from './passkey-step.js';
import { showInteraction } from './show-interaction.js';

type Handler = (deps: JourneyDeps, ctx: Context) => Promise<void>;

/** The interaction pages: one route per step action; every response is no-store. */
export function createInteractionRouter(deps: JourneyDeps): Router {
  const forms = formBody({ limit: '16kb' });
  const noStore = async (ctx: Context, next: Next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
  const handle = (handler: Handler) => (ctx: Context) => handler(deps, ctx);

  const router = createGuardedRouter({ prefix: '/interaction/:uid', guards: [noStore] });
  router.get('/', handle(showInteraction));
  router.get('/abort', handle(abortInteraction));
  router.post('/mobile', forms, handle(submitMobile));
  router.post('/code', forms, handle(submitCode));
  router.post('/resend', forms, handle(resendCode));
  router.post('/change-mobile', forms, handle(changeMobile));
  router.post('/identity', forms, handle(submitIdentity));
  router.post('/consent', forms, handle(submitConsent));
  // Passkeys (passkey-step.ts): the options calls are JSON, the answers ordinary forms.
  const json = jsonBody({ limit: '4kb' });
  router.post('/passkey/options', json, handle(passkeySignInOptions));
  router.post('/passkey/sign-in', forms, handle(passkeySignIn));
  router.get('/passkey/enrol', handle(showPasskeyEnrol));
  router.post('/passkey/register-options', json, handle(passkeyRegisterOptions));
  router.post('/passkey/register', forms, handle(passkeyRegister));
  router.post('/passkey/skip', forms, handle(passkeySkip));
  return router;
}
