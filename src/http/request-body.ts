import type { Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';

/** Why a request body could not be read; each is the client's fault, never a 5xx. */
export type BodyFailure = 'too_large' | 'unsupported' | 'malformed';

/**
 * A request body the parser could not read: too large (413, also when it only grows that large
 * once decompressed — a compression bomb stops at the limit), an unknown Content-Encoding or
 * charset (415), or anything else (400: a corrupt gzip/deflate/br stream, a body shorter than its
 * Content-Length, bad JSON). `expose`: the status and message may be shown; no body content is
 * kept, so logging it is safe.
 */
export class BodyParseError extends Error {
  readonly expose = true;
  constructor(
    readonly status: 400 | 413 | 415,
    readonly reason: BodyFailure,
  ) {
    super(`request body refused: ${reason}`);
    this.name = 'BodyParseError';
  }
}

const REASONS = { 400: 'malformed', 413: 'too_large', 415: 'unsupported' } as const;

/**
 * Every parse failure as a BodyParseError. koa-body (co-body, raw-body, zlib underneath) sets a
 * 4xx `status` on some failures only: a zlib error on a corrupt stream has none, and used to
 * surface as a 500 with a stack trace.
 */
export function toBodyParseError(error: unknown): BodyParseError {
  const status = Number((error as { status?: unknown } | null)?.status);
  const mapped = status === 413 || status === 415 ? status : 400;
  return new BodyParseError(mapped, REASONS[mapped]);
}

export interface BodyOptions {
  /** Largest body after decompression, e.g. '16kb'. */
  limit: string;
  /** Methods whose body is read (default POST). */
  methods?: Array<'POST' | 'PUT' | 'PATCH'>;
}

/** An application/x-www-form-urlencoded body into ctx.request.body; failures throw BodyParseError. */
export function formBody({ limit, methods = ['POST'] }: BodyOptions): Middleware {
  return koaBody({
    urlencoded: true,
    json: false,
    multipart: false,
    text: false,
    formLimit: limit,
    parsedMethods: methods.map((method) => HttpMethodEnum[method]),
    onError: (error) => {
      throw toBodyParseError(error);
    },
  });
}

/** A JSON body (objects and arrays only) into ctx.request.body; failures throw BodyParseError. */
export function jsonBody({ limit, methods = ['POST'] }: BodyOptions): Middleware {
  return koaBody({
    json: true,
    urlencoded: false,
    text: false,
    multipart: false,
    jsonStrict: true,
    jsonLimit: limit,
    patchNode: false,
    patchKoa: true,
    parsedMethods: methods.map((method) => HttpMethodEnum[method]),
    onError: (error) => {
      throw toBodyParseError(error);
    },
  });
}
