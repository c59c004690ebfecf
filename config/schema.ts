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
  // DESIGN fixes 6 digits; fewer is refused (docs/security.md: at least 6), more is allowed.
  OTP_LENGTH: z.coerce.number().int().min(6).max(10).default(6),
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

/**
 * The environment in the shape the code reads. `Config` is inferred from this transform, so a
 * setting has one source: its variable and default above, its place below.
 */
export const configSchema = environmentSchema.transform((env) => {
  const settings = settingsOf(env);
  return { ...settings, developmentDefaults: developmentDefaultsOf(settings) };
});

export type Config = z.output<typeof configSchema>;

function settingsOf(env: Environment) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    issuer: (env.ISSUER ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY,
    /**
     * With trustProxy: the client address is the `proxyHops`-th X-Forwarded-For entry counted from
     * the right (DESIGN §2.2); entries further left are client-supplied.
     */
    proxyHops: env.PROXY_HOPS,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    store: storeOf(env),
    jwksFile: env.JWKS_FILE,
    cookieKeys: env.COOKIE_KEYS,
    dataEncryptionKeys: env.DATA_ENCRYPTION_KEYS,
    dataIndexKey: env.DATA_INDEX_KEY,
    otpPepper: env.OTP_PEPPER,
    clientsFile: env.CLIENTS_FILE,
    identity: {
      url: env.IDENTITY_SERVICE_URL,
      token: env.IDENTITY_SERVICE_TOKEN,
      timeoutMs: env.IDENTITY_SERVICE_TIMEOUT_MS,
      maxAgeDays: env.IDENTITY_MAX_AGE_DAYS,
    },
    sms: {
      provider: env.SMS_PROVIDER,
      kavenegar: { url: env.KAVENEGAR_URL, apiKey: env.KAVENEGAR_API_KEY, template: env.KAVENEGAR_TEMPLATE },
    },
    captcha: env.CAPTCHA !== 'off',
    adminToken: env.ADMIN_TOKEN,
    metricsToken: env.METRICS_TOKEN,
    demo: {
      enabled: (env.DEMO ?? (production ? 'off' : 'on')) === 'on',
      salesPort: env.DEMO_SALES_PORT,
      servicePort: env.DEMO_SERVICE_PORT,
    },
    limits: limitsOf(env),
    ttl: {
      sessionSeconds: env.SESSION_TTL_SECONDS,
      accessTokenSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    },
    secretRotationGraceSeconds: env.SECRET_ROTATION_GRACE_SECONDS,
    /** The security audit trail: entries kept, and days kept. */
    audit: { maxEntries: env.AUDIT_MAX_ENTRIES, retentionDays: env.AUDIT_RETENTION_DAYS },
  };
}

function storeOf(env: Environment) {
  if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES.length && !env.REDIS_SENTINELS.length) {
    return { kind: 'memory' as const };
  }
  return {
    kind: 'redis' as const,
    url: env.REDIS_URL,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    sentinels: env.REDIS_SENTINELS,
    sentinelName: env.REDIS_SENTINEL_NAME,
    keyPrefix: env.REDIS_KEY_PREFIX,
  };
}

/**
 * Grouped in the shapes the domain factories take (createOneTimeCodes, createSmsSendPolicy,
 * createIdentityCheckPolicy), which have no defaults of their own: these are the only ones.
 */
function limitsOf(env: Environment) {
  return {
    otp: {
      ttlSeconds: env.OTP_TTL_SECONDS,
      length: env.OTP_LENGTH,
      maxWrongAttempts: env.OTP_MAX_WRONG,
      lockSeconds: env.OTP_LOCK_SECONDS,
    },
    sms: {
      perMobilePerHour: env.SMS_PER_MOBILE_HOUR,
      perMobilePerDay: env.SMS_PER_MOBILE_DAY,
      perAddressPerHour: env.SMS_PER_ADDRESS_HOUR,
      globalPerHour: env.SMS_GLOBAL_PER_HOUR,
      resendCooldownSeconds: env.SMS_COOLDOWN_SECONDS,
    },
    identityChecks: {
      perMobilePerDay: env.IDENTITY_CHECKS_PER_DAY,
      perNationalCodePerDay: env.IDENTITY_CHECKS_PER_DAY,
    },
  };
}

/** Settings running on a development-only default, for the start-up summary. */
function developmentDefaultsOf(config: ReturnType<typeof settingsOf>): string[] {
  const defaults: string[] = [];
  if (config.store.kind === 'memory')
    defaults.push('in-memory store (REDIS_URL unset): state is lost on restart');
  if (!config.jwksFile) defaults.push('generated signing keys (JWKS_FILE unset)');
  if (!config.cookieKeys.length) defaults.push('generated cookie keys (COOKIE_KEYS unset)');
  if (!config.dataEncryptionKeys.length || !config.dataIndexKey || !config.otpPepper) {
    defaults.push('generated data secrets (DATA_ENCRYPTION_KEYS / DATA_INDEX_KEY / OTP_PEPPER unset)');
  }
  if (!config.identity.url) defaults.push('built-in identity-service simulator (IDENTITY_SERVICE_URL unset)');
  if (config.sms.provider === 'console')
    defaults.push('SMS codes printed to the console (SMS_PROVIDER=console)');
  if (!config.captcha) defaults.push('captcha off (CAPTCHA=off)');
  return defaults;
}
