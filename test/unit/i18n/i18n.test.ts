import { expect } from 'chai';
import { en } from '../../../src/i18n/en.js';
import { fa } from '../../../src/i18n/fa.js';
import {
  dirOf,
  type Locale,
  localizeDigits,
  pickLocale,
  toLatinDigits,
  toPersianDigits,
  translate,
} from '../../../src/i18n/index.js';

// Every key the routes use (the contract with src/http and src/interaction).
const ROUTE_KEYS = [
  'page.mobile.title',
  'page.code.title',
  'page.identity.title',
  'page.consent.title',
  'page.error.title',
  'page.logout.title',
  'page.loggedOut.title',
  'error.csrf',
  'mobile.required',
  'mobile.invalid',
  'captcha.required',
  'captcha.wrong',
  'sms.cooldown',
  'sms.limit',
  'sms.failed',
  'code.required',
  'code.invalid',
  'code.wrong',
  'code.expired',
  'code.locked',
  'national_code.required',
  'national_code.invalid',
  'birth_date.required',
  'birth_date.invalid',
  'identity.mobile_not_owned',
  'identity.registry_mismatch',
  'identity.deceased',
  'identity.national_code_taken',
  'identity.limit',
  'identity.unavailable',
  'interaction.expired',
  'error.generic',
  'error.unavailable',
  'error.not_found',
  'error.too_large',
  'code.sent',
  'code.resent',
  'claim.name',
  'claim.given_name',
  'claim.family_name',
  'claim.gender',
  'claim.birthdate',
  'claim.phone_number',
  'claim.national_code',
  'claim.father_name',
  'permission.offline_access',
  'oidc.invalid_request',
  'oidc.invalid_client',
  'oidc.invalid_redirect_uri',
  'oidc.unauthorized_client',
  'oidc.access_denied',
  'oidc.login_required',
  'oidc.server_error',
  'oidc.default',
];

const PLACEHOLDERS: Record<string, string[]> = {
  'sms.cooldown': ['seconds'],
  'sms.limit': ['minutes'],
  'code.wrong': ['attemptsLeft'],
  'code.locked': ['minutes'],
  'identity.limit': ['hours'],
  'code.sent': ['mobile'],
};

const placeholdersOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('i18n catalogs', () => {
  it('fa and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).to.deep.equal(Object.keys(fa).sort());
  });

  it('have every key the routes use', () => {
    for (const key of ROUTE_KEYS) {
      expect(fa, `fa: ${key}`).to.have.property(key);
      expect(en, `en: ${key}`).to.have.property(key);
    }
  });

  it('use the same placeholders in both languages, and the documented ones', () => {
    for (const key of Object.keys(fa) as (keyof typeof fa)[]) {
      expect(placeholdersOf(en[key]), key).to.deep.equal(placeholdersOf(fa[key]));
    }
    for (const [key, names] of Object.entries(PLACEHOLDERS)) {
      expect(placeholdersOf(fa[key as keyof typeof fa]), key).to.deep.equal(names);
    }
  });

  it('have no empty messages; Persian text uses Persian digits, English text ASCII digits', () => {
    for (const [key, text] of Object.entries(fa)) {
      expect(text.trim(), key).not.to.equal('');
      expect(text, key).not.to.match(/[0-9]/);
    }
    for (const [key, text] of Object.entries(en)) {
      expect(text.trim(), key).not.to.equal('');
      if (key !== 'lang.fa') expect(text, key).not.to.match(/[\u0600-\u06ff]/);
    }
  });

  it('tell the user the mobile must be registered in their own name (the seed’s note)', () => {
    expect(fa['mobile.ownNameNotice']).to.contain('به نام خود شما').and.to.contain('فعال');
    expect(en['mobile.ownNameNotice']).to.contain('your own name').and.to.contain('active');
    expect(fa['identity.mobile_not_owned']).to.contain('به نام شما ثبت نشده');
    expect(fa['consent.grant']).to.equal('اعطای مجوز ورود یکپارچه');
  });
});

describe('translate', () => {
  it('fills placeholders and writes numbers with Persian digits in fa', () => {
    expect(translate('fa', 'sms.cooldown', { seconds: 45 }))
      .to.contain('۴۵ ثانیه')
      .and.not.to.match(/[0-9]/);
    expect(translate('en', 'sms.cooldown', { seconds: 45 })).to.equal(
      'Please wait 45 s before asking for a new code.',
    );
    expect(translate('fa', 'code.wrong', { attemptsLeft: 3 })).to.contain('۳ بار');
  });

  it('isolates string parameters and localises their digits unless they hold Latin letters', () => {
    expect(translate('fa', 'code.sent', { mobile: '0912***4567' })).to.contain('\u2068۰۹۱۲***۴۵۶۷\u2069');
    expect(translate('en', 'code.sent', { mobile: '۰۹۱۲***۴۵۶۷' })).to.contain('\u20680912***4567\u2069');
    expect(translate('fa', 'layout.signingInTo', { client: 'Shop24' })).to.contain('\u2068Shop24\u2069');
  });

  it('leaves unknown placeholders, falls back to fa, then to the key', () => {
    expect(translate('en', 'sms.cooldown')).to.contain('{seconds}');
    expect(translate('en', 'sms.cooldown', { other: 1 })).to.contain('{seconds}');
    expect(translate('de' as Locale, 'page.mobile.title')).to.equal(fa['page.mobile.title']);
    expect(translate('en', 'no.such.key')).to.equal('no.such.key');
    expect(translate('en', 'constructor')).to.equal('constructor');
  });
});

describe('digits', () => {
  it('converts between ASCII, Persian and Arabic-Indic digits', () => {
    expect(toPersianDigits('0912-345 6789')).to.equal('۰۹۱۲-۳۴۵ ۶۷۸۹');
    expect(toPersianDigits(1370)).to.equal('۱۳۷۰');
    expect(toPersianDigits('٠١٢')).to.equal('۰۱۲');
    expect(toLatinDigits('۱۳۷۰/٠٥/۱۴')).to.equal('1370/05/14');
    expect(localizeDigits('fa', 'code 42')).to.equal('code ۴۲');
    expect(localizeDigits('en', 'کد ۴۲')).to.equal('کد 42');
  });
});

describe('pickLocale and dirOf', () => {
  it('prefers ?lang=, then the cookie, then ui_locales, then Accept-Language, then fa', () => {
    const all = { query: 'en', cookie: 'fa', uiLocales: 'fa', acceptLanguage: 'fa' };
    expect(pickLocale(all)).to.equal('en');
    expect(pickLocale({ ...all, query: undefined, cookie: 'en' })).to.equal('en');
    expect(pickLocale({ cookie: 'fa', uiLocales: 'en', acceptLanguage: 'en' })).to.equal('fa');
    expect(pickLocale({ uiLocales: 'de en-US fa', acceptLanguage: 'fa' })).to.equal('en');
    expect(pickLocale({ acceptLanguage: 'de-DE,en;q=0.8,fa;q=0.9' })).to.equal('fa');
    expect(pickLocale({ acceptLanguage: 'en-GB,en;q=0.9' })).to.equal('en');
    expect(pickLocale({ acceptLanguage: 'en;q=0,de' })).to.equal('fa');
    expect(pickLocale({})).to.equal('fa');
  });

  it('ignores values it does not support', () => {
    expect(pickLocale({ query: 'xx', cookie: 'de', uiLocales: 'ar', acceptLanguage: 'EN-us' })).to.equal(
      'en',
    );
    expect(pickLocale({ query: 'FA-IR', acceptLanguage: 'en' })).to.equal('fa');
  });

  it('gives the text direction', () => {
    expect(dirOf('fa')).to.equal('rtl');
    expect(dirOf('en')).to.equal('ltr');
  });
});
