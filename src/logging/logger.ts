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
    options.destination,
  );
}
