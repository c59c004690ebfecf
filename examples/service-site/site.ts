import { localizeDigits } from '../../src/i18n/index.js';
import { html } from '../shared/html.js';
import { dataList, notice } from '../shared/layout.js';
import { type SiteLogger, silentLogger } from '../shared/logger.js';
import { type Locale, type MessageKey, t } from '../shared/messages.js';
import { createRelyingParty, type RelyingParty, type SiteClient } from '../shared/relying-party.js';

export interface ServiceSiteOptions {
  issuer: string;
  client: SiteClient;
  name?: Record<Locale, string>;
  logger?: SiteLogger;
  now?: () => number;
  discoveryRetryMs?: number;
  groupSites?: Array<{ name: Record<Locale, string>; url: string }>;
}

export interface ServiceSite {
  rp: RelyingParty<Record<string, never>>;
}

type Say = (key: MessageKey) => string;

/** Personal claims this site may show, in display order, with their labels. */
const SHOWN_CLAIMS: ReadonlyArray<{
  claim: string;
  label: MessageKey;
  format?: (value: unknown, say: Say, locale: Locale) => string;
}> = [
  { claim: 'name', label: 'field.fullName' },
  { claim: 'given_name', label: 'field.firstName' },
  { claim: 'family_name', label: 'field.lastName' },
  {
    claim: 'gender',
    label: 'service.claim.gender',
    format: (value, say) =>
      value === 'female' ? say('service.claim.female') : value === 'male' ? say('service.claim.male') : '',
  },
  {
    claim: 'birthdate_jalali',
    label: 'service.claim.birthdateJalali',
    format: (value, _say, locale) => localizeDigits(locale, String(value)),
  },
  {
    claim: 'birthdate',
    label: 'service.claim.birthdate',
    format: (value, _say, locale) => localizeDigits(locale, String(value)),
  },
  { claim: 'phone_number', label: 'field.mobile', format: (value) => String(value) },
  {
    claim: 'phone_number_verified',
    label: 'service.claim.phoneVerified',
    format: (value, say) => (value === true ? say('service.claim.yes') : say('service.claim.no')),
  },
  { claim: 'national_code', label: 'field.nationalCode' },
  { claim: 'father_name', label: 'field.fatherName' },
];

/** Claims this site deliberately does not ask for (no `national_id` scope). */
const NOT_REQUESTED: ReadonlyArray<{ claim: string; label: MessageKey }> = [
  { claim: 'national_code', label: 'field.nationalCode' },
  { claim: 'father_name', label: 'field.fatherName' },
];

/** What the site may do, in words: the granted scopes, never their names. */
function permissionSummary(scope: string | undefined, locale: Locale): string {
  const say: Say = (key) => t(locale, key);
  const granted = new Set((scope ?? '').split(' '));
  const kinds = [
    granted.has('profile') ? say('service.scope.profile') : '',
    granted.has('phone') ? say('service.scope.phone') : '',
    granted.has('national_id') ? say('service.scope.nationalId') : '',
  ].filter(Boolean);
  const stay = granted.has('offline_access') ? say('service.scope.offline') : say('service.scope.online');
  return t(locale, 'service.scope.summary', {
    kinds: kinds.length ? kinds.join(say('service.scope.list')) : say('service.scope.none'),
    stay,
  });
}

/**
 * The demo after-sales service site: another group site with a narrower scope
 * (`openid profile phone`). A person signed in at the sales site only approves the consent here.
 */
export function createServiceSite(options: ServiceSiteOptions): ServiceSite {
  const rp = createRelyingParty<Record<string, never>>(
    {
      look: {
        name: options.name ?? { fa: t('fa', 'service.name'), en: t('en', 'service.name') },
        theme: 'service',
      },
      issuer: options.issuer,
      client: options.client,
      cookieName: 'demo_service_session',
      logger: options.logger ?? silentLogger,
      now: options.now,
      discoveryRetryMs: options.discoveryRetryMs,
    },
    () => ({}),
  );

  rp.router.get('/', (ctx) => {
    const user = rp.session(ctx)?.user;
    const locale = rp.locale(ctx);
    const say: Say = (key) => t(locale, key);
    const groupLinks = (options.groupSites ?? []).length
      ? html`<h2 class="section-title">${say('group.title')}</h2>
<ul>${(options.groupSites ?? []).map((site) => html`<li><a href="${site.url}">${site.name[locale]}</a></li>`)}</ul>`
      : '';
    if (!user) {
      rp.render(ctx, {
        title: rp.settings.look.name[locale],
        main: html`<p class="lead">${say('service.home.lead')}</p>
<p>${say('service.home.sso')}</p>
<div class="actions"><a class="btn" href="/login">${say('service.home.login')}</a></div>
${groupLinks}`,
      });
      return;
    }
    const rows = SHOWN_CLAIMS.filter(({ claim }) => user.claims[claim] !== undefined).map(
      ({ claim, label, format }) => ({
        label: say(label),
        value: format ? format(user.claims[claim], say, locale) : String(user.claims[claim]),
        ltr: claim === 'phone_number',
      }),
    );
    const missing = NOT_REQUESTED.filter(({ claim }) => user.claims[claim] === undefined);
    rp.render(ctx, {
      title: say('service.data.title'),
      main: html`<p class="lead">${say('service.data.lead')}</p>
${dataList(rows)}
<p class="muted">${permissionSummary(user.scope, locale)}</p>
${
  missing.length
    ? notice(
        'info',
        html`<p>${t(locale, 'service.data.notSent', {
          claims: missing.map(({ label }) => say(label)).join(say('service.data.and')),
        })}</p>`,
      )
    : ''
}
${groupLinks}`,
    });
  });

  return { rp };
}
