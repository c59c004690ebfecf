import { html } from '../shared/html.js';
import { dataList, notice } from '../shared/layout.js';
import { type SiteLogger, silentLogger } from '../shared/logger.js';
import { toPersianDigits } from '../shared/persian.js';
import { createRelyingParty, type RelyingParty, type SiteClient } from '../shared/relying-party.js';

export interface ServiceSiteOptions {
  issuer: string;
  client: SiteClient;
  name?: string;
  logger?: SiteLogger;
  now?: () => number;
  discoveryRetryMs?: number;
  groupSites?: Array<{ name: string; url: string }>;
}

export interface ServiceSite {
  rp: RelyingParty<Record<string, never>>;
}

/** Personal claims this site may show, in display order, with Persian labels. */
const SHOWN_CLAIMS: ReadonlyArray<{ claim: string; label: string; format?: (value: unknown) => string }> = [
  { claim: 'name', label: 'نام و نام خانوادگی' },
  { claim: 'given_name', label: 'نام' },
  { claim: 'family_name', label: 'نام خانوادگی' },
  {
    claim: 'gender',
    label: 'جنسیت',
    format: (value) => (value === 'female' ? 'زن' : value === 'male' ? 'مرد' : ''),
  },
  {
    claim: 'birthdate_jalali',
    label: 'تاریخ تولد (شمسی)',
    format: (value) => toPersianDigits(String(value)),
  },
  { claim: 'birthdate', label: 'تاریخ تولد (میلادی)', format: (value) => toPersianDigits(String(value)) },
  { claim: 'phone_number', label: 'شماره همراه', format: (value) => String(value) },
  {
    claim: 'phone_number_verified',
    label: 'شماره همراه تأییدشده',
    format: (value) => (value === true ? 'بله' : 'خیر'),
  },
  { claim: 'national_code', label: 'کد ملی' },
  { claim: 'father_name', label: 'نام پدر' },
];

/** Claims this site deliberately does not ask for (no `national_id` scope). */
const NOT_REQUESTED = [
  { claim: 'national_code', label: 'کد ملی' },
  { claim: 'father_name', label: 'نام پدر' },
];

/** What the site may do, in words: the granted scopes, never their names. */
function permissionSummary(scope: string | undefined): string {
  const granted = new Set((scope ?? '').split(' '));
  const kinds = [
    granted.has('profile') ? 'مشخصات (نام، جنسیت و تاریخ تولد)' : '',
    granted.has('phone') ? 'شماره همراه' : '',
    granted.has('national_id') ? 'کد ملی و نام پدر' : '',
  ].filter(Boolean);
  const stay = granted.has('offline_access')
    ? ' این سایت می‌تواند در نبود شما هم به‌روزشدهٔ این اطلاعات را بگیرد.'
    : ' این سایت فقط هنگام ورود شما این اطلاعات را می‌گیرد.';
  return `اجازه‌ای که داده‌اید: ${kinds.length ? kinds.join('، ') : 'فقط یک شناسهٔ کاربری'}.${stay}`;
}

/**
 * The demo after-sales service site: another group site with a narrower scope
 * (`openid profile phone`). A person signed in at the sales site only approves the consent here.
 */
export function createServiceSite(options: ServiceSiteOptions): ServiceSite {
  const rp = createRelyingParty<Record<string, never>>(
    {
      look: { name: options.name ?? 'خدمات پس از فروش', theme: 'service' },
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
    const groupLinks = (options.groupSites ?? []).length
      ? html`<h2 class="section-title">سایت‌های دیگر گروه</h2>
<ul>${(options.groupSites ?? []).map((site) => html`<li><a href="${site.url}">${site.name}</a></li>`)}</ul>`
      : '';
    if (!user) {
      rp.render(ctx, {
        title: 'خدمات پس از فروش',
        main: html`<p class="lead">برای نوبت‌دهی تعمیرگاه، پیگیری گارانتی و سوابق سرویس خودرو وارد شوید.</p>
<p>اگر در سایت فروش اینترنتی وارد شده‌اید، اینجا کد تأیید لازم نیست؛ فقط یک بار اجازهٔ ورود یکپارچه می‌دهید.</p>
<div class="actions"><a class="btn" href="/login">ورود با حساب دروازه</a></div>
${groupLinks}`,
      });
      return;
    }
    const rows = SHOWN_CLAIMS.filter(({ claim }) => user.claims[claim] !== undefined).map(
      ({ claim, label, format }) => ({
        label,
        value: format ? format(user.claims[claim]) : String(user.claims[claim]),
        ltr: claim === 'phone_number',
      }),
    );
    const missing = NOT_REQUESTED.filter(({ claim }) => user.claims[claim] === undefined);
    rp.render(ctx, {
      title: 'اطلاعاتی که این سایت دریافت کرد',
      main: html`<p class="lead">این سایت فقط داده‌هایی را دارد که شما در «دروازه» اجازه دادید:</p>
${dataList(rows)}
<p class="muted">${permissionSummary(user.scope)}</p>
${
  missing.length
    ? notice(
        'info',
        html`<p>${missing.map(({ label }) => label).join(' و ')} برای این سایت فرستاده نشده است؛ این سایت به آن نیازی ندارد و آن را درخواست نکرده است.</p>`,
      )
    : ''
}
${groupLinks}`,
    });
  });

  return { rp };
}
