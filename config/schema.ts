import { z } from 'zod';
import { NationalCode } from '../src/validation/national-code.js';

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

/** An ordered list of names from a fixed set, each at most once (`IDENTITY_PROVIDERS`, `SMS_PROVIDERS`). */
const providerList = <const T extends readonly [string, ...string[]]>(names: T) =>
  commaList
    .pipe(
      z.array(
        z.enum(names, {
          error: (issue) => `unknown name ${JSON.stringify(issue.input)}; known: ${names.join(', ')}`,
        }),
      ),
    )
    .refine((list) => new Set(list).size === list.length, 'a name is listed twice');

export const IDENTITY_PROVIDER_NAMES = ['jibit', 'finnotech', 'zibal', 'http', 'simulator'] as const;
export const SMS_PROVIDER_NAMES = ['kavenegar', 'smsir', 'ghasedak', 'melipayamak', 'console'] as const;

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
  // Ordered; unset: `http` with IDENTITY_SERVICE_URL, else `simulator` (the settings before vendors).
  IDENTITY_PROVIDERS: providerList(IDENTITY_PROVIDER_NAMES),
  JIBIT_URL: z.url().default('https://napi.jibit.ir/ide'),
  JIBIT_API_KEY: optionalString,
  JIBIT_SECRET_KEY: optionalString,
  FINNOTECH_URL: z.url().default('https://api.finnotech.ir'),
  FINNOTECH_CLIENT_ID: optionalString,
  FINNOTECH_CLIENT_SECRET: optionalString,
  FINNOTECH_NID: optionalString.pipe(
    z
      .string()
      .regex(/^\d{10}$/, 'must be 10 ASCII digits')
      .optional(),
  ),
  FINNOTECH_SHAHKAR_ROUTE: z.enum(['facility', 'mpg']).default('facility'),
  FINNOTECH_SCOPES: optionalString,
  ZIBAL_URL: z.url().default('https://api.zibal.ir'),
  ZIBAL_TOKEN: optionalString,

  SMS_PROVIDER: z.enum(['console', 'kavenegar']).default('console'),
  // Ordered; unset: SMS_PROVIDER alone.
  SMS_PROVIDERS: providerList(SMS_PROVIDER_NAMES),
  KAVENEGAR_URL: z.url().default('https://api.kavenegar.com'),
  KAVENEGAR_API_KEY: optionalString,
  KAVENEGAR_TEMPLATE: optionalString,
  SMSIR_URL: z.url().default('https://api.sms.ir'),
  SMSIR_API_KEY: optionalString,
  SMSIR_TEMPLATE_ID: z.coerce.number().int().positive().optional(),
  SMSIR_CODE_PARAMETER: z.string().trim().min(1).default('Code'),
  GHASEDAK_URL: z.url().default('https://gateway.ghasedak.me'),
  GHASEDAK_API_KEY: optionalString,
  GHASEDAK_TEMPLATE: optionalString,
  GHASEDAK_CODE_PARAMETER: z.string().trim().min(1).default('Code'),
  MELIPAYAMAK_URL: z.url().default('https://console.melipayamak.com'),
  MELIPAYAMAK_API_KEY: optionalString,
  MELIPAYAMAK_BODY_ID: z.coerce.number().int().positive().optional(),

  // `svg` is the old name of `image`, still accepted so existing settings keep the captcha on.
  CAPTCHA: z.enum(['image', 'svg', 'off']).default('image'),
  ADMIN_TOKEN: optionalString,
  // Who may use the admin console (/admin): national codes, comma-separated; empty: nobody.
  ADMIN_NATIONAL_CODES: commaList.pipe(
    z.array(
      z.string().refine((code) => NationalCode.fromDigits(code) !== undefined, {
        error: 'every entry must be a valid national code (10 ASCII digits with a valid check digit)',
      }),
    ),
  ),
  // A change in the admin console needs a sign-in at most this old (max_age).
  ADMIN_FRESH_SIGN_IN_SECONDS: positiveInt(300),
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
    identity: identityOf(env),
    sms: smsOf(env),
    captcha: env.CAPTCHA !== 'off',
    adminToken: env.ADMIN_TOKEN,
    /** The admin console's allow list (10-digit national codes, validated); empty: the console refuses everyone. */
    adminNationalCodes: [...new Set(env.ADMIN_NATIONAL_CODES)],
    /** How old a console admin's sign-in may be for a change (seconds); older: the journey again. */
    adminFreshSignInSeconds: env.ADMIN_FRESH_SIGN_IN_SECONDS,
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

function identityOf(env: Environment) {
  const fallback = env.IDENTITY_SERVICE_URL ? 'http' : 'simulator';
  return {
    url: env.IDENTITY_SERVICE_URL,
    token: env.IDENTITY_SERVICE_TOKEN,
    timeoutMs: env.IDENTITY_SERVICE_TIMEOUT_MS,
    maxAgeDays: env.IDENTITY_MAX_AGE_DAYS,
    /** Asked in this order; the next only when one cannot answer. */
    providers: env.IDENTITY_PROVIDERS.length ? env.IDENTITY_PROVIDERS : [fallback as IdentityProviderName],
    jibit: { url: env.JIBIT_URL, apiKey: env.JIBIT_API_KEY, secretKey: env.JIBIT_SECRET_KEY },
    finnotech: {
      url: env.FINNOTECH_URL,
      clientId: env.FINNOTECH_CLIENT_ID,
      clientSecret: env.FINNOTECH_CLIENT_SECRET,
      nid: env.FINNOTECH_NID,
      shahkarRoute: env.FINNOTECH_SHAHKAR_ROUTE,
      scopes: env.FINNOTECH_SCOPES,
    },
    zibal: { url: env.ZIBAL_URL, token: env.ZIBAL_TOKEN },
  };
}

function smsOf(env: Environment) {
  return {
    /** The single-sender setting (contracts §2.4); `providers` is what is used. */
    provider: env.SMS_PROVIDER,
    /** Tried in this order on gateway failures. */
    providers: env.SMS_PROVIDERS.length ? env.SMS_PROVIDERS : [env.SMS_PROVIDER as SmsProviderName],
    kavenegar: { url: env.KAVENEGAR_URL, apiKey: env.KAVENEGAR_API_KEY, template: env.KAVENEGAR_TEMPLATE },
    smsir: {
      url: env.SMSIR_URL,
      apiKey: env.SMSIR_API_KEY,
      templateId: env.SMSIR_TEMPLATE_ID,
      codeParameter: env.SMSIR_CODE_PARAMETER,
    },
    ghasedak: {
      url: env.GHASEDAK_URL,
      apiKey: env.GHASEDAK_API_KEY,
      template: env.GHASEDAK_TEMPLATE,
      codeParameter: env.GHASEDAK_CODE_PARAMETER,
    },
    melipayamak: {
      url: env.MELIPAYAMAK_URL,
      apiKey: env.MELIPAYAMAK_API_KEY,
      bodyId: env.MELIPAYAMAK_BODY_ID,
    },
  };
}

export type IdentityProviderName = (typeof IDENTITY_PROVIDER_NAMES)[number];
export type SmsProviderName = (typeof SMS_PROVIDER_NAMES)[number];

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
  if (config.identity.providers.includes('simulator'))
    defaults.push('built-in identity-service simulator (IDENTITY_SERVICE_URL and IDENTITY_PROVIDERS unset)');
  if (config.sms.providers.includes('console'))
    defaults.push('SMS codes printed to the console (SMS_PROVIDER=console)');
  if (!config.captcha) defaults.push('captcha off (CAPTCHA=off)');
  if (config.env === 'development' && !config.adminToken) {
    defaults.push(
      `generated admin token in ${config.dataDir}/admin-token (ADMIN_TOKEN unset): development only, production needs its own ADMIN_TOKEN`,
    );
  }
  return defaults;
}
