import { z } from 'zod';

/**
 * Every environment variable Darvaze reads, with its default. `.env.example` documents the same
 * list for operators; `test/unit/config.test.ts` keeps the two honest.
 */
const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  ISSUER: optionalString.pipe(z.url().optional()),
  TRUST_PROXY: booleanFlag.default(false),
  // How many proxies in front of this process append to X-Forwarded-For (DESIGN §2.2).
  PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('data'),

  REDIS_URL: optionalString.pipe(z.url().optional()),
  REDIS_CLUSTER_NODES: commaList,
  REDIS_SENTINELS: commaList,
  REDIS_SENTINEL_NAME: z.string().default('mymaster'),
  REDIS_KEY_PREFIX: z.string().default('darvaze:'),

  JWKS_FILE: optionalString,
  COOKIE_KEYS: commaList,
  DATA_ENCRYPTION_KEYS: commaList,
  DATA_INDEX_KEY: optionalString,
  OTP_PEPPER: optionalString,
  CLIENTS_FILE: optionalString,

  IDENTITY_SERVICE_URL: optionalString.pipe(z.url().optional()),
  IDENTITY_SERVICE_TOKEN: optionalString,
  IDENTITY_SERVICE_TIMEOUT_MS: positiveInt(3000),
  IDENTITY_MAX_AGE_DAYS: positiveInt(365),

  SMS_PROVIDER: z.enum(['console', 'kavenegar']).default('console'),
  KAVENEGAR_URL: z.url().default('https://api.kavenegar.com'),
  KAVENEGAR_API_KEY: optionalString,
  KAVENEGAR_TEMPLATE: optionalString,

  // `svg` is the old name of `image`, still accepted so existing settings keep the captcha on.
  CAPTCHA: z.enum(['image', 'svg', 'off']).default('image'),
  ADMIN_TOKEN: optionalString,
  METRICS_TOKEN: optionalString,
  DEMO: z.enum(['on', 'off']).optional(),
  DEMO_SALES_PORT: z.coerce.number().int().min(0).default(3001),
  DEMO_SERVICE_PORT: z.coerce.number().int().min(0).default(3002),

  OTP_TTL_SECONDS: positiveInt(120),
  OTP_MAX_WRONG: positiveInt(5),
  OTP_LOCK_SECONDS: positiveInt(900),
  SMS_PER_MOBILE_HOUR: positiveInt(5),
  SMS_PER_MOBILE_DAY: positiveInt(10),
  SMS_PER_ADDRESS_HOUR: positiveInt(60),
  SMS_GLOBAL_PER_HOUR: positiveInt(20000),
  SMS_COOLDOWN_SECONDS: positiveInt(60),
  IDENTITY_CHECKS_PER_DAY: positiveInt(5),

  SESSION_TTL_SECONDS: positiveInt(12 * 3600),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(900),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt(30 * 24 * 3600),
  SECRET_ROTATION_GRACE_SECONDS: positiveInt(24 * 3600),
  AUDIT_MAX_ENTRIES: positiveInt(100_000),
  AUDIT_RETENTION_DAYS: positiveInt(365),
});

export type Environment = z.infer<typeof environmentSchema>;
