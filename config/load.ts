import { type Environment, environmentSchema } from './schema.js';

export type StoreConfig =
  | { kind: 'memory' }
  | {
      kind: 'redis';
      url?: string;
      clusterNodes: string[];
      sentinels: string[];
      sentinelName: string;
      keyPrefix: string;
    };

export interface Config {
  env: Environment['NODE_ENV'];
  production: boolean;
  port: number;
  host: string;
  issuer: string;
  trustProxy: boolean;
  /**
   * With trustProxy: the client address is the `proxyHops`-th X-Forwarded-For entry counted from
   * the right (DESIGN §2.2); entries further left are client-supplied.
   */
  proxyHops: number;
  logLevel: Environment['LOG_LEVEL'];
  dataDir: string;
  store: StoreConfig;
  jwksFile?: string;
  cookieKeys: string[];
  dataEncryptionKeys: string[];
  dataIndexKey?: string;
  otpPepper?: string;
  clientsFile?: string;
  identity: { url?: string; token?: string; timeoutMs: number; maxAgeDays: number };
  sms: { provider: 'console' | 'kavenegar'; kavenegar: { url: string; apiKey?: string; template?: string } };
  captcha: boolean;
  adminToken?: string;
  metricsToken?: string;
  demo: { enabled: boolean; salesPort: number; servicePort: number };
  limits: {
    otpTtlSeconds: number;
    otpMaxWrong: number;
    otpLockSeconds: number;
    smsPerMobileHour: number;
    smsPerMobileDay: number;
    smsPerAddressHour: number;
    smsGlobalPerHour: number;
    smsCooldownSeconds: number;
    identityChecksPerDay: number;
  };
  ttl: { sessionSeconds: number; accessTokenSeconds: number; refreshTokenSeconds: number };
  secretRotationGraceSeconds: number;
  /** The security audit trail: entries kept, and days kept. */
  audit: { maxEntries: number; retentionDays: number };
  /** Settings running on a development-only default, for the start-up summary. */
  developmentDefaults: string[];
}

/** Raised with every problem at once, so an operator fixes them in one round. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Darvaze cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const MIN_SECRET_LENGTH = 32;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const usesRedis = Boolean(env.REDIS_URL || env.REDIS_CLUSTER_NODES.length || env.REDIS_SENTINELS.length);
  const config: Config = {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    issuer: (env.ISSUER ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY,
    proxyHops: env.PROXY_HOPS,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    store: usesRedis
      ? {
          kind: 'redis',
          url: env.REDIS_URL,
          clusterNodes: env.REDIS_CLUSTER_NODES,
          sentinels: env.REDIS_SENTINELS,
          sentinelName: env.REDIS_SENTINEL_NAME,
          keyPrefix: env.REDIS_KEY_PREFIX,
        }
      : { kind: 'memory' },
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
    limits: {
      otpTtlSeconds: env.OTP_TTL_SECONDS,
      otpMaxWrong: env.OTP_MAX_WRONG,
      otpLockSeconds: env.OTP_LOCK_SECONDS,
      smsPerMobileHour: env.SMS_PER_MOBILE_HOUR,
      smsPerMobileDay: env.SMS_PER_MOBILE_DAY,
      smsPerAddressHour: env.SMS_PER_ADDRESS_HOUR,
      smsGlobalPerHour: env.SMS_GLOBAL_PER_HOUR,
      smsCooldownSeconds: env.SMS_COOLDOWN_SECONDS,
      identityChecksPerDay: env.IDENTITY_CHECKS_PER_DAY,
    },
    ttl: {
      sessionSeconds: env.SESSION_TTL_SECONDS,
      accessTokenSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    },
    secretRotationGraceSeconds: env.SECRET_ROTATION_GRACE_SECONDS,
    audit: { maxEntries: env.AUDIT_MAX_ENTRIES, retentionDays: env.AUDIT_RETENTION_DAYS },
    developmentDefaults: [],
  };
  config.developmentDefaults = developmentDefaultsOf(config);
  if (production) {
    const problems = productionProblems(config);
    if (problems.length) throw new ConfigError(problems);
  }
  return config;
}

function developmentDefaultsOf(config: Config): string[] {
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

/** Everything that makes a production start unsafe; each problem names its variable. */
export function productionProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.store.kind === 'memory') {
    problems.push(
      'REDIS_URL (or REDIS_CLUSTER_NODES / REDIS_SENTINELS) is required: the in-memory store loses every session and counter on restart',
    );
  }
  if (!config.jwksFile)
    problems.push('JWKS_FILE is required: generated development keys are not for production');
  if (!config.cookieKeys.length) problems.push('COOKIE_KEYS is required (comma-separated, newest first)');
  else if (config.cookieKeys.some((key) => key.length < MIN_SECRET_LENGTH)) {
    problems.push(`COOKIE_KEYS: every key must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (!config.dataEncryptionKeys.length)
    problems.push('DATA_ENCRYPTION_KEYS is required (base64 32-byte keys, newest first)');
  if (!config.dataIndexKey)
    problems.push('DATA_INDEX_KEY is required (base64 32-byte key for the lookup indexes)');
  if (!config.otpPepper || config.otpPepper.length < MIN_SECRET_LENGTH) {
    problems.push(`OTP_PEPPER is required (at least ${MIN_SECRET_LENGTH} characters)`);
  }
  if (!config.identity.url)
    problems.push('IDENTITY_SERVICE_URL is required: the simulator is for development only');
  else if (!config.identity.token)
    problems.push('IDENTITY_SERVICE_TOKEN is required with IDENTITY_SERVICE_URL');
  if (config.sms.provider === 'console')
    problems.push('SMS_PROVIDER=console prints codes: use SMS_PROVIDER=kavenegar');
  else {
    if (!config.sms.kavenegar.apiKey)
      problems.push('KAVENEGAR_API_KEY is required with SMS_PROVIDER=kavenegar');
    if (!config.sms.kavenegar.template)
      problems.push('KAVENEGAR_TEMPLATE is required with SMS_PROVIDER=kavenegar');
  }
  if (!config.captcha) problems.push('CAPTCHA=off is not allowed in production');
  if (!config.issuer.startsWith('https://')) problems.push('ISSUER must be an https:// URL in production');
  if (!config.trustProxy) {
    problems.push(
      'TRUST_PROXY=true is required: this process speaks plain HTTP, so TLS must end at a proxy in front of it',
    );
  }
  if (config.adminToken !== undefined && config.adminToken.length < MIN_SECRET_LENGTH) {
    problems.push(`ADMIN_TOKEN must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (config.demo.enabled) problems.push('DEMO=on runs demo relying parties: not in production');
  return problems;
}
