import type { Context, Next } from 'koa';
import { errors } from 'oidc-provider';
import type { Logger } from 'pino';
import { StoreUnavailableError } from '../store/store.js';
import type { Render } from './render.js';
import { BodyParseError } from './request-body.js';
import type { ErrorPage, Message } from './view-models.js';

/**
 * The last line for our own routes (oidc-provider handles its endpoints itself): an expired
 * interaction, a bad request body or a store outage becomes a friendly page with the right
 * status, never a stack trace. Only real bugs answer 500, with a reference for support.
 */
export function errorBoundary(render: Render, logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      const { status, message } = classify(error);
      if (status >= 500 && status !== 503) {
        (ctx.state.logger ?? logger).error({ err: error }, 'unhandled error');
      }
      if (status === 503) ctx.set('Retry-After', '5');
      const model: ErrorPage = {
        titleKey: 'page.error.title',
        message,
        reference: ctx.state.requestId,
      };
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.status = status;
        ctx.body = {
          error:
            status === 503 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : 'invalid_request',
        };
        return;
      }
      await render(ctx, 'error', model, status);
    }
  };
}

const BODY_MESSAGES = {
  too_large: 'error.too_large',
  unsupported: 'error.unsupported_body',
  malformed: 'error.malformed_body',
} as const;

function classify(error: unknown): { status: number; message: Message } {
  if (error instanceof errors.SessionNotFound)
    return { status: 400, message: { key: 'interaction.expired' } };
  // A store outage, directly or as oidc-provider's temporarily_unavailable (src/oidc/store-adapter.ts).
  if (error instanceof StoreUnavailableError || (error as Error).cause instanceof StoreUnavailableError) {
    return { status: 503, message: { key: 'error.unavailable' } };
  }
  // An unreadable body (corrupt compressed stream, unknown encoding, over the limit) is the
  // client's fault: a 4xx without a stack in the log, however deep in the parser it failed.
  if (error instanceof BodyParseError)
    return { status: error.status, message: { key: BODY_MESSAGES[error.reason] } };
  const status = Number(
    (error as { status?: number; statusCode?: number }).status ??
      (error as { statusCode?: number }).statusCode,
  );
  if (status === 413) return { status, message: { key: 'error.too_large' } };
  if (status >= 400 && status < 500) return { status, message: { key: 'error.generic' } };
  return { status: 500, message: { key: 'error.generic' } };
}
