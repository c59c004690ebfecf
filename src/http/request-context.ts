import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (a well-formed incoming X-Request-Id is kept so a proxy's id carries
 * through), a child logger, and one access-log line. The line has the path without its query:
 * queries carry codes, state and tokens.
 */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('x-request-id');
    const id = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.state.logger = logger.child({ requestId: id });
    ctx.set('X-Request-Id', id);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms };
      if (ctx.status >= 500) ctx.state.logger.error(line, 'request');
      else ctx.state.logger.info(line, 'request');
    }
  };
}
