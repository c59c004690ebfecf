import { randomInt } from 'node:crypto';
import type { Context } from 'koa';
import { localizeDigits } from '../../src/i18n/index.js';
import { html, type SafeHtml } from '../shared/html.js';
import {
  dataList,
  errorSummary,
  type FormErrors,
  notice,
  readonlyField,
  selectField,
  textareaField,
  textField,
} from '../shared/layout.js';
import { type SiteLogger, silentLogger } from '../shared/logger.js';
import { type Locale, type MessageKey, t } from '../shared/messages.js';
import { nationalMobile } from '../shared/persian.js';
import { createRelyingParty, type RelyingParty, type SiteClient, toUser } from '../shared/relying-party.js';
import type { SiteSession, SiteUser } from '../shared/session-store.js';
import { CONFIRMATION_REFUSALS, checkFreshConfirmation } from './confirmation.js';
import {
  ADDRESS_MAX_LENGTH,
  educationLabel,
  educationOptions,
  ISSUE_DATE_MAX_LENGTH,
  PERSONAL_INFO_FIELDS,
  type PersonalInfo,
  type PersonalInfoValues,
  validatePersonalInfo,
} from './personal-info.js';
import {
  type RegistryVerification,
  readRegistryVerification,
  verifiedRegistrationClaims,
} from './verified-registration.js';

export interface GroupSiteLink {
  name: Record<Locale, string>;
  url: string;
}

export interface SalesSiteOptions {
  issuer: string;
  client: SiteClient;
  name?: Record<Locale, string>;
  logger?: SiteLogger;
  now?: () => number;
  discoveryRetryMs?: number;
  /** Other group sites, linked from the home page. */
  groupSites?: GroupSiteLink[];
}

/** Per-session data: the personal information typed, waiting for the final confirmation. */
export interface SalesExtra {
  draft?: PersonalInfo;
}

/** A completed registration (kept in memory: this is a demo). */
export interface Registration {
  sub: string;
  reference: string;
  verified: VerifiedData;
  personal: PersonalInfo;
  /** `auth_time` of the fresh confirmation. */
  confirmedAt: number;
  /** The civil registry's check of name and birth date (verified_claims), when it came back. */
  registry?: RegistryVerification;
}

/** The personal data the provider verified and sent (ID token claims). */
export interface VerifiedData {
  firstName: string;
  lastName: string;
  fatherName: string;
  nationalCode: string;
  birthDateJalali: string;
  mobile: string;
}

export interface SalesSite {
  rp: RelyingParty<SalesExtra>;
  registrations: Map<string, Registration>;
}

const CONFIRM_PURPOSE = 'confirm';

/**
 * The demo internet sales site (seed steps 5–6): sign-in through the provider, the personal
 * information page pre-filled with the verified data, and a final registration that needs a
 * fresh SMS confirmation at the provider (`prompt=login`, `max_age=0`) checked through `auth_time`.
 */
export function createSalesSite(options: SalesSiteOptions): SalesSite {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const rp = createRelyingParty<SalesExtra>(
    {
      look: {
        name: options.name ?? { fa: t('fa', 'sales.name'), en: t('en', 'sales.name') },
        theme: 'sales',
      },
      issuer: options.issuer,
      client: options.client,
      cookieName: 'demo_sales_session',
      logger,
      now,
      discoveryRetryMs: options.discoveryRetryMs,
    },
    () => ({}),
  );
  const registrations = new Map<string, Registration>();
  const { router } = rp;

  rp.afterLogin((session) => (session.user && registrations.has(session.user.sub) ? '/' : '/profile'));

  router.get('/', (ctx) => {
    const session = rp.session(ctx);
    const user = session?.user;
    const locale = rp.locale(ctx);
    const say = (key: MessageKey) => t(locale, key);
    const groupLinks = (options.groupSites ?? []).length
      ? html`<h2 class="section-title">${say('group.title')}</h2>
<ul>${(options.groupSites ?? []).map((site) => html`<li><a href="${site.url}">${site.name[locale]}</a></li>`)}</ul>
<p class="muted">${say('group.sso')}</p>`
      : '';
    if (!user) {
      rp.render(ctx, {
        title: rp.settings.look.name[locale],
        main: html`<p class="lead">${say('sales.home.lead')}</p>
<ol class="steps">
  <li>${say('sales.home.step1')}</li>
  <li>${say('sales.home.step2')}</li>
  <li>${say('sales.home.step3')}</li>
</ol>
${notice('warning', say('sales.home.mobileWarning'))}
<div class="actions"><a class="btn" href="/login">${say('sales.home.login')}</a></div>`,
      });
      return;
    }
    const registration = registrations.get(user.sub);
    const draft = session?.extra.draft;
    const status = registration
      ? html`${notice('success', say('sales.home.registered'))}
<div class="actions"><a class="btn" href="/registered">${say('sales.home.viewRegistration')}</a></div>`
      : html`${notice('info', say('sales.home.received'))}
<div class="actions">${
          draft
            ? html`<a class="btn" href="/profile/review">${say('sales.home.continueReview')}</a>`
            : html`<a class="btn" href="/profile">${say('sales.home.completeProfile')}</a>`
        }</div>`;
    rp.render(ctx, {
      title: t(locale, 'sales.home.welcome', { name: firstName(user, locale) }),
      main: html`${status}${groupLinks}`,
    });
  });

  router.get('/profile', (ctx) => {
    const session = rp.requireUser(ctx);
    if (!session?.user) return;
    if (registrations.has(session.user.sub)) {
      ctx.redirect('/registered');
      return;
    }
    const draft = session.extra.draft;
    renderProfile(ctx, session, {
      issue_date: draft ? localizeDigits(rp.locale(ctx), draft.issueDate) : '',
      address: draft?.address ?? '',
      education: draft?.education ?? '',
    });
  });

  router.post('/profile', rp.parseForm, (ctx) => {
    const session = rp.requireUser(ctx);
    if (!session?.user) return;
    if (!rp.csrfValid(ctx, session)) return expiredForm(ctx);
    if (registrations.has(session.user.sub)) {
      ctx.status = 303;
      ctx.redirect('/registered');
      return;
    }
    const verified = verifiedData(session.user);
    const result = validatePersonalInfo((ctx.request.body ?? {}) as Record<string, unknown>, {
      birthDateJalali: verified.birthDateJalali,
      now: now(),
      locale: rp.locale(ctx),
    });
    if (!result.ok) {
      renderProfile(ctx, session, result.values, result.errors, 422);
      return;
    }
    session.extra.draft = result.value;
    ctx.status = 303;
    ctx.redirect('/profile/review');
  });

  router.get('/profile/review', (ctx) => {
    const session = rp.requireUser(ctx);
    if (!session?.user) return;
    if (registrations.has(session.user.sub)) return ctx.redirect('/registered');
    const draft = session.extra.draft;
    if (!draft) return ctx.redirect('/profile');
    renderReview(ctx, session, draft);
  });

  // "Confirm registration": a fresh authentication at the provider (mobile, captcha, SMS code).
  router.post('/profile/confirm', rp.parseForm, async (ctx) => {
    const session = rp.requireUser(ctx);
    if (!session?.user) return;
    if (!rp.csrfValid(ctx, session)) return expiredForm(ctx);
    if (!session.extra.draft) {
      ctx.status = 303;
      ctx.redirect('/profile');
      return;
    }
    const mobile = nationalMobile(session.user.claims.phone_number);
    await rp.startAuthorization(ctx, {
      purpose: CONFIRM_PURPOSE,
      params: {
        prompt: 'login',
        max_age: '0',
        // Registry-verified name and birth date, checked within 30 days, with the purpose.
        claims: verifiedRegistrationClaims(rp.locale(ctx)),
        ...(mobile ? { login_hint: mobile } : {}),
      },
    });
    ctx.status = 303;
  });

  rp.onCallback(CONFIRM_PURPOSE, async (ctx, session, result, pending) => {
    const user = session.user;
    const draft = session.extra.draft;
    const locale = rp.locale(ctx);
    if (!user || !draft) {
      rp.render(ctx, {
        title: t(locale, 'sales.incomplete.title'),
        status: 400,
        main: html`${notice('error', t(locale, 'sales.incomplete.message'))}
<p><a href="/">${t(locale, 'common.home')}</a></p>`,
      });
      return;
    }
    const verdict = checkFreshConfirmation({
      claims: result.claims,
      expectedSub: user.sub,
      startedAt: pending.startedAt,
      previousAuthTime: user.authTime,
    });
    if (!verdict.ok) {
      logger.warn(
        { reason: verdict.reason, authTime: result.claims.auth_time, startedAt: pending.startedAt },
        'registration confirmation refused',
      );
      renderReview(ctx, session, draft, t(locale, CONFIRMATION_REFUSALS[verdict.reason]), 403);
      return;
    }
    // The confirmation's ID token is the newest word on this person: keep it for logout.
    rp.sessions.setUser(session, toUser(result));
    registrations.set(user.sub, {
      sub: user.sub,
      reference: String(randomInt(100_000, 1_000_000)),
      verified: verifiedData(session.user ?? user),
      personal: draft,
      confirmedAt: verdict.authTime,
      registry: readRegistryVerification(result.claims, now()),
    });
    session.extra.draft = undefined;
    logger.info({ sub: user.sub }, 'registration completed');
    ctx.redirect('/registered');
  });

  router.get('/registered', (ctx) => {
    const session = rp.requireUser(ctx);
    if (!session?.user) return;
    const registration = registrations.get(session.user.sub);
    if (!registration) return ctx.redirect('/profile');
    const locale = rp.locale(ctx);
    rp.render(ctx, {
      title: t(locale, 'sales.registered.title'),
      main: html`${notice(
        'success',
        html`<p>${t(locale, 'sales.registered.message')} <strong>${localizeDigits(locale, registration.reference)}</strong></p>`,
      )}
${summary(registration.verified, registration.personal, locale)}
${registryNote(registration.registry, locale)}
<p class="muted">${t(locale, 'sales.registered.confirmedAt', { time: formatTime(registration.confirmedAt, locale) })}</p>
<div class="actions"><a class="btn btn--secondary" href="/">${t(locale, 'common.home')}</a></div>`,
    });
  });

  function renderProfile(
    ctx: Context,
    session: SiteSession<SalesExtra>,
    values: PersonalInfoValues,
    errors: FormErrors = {},
    status = 200,
  ) {
    const verified = verifiedData(session.user!);
    const firstInvalid = PERSONAL_INFO_FIELDS.find((field) => errors[field]);
    const locale = rp.locale(ctx);
    const say = (key: MessageKey) => t(locale, key);
    const digits = (text: string) => localizeDigits(locale, text);
    rp.render(ctx, {
      title: say('sales.profile.title'),
      status,
      main: html`<p class="lead">${say('sales.profile.lead')}</p>
${errorSummary(errors, PERSONAL_INFO_FIELDS, locale)}
<form class="form" method="post" action="/profile" novalidate>
  <input type="hidden" name="csrf" value="${session.csrf}">
  <fieldset class="fieldset">
    <legend>${say('sales.profile.verifiedLegend')}</legend>
    <p class="field__hint" id="verified-note">${say('sales.profile.verifiedNote')}</p>
    <div class="fieldset fieldset--two">
      ${readonlyField({ id: 'first_name', label: say('field.firstName'), value: verified.firstName })}
      ${readonlyField({ id: 'last_name', label: say('field.lastName'), value: verified.lastName })}
      ${readonlyField({ id: 'father_name', label: say('field.fatherName'), value: verified.fatherName })}
      ${readonlyField({ id: 'national_code', label: say('field.nationalCode'), value: digits(verified.nationalCode) })}
      ${readonlyField({ id: 'birth_date', label: say('field.birthDate'), value: digits(verified.birthDateJalali) })}
      ${readonlyField({ id: 'mobile', label: say('field.mobile'), value: digits(verified.mobile) })}
    </div>
  </fieldset>
  <fieldset class="fieldset">
    <legend>${say('sales.profile.moreLegend')}</legend>
    ${textField({
      name: 'issue_date',
      label: say('field.issueDate'),
      hint: say('sales.profile.issueDateHint'),
      value: values.issue_date,
      error: errors.issue_date,
      maxlength: ISSUE_DATE_MAX_LENGTH,
      ltr: true,
      placeholder: say('sales.profile.issueDatePlaceholder'),
      autofocus: firstInvalid === 'issue_date',
    })}
    ${textareaField({
      name: 'address',
      label: say('field.homeAddress'),
      hint: t(locale, 'sales.profile.addressHint', { max: digits(String(ADDRESS_MAX_LENGTH)) }),
      value: values.address,
      error: errors.address,
      maxlength: ADDRESS_MAX_LENGTH,
      autofocus: firstInvalid === 'address',
    })}
    ${selectField({
      name: 'education',
      label: say('field.education'),
      value: values.education,
      error: errors.education,
      options: educationOptions(locale),
      locale,
      autofocus: firstInvalid === 'education',
    })}
  </fieldset>
  <button class="btn" type="submit">${say('sales.profile.save')}</button>
</form>`,
    });
  }

  function renderReview(
    ctx: Context,
    session: SiteSession<SalesExtra>,
    draft: PersonalInfo,
    refusal?: string,
    status = 200,
  ) {
    const locale = rp.locale(ctx);
    const say = (key: MessageKey) => t(locale, key);
    // The emphasis sits mid-sentence; no space before the full stop when English ends it there.
    const after = say('sales.review.after');
    rp.render(ctx, {
      title: say('sales.review.title'),
      status,
      main: html`${refusal ? notice('error', refusal) : ''}
<p class="lead">${say('sales.review.lead')}</p>
${summary(verifiedData(session.user!), draft, locale)}
${notice(
  'info',
  html`<p>${say('sales.review.before')} <strong>${say('sales.review.strong')}</strong>${after.startsWith('.') ? '' : ' '}${after}</p>`,
)}
<form method="post" action="/profile/confirm">
  <input type="hidden" name="csrf" value="${session.csrf}">
  <div class="actions">
    <button class="btn" type="submit">${say('sales.review.confirm')}</button>
    <a class="btn btn--secondary" href="/profile">${say('sales.review.edit')}</a>
  </div>
</form>`,
    });
  }

  function expiredForm(ctx: Context) {
    const locale = rp.locale(ctx);
    rp.render(ctx, {
      title: t(locale, 'error.badRequest.title'),
      status: 403,
      main: html`${notice('error', t(locale, 'error.expiredForm'))}
<p><a href="/">${t(locale, 'common.home')}</a></p>`,
    });
  }

  return { rp, registrations };
}

export function verifiedData(user: SiteUser): VerifiedData {
  const claim = (name: string) =>
    typeof user.claims[name] === 'string' ? (user.claims[name] as string) : '';
  return {
    firstName: claim('given_name'),
    lastName: claim('family_name'),
    fatherName: claim('father_name'),
    nationalCode: claim('national_code'),
    birthDateJalali: claim('birthdate_jalali'),
    mobile: nationalMobile(user.claims.phone_number),
  };
}

function summary(verified: VerifiedData, personal: PersonalInfo, locale: Locale): SafeHtml {
  const say = (key: MessageKey) => t(locale, key);
  const digits = (text: string) => localizeDigits(locale, text);
  return dataList([
    { label: say('field.firstName'), value: verified.firstName },
    { label: say('field.lastName'), value: verified.lastName },
    { label: say('field.fatherName'), value: verified.fatherName },
    { label: say('field.nationalCode'), value: digits(verified.nationalCode) },
    { label: say('field.birthDate'), value: digits(verified.birthDateJalali) },
    { label: say('field.mobile'), value: digits(verified.mobile) },
    { label: say('field.issueDate'), value: digits(personal.issueDate) },
    { label: say('field.address'), value: personal.address },
    { label: say('field.education'), value: educationLabel(personal.education, locale) },
  ]);
}

/** Where the name and birth date come from: the registry check the provider reported. */
function registryNote(registry: RegistryVerification | undefined, locale: Locale): SafeHtml {
  const say = (key: MessageKey) => t(locale, key);
  if (!registry) return notice('warning', say('registry.missing'));
  return html`<h2 class="section-title">${say('registry.title')}</h2>
${dataList([
  { label: say('field.fullName'), value: `${registry.givenName} ${registry.familyName}` },
  { label: say('registry.checkedAt'), value: formatTime(registry.verifiedAt, locale) },
  { label: say('registry.source'), value: registry.recordSource },
  { label: say('registry.checkedBy'), value: registry.checkedBy },
  ...(registry.reference ? [{ label: say('registry.reference'), value: registry.reference }] : []),
])}`;
}

function firstName(user: SiteUser, locale: Locale): string {
  const given = user.claims.given_name;
  return typeof given === 'string' && given ? given : t(locale, 'common.user');
}

// Both languages show the Solar Hijri calendar, Tehran time (the dates people typed are Jalali).
const TIME_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  fa: new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
    timeZone: 'Asia/Tehran',
    dateStyle: 'long',
    timeStyle: 'short',
  }),
  en: new Intl.DateTimeFormat('en-GB-u-ca-persian', {
    timeZone: 'Asia/Tehran',
    dateStyle: 'long',
    timeStyle: 'short',
  }),
};

function formatTime(epochSeconds: number, locale: Locale): string {
  return TIME_FORMATS[locale].format(epochSeconds * 1000);
}
