import { randomInt } from 'node:crypto';
import type { Context } from 'koa';
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
import { nationalMobile, toPersianDigits } from '../shared/persian.js';
import { createRelyingParty, type RelyingParty, type SiteClient, toUser } from '../shared/relying-party.js';
import type { SiteSession, SiteUser } from '../shared/session-store.js';
import { CONFIRMATION_REFUSALS, checkFreshConfirmation } from './confirmation.js';
import {
  ADDRESS_MAX_LENGTH,
  EDUCATION_LEVELS,
  educationLabel,
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
  name: string;
  url: string;
}

export interface SalesSiteOptions {
  issuer: string;
  client: SiteClient;
  name?: string;
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
      look: { name: options.name ?? 'فروش اینترنتی خودرو', theme: 'sales' },
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
    const groupLinks = (options.groupSites ?? []).length
      ? html`<h2 class="section-title">سایت‌های دیگر گروه</h2>
<ul>${(options.groupSites ?? []).map((site) => html`<li><a href="${site.url}">${site.name}</a></li>`)}</ul>
<p class="muted">با همین ورود، بدون کد تأیید دوباره وارد آن‌ها می‌شوید.</p>`
      : '';
    if (!user) {
      rp.render(ctx, {
        title: 'فروش اینترنتی خودرو',
        main: html`<p class="lead">برای ثبت‌نام و خرید اینترنتی خودرو، ابتدا وارد شوید. ورود و احراز هویت در سامانهٔ «دروازه» انجام می‌شود:</p>
<ol class="steps">
  <li>شماره همراه و کد امنیتی، سپس کد تأیید پیامکی</li>
  <li>کد ملی و تاریخ تولد (فقط بار اول، برای احراز هویت برخط)</li>
  <li>اجازهٔ ورود یکپارچه؛ سپس تکمیل اطلاعات شخصی در همین سایت</li>
</ol>
${notice('warning', 'شماره همراه باید به نام خود شما ثبت شده و فعال باشد؛ در غیر این صورت احراز هویت ممکن نیست.')}
<div class="actions"><a class="btn" href="/login">ورود / ثبت‌نام کاربر</a></div>`,
      });
      return;
    }
    const registration = registrations.get(user.sub);
    const draft = session?.extra.draft;
    const status = registration
      ? html`${notice('success', 'ثبت‌نام شما کامل است.')}
<div class="actions"><a class="btn" href="/registered">مشاهدهٔ اطلاعات ثبت‌نام</a></div>`
      : html`${notice('info', 'اطلاعات هویتی شما از «دروازه» دریافت شد. برای کامل شدن ثبت‌نام، اطلاعات شخصی را تکمیل و تأیید کنید.')}
<div class="actions">${
          draft
            ? html`<a class="btn" href="/profile/review">ادامهٔ ثبت‌نام: تأیید نهایی</a>`
            : html`<a class="btn" href="/profile">تکمیل اطلاعات شخصی</a>`
        }</div>`;
    rp.render(ctx, { title: `${firstName(user)} عزیز، خوش آمدید`, main: html`${status}${groupLinks}` });
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
      issue_date: draft ? toPersianDigits(draft.issueDate) : '',
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
        claims: verifiedRegistrationClaims(),
        ...(mobile ? { login_hint: mobile } : {}),
      },
    });
    ctx.status = 303;
  });

  rp.onCallback(CONFIRM_PURPOSE, async (ctx, session, result, pending) => {
    const user = session.user;
    const draft = session.extra.draft;
    if (!user || !draft) {
      rp.render(ctx, {
        title: 'ثبت‌نام تکمیل نشد',
        status: 400,
        main: html`${notice('error', 'نشست شما پایان یافته است. دوباره وارد شوید و اطلاعات را تکمیل کنید.')}
<p><a href="/">بازگشت به صفحهٔ اصلی</a></p>`,
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
      renderReview(ctx, session, draft, CONFIRMATION_REFUSALS[verdict.reason], 403);
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
    rp.render(ctx, {
      title: 'ثبت‌نام کامل شد',
      main: html`${notice(
        'success',
        html`<p>ثبت‌نام شما در سایت فروش اینترنتی با موفقیت انجام شد. کد پیگیری: <strong>${toPersianDigits(registration.reference)}</strong></p>`,
      )}
${summary(registration.verified, registration.personal)}
${registryNote(registration.registry)}
<p class="muted">زمان تأیید نهایی با کد پیامکی: ${formatTime(registration.confirmedAt)}</p>
<div class="actions"><a class="btn btn--secondary" href="/">بازگشت به صفحهٔ اصلی</a></div>`,
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
    rp.render(ctx, {
      title: 'تکمیل اطلاعات شخصی',
      status,
      main: html`<p class="lead">اطلاعات هویتی شما پس از احراز برخط از «دروازه» دریافت شد. بقیهٔ اطلاعات را تکمیل کنید.</p>
${errorSummary(errors, PERSONAL_INFO_FIELDS)}
<form class="form" method="post" action="/profile" novalidate>
  <input type="hidden" name="csrf" value="${session.csrf}">
  <fieldset class="fieldset">
    <legend>اطلاعات هویتی تأییدشده</legend>
    <p class="field__hint" id="verified-note">این اطلاعات از ثبت احوال و اپراتور تلفن همراه تأیید شده و قابل ویرایش نیست.</p>
    <div class="fieldset fieldset--two">
      ${readonlyField({ id: 'first_name', label: 'نام', value: verified.firstName })}
      ${readonlyField({ id: 'last_name', label: 'نام خانوادگی', value: verified.lastName })}
      ${readonlyField({ id: 'father_name', label: 'نام پدر', value: verified.fatherName })}
      ${readonlyField({ id: 'national_code', label: 'کد ملی', value: toPersianDigits(verified.nationalCode) })}
      ${readonlyField({ id: 'birth_date', label: 'تاریخ تولد', value: toPersianDigits(verified.birthDateJalali) })}
      ${readonlyField({ id: 'mobile', label: 'شماره همراه', value: toPersianDigits(verified.mobile) })}
    </div>
  </fieldset>
  <fieldset class="fieldset">
    <legend>اطلاعات تکمیلی</legend>
    ${textField({
      name: 'issue_date',
      label: 'تاریخ صدور شناسنامه',
      hint: 'به تقویم شمسی، به شکل سال/ماه/روز؛ مثلاً ۱۳۹۰/۰۶/۱۵',
      value: values.issue_date,
      error: errors.issue_date,
      maxlength: ISSUE_DATE_MAX_LENGTH,
      ltr: true,
      placeholder: '۱۳۹۰/۰۶/۱۵',
      autofocus: firstInvalid === 'issue_date',
    })}
    ${textareaField({
      name: 'address',
      label: 'نشانی محل سکونت',
      hint: `استان، شهر، خیابان، کوچه و پلاک؛ حداکثر ${toPersianDigits(ADDRESS_MAX_LENGTH)} نویسه`,
      value: values.address,
      error: errors.address,
      maxlength: ADDRESS_MAX_LENGTH,
      autofocus: firstInvalid === 'address',
    })}
    ${selectField({
      name: 'education',
      label: 'میزان تحصیلات',
      value: values.education,
      error: errors.education,
      options: EDUCATION_LEVELS,
      autofocus: firstInvalid === 'education',
    })}
  </fieldset>
  <button class="btn" type="submit">ذخیره و ادامه</button>
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
    rp.render(ctx, {
      title: 'بازبینی و تأیید نهایی ثبت‌نام',
      status,
      main: html`${refusal ? notice('error', refusal) : ''}
<p class="lead">اطلاعات زیر را بازبینی کنید.</p>
${summary(verifiedData(session.user!), draft)}
${notice(
  'info',
  html`<p>با «تأیید و ثبت نهایی» به «دروازه» می‌روید تا با شماره همراه و کد امنیتی، <strong>کد تأیید پیامکی تازه‌ای</strong> دریافت و وارد کنید. ثبت‌نام فقط پس از این تأیید کامل می‌شود.</p>`,
)}
<form method="post" action="/profile/confirm">
  <input type="hidden" name="csrf" value="${session.csrf}">
  <div class="actions">
    <button class="btn" type="submit">تأیید و ثبت نهایی</button>
    <a class="btn btn--secondary" href="/profile">ویرایش اطلاعات</a>
  </div>
</form>`,
    });
  }

  function expiredForm(ctx: Context) {
    rp.render(ctx, {
      title: 'درخواست نامعتبر',
      status: 403,
      main: html`${notice('error', 'این فرم منقضی شده است. صفحه را دوباره باز کنید و دوباره تلاش کنید.')}
<p><a href="/">بازگشت به صفحهٔ اصلی</a></p>`,
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

function summary(verified: VerifiedData, personal: PersonalInfo): SafeHtml {
  return dataList([
    { label: 'نام', value: verified.firstName },
    { label: 'نام خانوادگی', value: verified.lastName },
    { label: 'نام پدر', value: verified.fatherName },
    { label: 'کد ملی', value: toPersianDigits(verified.nationalCode) },
    { label: 'تاریخ تولد', value: toPersianDigits(verified.birthDateJalali) },
    { label: 'شماره همراه', value: toPersianDigits(verified.mobile) },
    { label: 'تاریخ صدور شناسنامه', value: toPersianDigits(personal.issueDate) },
    { label: 'نشانی', value: personal.address },
    { label: 'میزان تحصیلات', value: educationLabel(personal.education) },
  ]);
}

/** Where the name and birth date come from: the registry check the provider reported. */
function registryNote(registry: RegistryVerification | undefined): SafeHtml {
  if (!registry)
    return notice(
      'warning',
      'تأیید ثبت احوال برای نام و تاریخ تولد دریافت نشد؛ این اطلاعات را در دفتر فروش بررسی می‌کنیم.',
    );
  return html`<h2 class="section-title">تأیید ثبت احوال</h2>
${dataList([
  { label: 'نام و نام خانوادگی', value: `${registry.givenName} ${registry.familyName}` },
  { label: 'زمان بررسی', value: formatTime(registry.verifiedAt) },
  { label: 'منبع', value: registry.recordSource },
  { label: 'بررسی از طریق', value: registry.checkedBy },
  ...(registry.reference ? [{ label: 'شناسهٔ بررسی', value: registry.reference }] : []),
])}`;
}

function firstName(user: SiteUser): string {
  const given = user.claims.given_name;
  return typeof given === 'string' && given ? given : 'کاربر';
}

const TIME_FORMAT = new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
  timeZone: 'Asia/Tehran',
  dateStyle: 'long',
  timeStyle: 'short',
});

function formatTime(epochSeconds: number): string {
  return TIME_FORMAT.format(epochSeconds * 1000);
}
