import pino, { type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear. Besides these, code logs no personal data at all:
 * this list is the safety net, `test/security/log-redaction.test.ts` the proof.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.code',
  '*.otp',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.client_secret',
  '*.password',
  '*.mobile',
  '*.phone_number',
  '*.nationalCode',
  '*.national_code',
  '*.birthDate',
  '*.birth_date',
  '*.firstName',
  '*.lastName',
  '*.fatherName',
  '*.apiKey',
  '*.cookie',
  '*.authorization',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'darvaze' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? bufferedStdout(),
  );
}

/**
 * Standard output, written in batches of up to 4 KB (at least once a second, and in full when
 * the process exits) rather than one blocking write per line: an access line per request was a
 * visible share of a refresh grant's CPU time. Lines are never dropped while the process lives.
 */
let stdout: pino.DestinationStream | undefined;

function bufferedStdout(): pino.DestinationStream {
  // One per process, however many loggers: one exit hook, one timer.
  stdout ??= openBufferedStdout();
  return stdout;
}

function openBufferedStdout(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), 1000).unref();
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing left to write, or stdout already gone.
    }
  });
  return destination;
}
