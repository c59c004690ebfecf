import { type Config, configSchema } from './schema.js';

export type { Config };

/** Raised with every problem at once, so an operator fixes them in one round. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Darvaze cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const MIN_SECRET_LENGTH = 32;
/** Even a 32-character hex token has far more; a typed pattern has fewer. */
const MIN_DISTINCT_CHARACTERS = 8;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const config = parsed.data;
  if (config.production) {
    const problems = productionProblems(config);
    if (problems.length) throw new ConfigError(problems);
  }
  return config;
}

/** Each listed identity provider has its credentials; the simulator is refused. */
function identityProblems(config: Config): string[] {
  const { identity } = config;
  const problems: string[] = [];
  const need = (value: unknown, variable: string, provider: string) => {
    if (!value) problems.push(`${variable} is required with ${provider} in IDENTITY_PROVIDERS`);
  };
  for (const provider of identity.providers) {
    if (provider === 'simulator') {
      problems.push(
        identity.providers.length === 1
          ? 'IDENTITY_SERVICE_URL (or IDENTITY_PROVIDERS) is required: the simulator is for development only'
          : 'IDENTITY_PROVIDERS: simulator is for development only',
      );
    } else if (provider === 'http') {
      if (!identity.url) problems.push('IDENTITY_SERVICE_URL is required with http in IDENTITY_PROVIDERS');
      else if (!identity.token) problems.push('IDENTITY_SERVICE_TOKEN is required with IDENTITY_SERVICE_URL');
    } else if (provider === 'jibit') {
      need(identity.jibit.apiKey, 'JIBIT_API_KEY', provider);
      need(identity.jibit.secretKey, 'JIBIT_SECRET_KEY', provider);
    } else if (provider === 'finnotech') {
      need(identity.finnotech.clientId, 'FINNOTECH_CLIENT_ID', provider);
      need(identity.finnotech.clientSecret, 'FINNOTECH_CLIENT_SECRET', provider);
      need(identity.finnotech.nid, 'FINNOTECH_NID', provider);
    } else if (provider === 'zibal') {
      need(identity.zibal.token, 'ZIBAL_TOKEN', provider);
    }
  }
  return problems;
}

/** Each listed SMS sender has its credentials and template; the console sender is refused. */
function smsProblems(config: Config): string[] {
  const { sms } = config;
  const problems: string[] = [];
  const need = (value: unknown, variable: string, provider: string) => {
    if (!value)
      problems.push(
        `${variable} is required with SMS_PROVIDER=${provider} (or ${provider} in SMS_PROVIDERS)`,
      );
  };
  for (const provider of sms.providers) {
    if (provider === 'console') {
      problems.push(
        'SMS_PROVIDER=console (or console in SMS_PROVIDERS) prints codes: use kavenegar, smsir, ghasedak or melipayamak',
      );
    } else if (provider === 'kavenegar') {
      need(sms.kavenegar.apiKey, 'KAVENEGAR_API_KEY', provider);
      need(sms.kavenegar.template, 'KAVENEGAR_TEMPLATE', provider);
    } else if (provider === 'smsir') {
      need(sms.smsir.apiKey, 'SMSIR_API_KEY', provider);
      need(sms.smsir.templateId, 'SMSIR_TEMPLATE_ID', provider);
    } else if (provider === 'ghasedak') {
      need(sms.ghasedak.apiKey, 'GHASEDAK_API_KEY', provider);
      need(sms.ghasedak.template, 'GHASEDAK_TEMPLATE', provider);
    } else if (provider === 'melipayamak') {
      need(sms.melipayamak.apiKey, 'MELIPAYAMAK_API_KEY', provider);
      need(sms.melipayamak.bodyId, 'MELIPAYAMAK_BODY_ID', provider);
    }
  }
  return problems;
}

/** Long enough, and not a repeated character or short pattern ("aaaa…", "abab…"). */
function strongEnough(token: string): boolean {
  return token.length >= MIN_SECRET_LENGTH && new Set(token).size >= MIN_DISTINCT_CHARACTERS;
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
  problems.push(...identityProblems(config), ...smsProblems(config));
  if (!config.captcha) problems.push('CAPTCHA=off is not allowed in production');
  if (!config.issuer.startsWith('https://')) problems.push('ISSUER must be an https:// URL in production');
  if (!config.trustProxy) {
    problems.push(
      'TRUST_PROXY=true is required: this process speaks plain HTTP, so TLS must end at a proxy in front of it',
    );
  }
  // The admin token is never generated in production (a development one lives in the data
  // folder): it is ADMIN_TOKEN, set explicitly, or the admin API does not exist.
  if (config.adminToken !== undefined && !strongEnough(config.adminToken)) {
    problems.push(
      `ADMIN_TOKEN must be at least ${MIN_SECRET_LENGTH} random characters (e.g. openssl rand -base64 36)`,
    );
  }
  if (config.demo.enabled) problems.push('DEMO=on runs demo relying parties: not in production');
  return problems;
}
