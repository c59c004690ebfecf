import type { Context } from 'koa';
import { DEFAULT_INITIAL_ACCESS_TOKEN_SECONDS } from '../../admin/client-registry.js';
import { whoLabel } from '../site-view.js';
import { CONSOLE_PATH } from './console-deps.js';
import type { SectionTools } from './section-tools.js';

const TOKEN_LIFETIMES = [
  { seconds: 3600, key: 'admin.registration.hour' },
  { seconds: DEFAULT_INITIAL_ACCESS_TOKEN_SECONDS, key: 'admin.registration.day' },
  { seconds: 7 * 86400, key: 'admin.registration.week' },
  { seconds: 30 * 86400, key: 'admin.registration.month' },
];

/** Registration: the initial access tokens for /reg (list, issue, revoke). */
export function addRegistrationRoutes({
  deps,
  router,
  forms,
  change,
  page,
  actorOf,
  when,
  notice,
}: SectionTools): void {
  const { registry } = deps;

  const registrationPage = async (ctx: Context, extra: object = {}, status = 200) => {
    const tokens = await registry.listInitialAccessTokens();
    await page(
      ctx,
      'admin-registration',
      'registration',
      'admin.registration.title',
      {
        lifetimes: TOKEN_LIFETIMES,
        notice: notice(ctx),
        tokens: tokens.map((token) => ({
          id: token.id,
          usable: token.usable,
          who: whoLabel(token.who),
          issued: when(ctx, token.issuedAt * 1000),
          until: when(ctx, token.expiresAt * 1000),
        })),
        ...extra,
      },
      status,
    );
  };

  router.get('/registration', (ctx) => registrationPage(ctx));

  router.post(
    '/registration',
    forms,
    change(() => `${CONSOLE_PATH}/registration`),
    async (ctx) => {
      const raw = (ctx.request.body as Record<string, unknown>).expires_in;
      const seconds = Number(raw);
      if (!TOKEN_LIFETIMES.some((option) => option.seconds === seconds)) {
        return registrationPage(
          ctx,
          { errors: { expires_in: { key: 'admin.registration.badLifetime' } } },
          400,
        );
      }
      const issued = await registry.issueInitialAccessToken(seconds, actorOf(ctx));
      await page(ctx, 'admin-secret', 'registration', 'admin.secret.tokenTitle', {
        explainKey: 'admin.secret.tokenExplain',
        secretLabelKey: 'admin.registration.token',
        secret: issued.initial_access_token,
        untilLabelKey: 'admin.secret.tokenUntil',
        until: when(ctx, deps.now() + issued.expires_in * 1000),
        nextUrl: `${CONSOLE_PATH}/registration`,
      });
    },
  );

  router.post(
    '/registration/revoke',
    forms,
    change(() => `${CONSOLE_PATH}/registration`),
    async (ctx) => {
      const id = (ctx.request.body as Record<string, unknown>).id;
      const revoked = typeof id === 'string' && (await registry.revokeInitialAccessToken(id, actorOf(ctx)));
      ctx.status = 303;
      ctx.redirect(`${CONSOLE_PATH}/registration?done=${revoked ? 'revoked' : 'gone'}`);
    },
  );
}
