import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config/load.js';
import { environmentSchema } from '../../config/schema.js';

const SAFE_PRODUCTION: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  ISSUER: 'https://login.example.ir',
  TRUST_PROXY: 'true',
  REDIS_URL: 'redis://10.0.0.1:6379',
  JWKS_FILE: '/run/secrets/jwks.json',
  COOKIE_KEYS: 'k'.repeat(40),
  DATA_ENCRYPTION_KEYS: Buffer.alloc(32, 1).toString('base64'),
  DATA_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
  OTP_PEPPER: 'p'.repeat(40),
  IDENTITY_SERVICE_URL: 'https://identity.example.ir',
  IDENTITY_SERVICE_TOKEN: 'token',
  SMS_PROVIDER: 'kavenegar',
  KAVENEGAR_API_KEY: 'key',
  KAVENEGAR_TEMPLATE: 'darvaze-otp',
  CAPTCHA: 'image',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('configuration', () => {
  it('starts in development with nothing set, on development-only defaults it names', () => {
    const config = loadConfig({});
    expect(config.issuer).to.equal('http://localhost:3000');
    expect(config.store.kind).to.equal('memory');
    expect(config.demo.enabled).to.equal(true);
    expect(config.developmentDefaults.join(' '))
      .to.match(/in-memory store/)
      .and.match(/generated signing keys/)
      .and.match(/generated admin token in data\/admin-token \(ADMIN_TOKEN unset\): development only/);
    // An explicit token is not a development default; tests never get a generated one.
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(40) }).developmentDefaults.join(' ')).to.not.match(
      /admin token/,
    );
    expect(loadConfig({ NODE_ENV: 'test' }).developmentDefaults.join(' ')).to.not.match(/admin token/);
  });

  it('accepts a complete, safe production configuration', () => {
    const config = loadConfig(SAFE_PRODUCTION);
    expect(config.production).to.equal(true);
    expect(config.demo.enabled).to.equal(false);
    expect(config.store).to.include({ kind: 'redis', url: 'redis://10.0.0.1:6379' });
  });

  it('refuses production with nothing set, naming every problem in one message', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'REDIS_URL',
      'JWKS_FILE',
      'COOKIE_KEYS',
      'DATA_ENCRYPTION_KEYS',
      'DATA_INDEX_KEY',
      'OTP_PEPPER',
      'IDENTITY_SERVICE_URL',
      'SMS_PROVIDER=console',
      'ISSUER',
      'TRUST_PROXY',
    ]) {
      expect(
        problems.some((problem) => problem.includes(name)),
        name,
      ).to.equal(true);
    }
  });

  const refusals: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['no store', { REDIS_URL: '' }, /REDIS_URL/],
    ['generated keys', { JWKS_FILE: '' }, /JWKS_FILE/],
    ['no cookie keys', { COOKIE_KEYS: '' }, /COOKIE_KEYS is required/],
    ['short cookie keys', { COOKIE_KEYS: 'short' }, /COOKIE_KEYS: every key/],
    ['no data keys', { DATA_ENCRYPTION_KEYS: '' }, /DATA_ENCRYPTION_KEYS/],
    ['no index key', { DATA_INDEX_KEY: '' }, /DATA_INDEX_KEY/],
    ['no OTP pepper', { OTP_PEPPER: '' }, /OTP_PEPPER/],
    ['console SMS', { SMS_PROVIDER: 'console' }, /SMS_PROVIDER=console/],
    ['Kavenegar without key', { KAVENEGAR_API_KEY: '' }, /KAVENEGAR_API_KEY/],
    ['Kavenegar without template', { KAVENEGAR_TEMPLATE: '' }, /KAVENEGAR_TEMPLATE/],
    ['captcha off', { CAPTCHA: 'off' }, /CAPTCHA=off/],
    ['simulator', { IDENTITY_SERVICE_URL: '' }, /IDENTITY_SERVICE_URL/],
    ['identity service without token', { IDENTITY_SERVICE_TOKEN: '' }, /IDENTITY_SERVICE_TOKEN/],
    ['http issuer', { ISSUER: 'http://login.example.ir' }, /ISSUER must be an https/],
    ['no TRUST_PROXY', { TRUST_PROXY: 'false' }, /TRUST_PROXY/],
    ['short admin token', { ADMIN_TOKEN: 'abc' }, /ADMIN_TOKEN/],
    ['patterned admin token', { ADMIN_TOKEN: 'ab'.repeat(24) }, /ADMIN_TOKEN must be at least 32 random/],
    ['demo sites', { DEMO: 'on' }, /DEMO=on/],
  ];
  for (const [name, change, expected] of refusals) {
    it(`refuses production with ${name}`, () => {
      const problems = problemsOf({ ...SAFE_PRODUCTION, ...change });
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(expected);
    });
  }

  it('CAPTCHA: image by default and in production, svg still read as image, off only outside production', () => {
    expect(loadConfig({}).captcha).to.equal(true);
    expect(loadConfig(SAFE_PRODUCTION).captcha).to.equal(true);
    expect(loadConfig({ ...SAFE_PRODUCTION, CAPTCHA: 'svg' }).captcha).to.equal(true);
    expect(loadConfig({ CAPTCHA: 'off' }).captcha).to.equal(false);
    expect(problemsOf({ ...SAFE_PRODUCTION, CAPTCHA: 'off' }).join()).to.match(/CAPTCHA=off/);
    expect(problemsOf({ CAPTCHA: 'png' }).join()).to.match(/CAPTCHA/);
  });

  it('vendor lists: ordered, known names only, each once; unset keeps the contract settings', () => {
    expect(loadConfig({}).identity.providers).to.deep.equal(['simulator']);
    expect(loadConfig({ IDENTITY_SERVICE_URL: 'https://id.example' }).identity.providers).to.deep.equal([
      'http',
    ]);
    expect(loadConfig({ IDENTITY_PROVIDERS: ' zibal, jibit ' }).identity.providers).to.deep.equal([
      'zibal',
      'jibit',
    ]);
    expect(loadConfig({ SMS_PROVIDER: 'kavenegar' }).sms.providers).to.deep.equal(['kavenegar']);
    expect(loadConfig({ SMS_PROVIDERS: 'smsir,kavenegar' }).sms.providers).to.deep.equal([
      'smsir',
      'kavenegar',
    ]);
    expect(problemsOf({ IDENTITY_PROVIDERS: 'jibit,shahkar-r-us' }).join()).to.match(
      /IDENTITY_PROVIDERS.*unknown name "shahkar-r-us"/,
    );
    expect(problemsOf({ SMS_PROVIDERS: 'kavenegar,pigeon' }).join()).to.match(/SMS_PROVIDERS/);
    expect(problemsOf({ IDENTITY_PROVIDERS: 'jibit,jibit' }).join()).to.match(/listed twice/);
  });

  it('refuses production with a listed vendor whose credentials are missing, naming each variable', () => {
    const identity = problemsOf({ ...SAFE_PRODUCTION, IDENTITY_PROVIDERS: 'jibit,finnotech,zibal,http' });
    expect(identity).to.have.members([
      'JIBIT_API_KEY is required with jibit in IDENTITY_PROVIDERS',
      'JIBIT_SECRET_KEY is required with jibit in IDENTITY_PROVIDERS',
      'FINNOTECH_CLIENT_ID is required with finnotech in IDENTITY_PROVIDERS',
      'FINNOTECH_CLIENT_SECRET is required with finnotech in IDENTITY_PROVIDERS',
      'FINNOTECH_NID is required with finnotech in IDENTITY_PROVIDERS',
      'ZIBAL_TOKEN is required with zibal in IDENTITY_PROVIDERS',
    ]);
    const sms = problemsOf({ ...SAFE_PRODUCTION, SMS_PROVIDERS: 'kavenegar,smsir,ghasedak,melipayamak' });
    expect(sms.join('\n'))
      .to.match(/SMSIR_API_KEY/)
      .and.match(/SMSIR_TEMPLATE_ID/)
      .and.match(/GHASEDAK_API_KEY/)
      .and.match(/GHASEDAK_TEMPLATE/)
      .and.match(/MELIPAYAMAK_API_KEY/)
      .and.match(/MELIPAYAMAK_BODY_ID/);
    expect(sms).to.have.length(6);
    expect(
      problemsOf({ ...SAFE_PRODUCTION, IDENTITY_PROVIDERS: 'zibal,simulator', ZIBAL_TOKEN: 't' }),
    ).to.deep.equal(['IDENTITY_PROVIDERS: simulator is for development only']);
    expect(
      problemsOf({
        ...SAFE_PRODUCTION,
        IDENTITY_PROVIDERS: 'zibal',
        ZIBAL_TOKEN: 't',
        IDENTITY_SERVICE_URL: '',
      }),
    ).to.deep.equal([]);
  });

  it('rejects malformed values with the variable name', () => {
    expect(problemsOf({ PORT: 'eighty' }).join()).to.match(/PORT/);
    expect(problemsOf({ SMS_PROVIDER: 'pigeon' }).join()).to.match(/SMS_PROVIDER/);
    expect(problemsOf({ ISSUER: 'not a url' }).join()).to.match(/ISSUER/);
  });

  it('trusts one proxy hop by default and takes PROXY_HOPS only as a whole number from 1 to 10', () => {
    expect(loadConfig({}).proxyHops).to.equal(1);
    expect(loadConfig({ PROXY_HOPS: '2' }).proxyHops).to.equal(2);
    for (const bad of ['0', '11', '1.5', '-1', 'two']) {
      expect(problemsOf({ PROXY_HOPS: bad }).join(), bad).to.match(/PROXY_HOPS/);
    }
  });

  it('groups the limits in the shapes the domain factories take, OTP_LENGTH from 6 to 10', () => {
    const { limits } = loadConfig({ OTP_LENGTH: '8', IDENTITY_CHECKS_PER_DAY: '3' });
    expect(limits.otp).to.deep.equal({ ttlSeconds: 120, length: 8, maxWrongAttempts: 5, lockSeconds: 900 });
    expect(limits.identityChecks).to.deep.equal({ perMobilePerDay: 3, perNationalCodePerDay: 3 });
    expect(loadConfig({}).limits.otp.length).to.equal(6);
    for (const bad of ['5', '11', '6.5']) {
      expect(problemsOf({ OTP_LENGTH: bad }).join(), bad).to.match(/OTP_LENGTH/);
    }
  });

  it('ADMIN_NATIONAL_CODES: valid national codes only; unset or empty is an empty list', () => {
    expect(loadConfig({}).adminNationalCodes).to.deep.equal([]);
    expect(loadConfig({ ADMIN_NATIONAL_CODES: '' }).adminNationalCodes).to.deep.equal([]);
    expect(
      loadConfig({ ADMIN_NATIONAL_CODES: ' 0499370899, 0081635249 ,0499370899' }).adminNationalCodes,
    ).to.deep.equal(['0499370899', '0081635249']);
    for (const bad of ['0499370898', '499370899', '۰۴۹۹۳۷۰۸۹۹', '1111111111', 'admin']) {
      expect(problemsOf({ ADMIN_NATIONAL_CODES: `0499370899,${bad}` }).join(), bad).to.match(
        /ADMIN_NATIONAL_CODES/,
      );
    }
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(environmentSchema.shape)) {
      expect(example, name).to.match(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });
});
