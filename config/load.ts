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
