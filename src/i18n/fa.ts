import { accountFa } from './account-messages.js';
import { adminFa } from './admin-messages.js';
import { passkeyFa } from './passkey-messages.js';

/**
 * Persian (default) catalog. Polite, plain Persian as Iranian public services write it: the
 * reader is addressed as «شما», sentences are short, and every error says what to do next.
 * Digits are Persian; `{name}` is a placeholder filled by `translate`.
 */
export const fa = {
  ...adminFa,
  ...passkeyFa,
  ...accountFa,
  // Frame of every page
  'app.name': 'دروازه',
  'app.tagline': 'ورود یکپارچه',
  'layout.skipToContent': 'رفتن به محتوای اصلی',
  'layout.signingInTo': 'ورود به «{client}»',
  'layout.language': 'زبان',
  'layout.footer': 'دروازه، سامانه ورود یکپارچه و احراز هویت',
  'layout.footerPrivacy': 'اطلاعات شما فقط با اجازه خودتان در اختیار سایت‌ها قرار می‌گیرد.',
  'lang.fa': 'فارسی',
  'lang.en': 'English',

  // Shared form texts
  'form.errorSummaryTitle': 'لطفاً موارد زیر را بررسی کنید:',
  'form.continue': 'ادامه',
  'form.cancel': 'انصراف و بازگشت به سایت',
  'form.requiredNote': 'پر کردن همه بخش‌ها الزامی است.',

  // Page titles
  'page.mobile.title': 'ورود با شماره همراه',
  'page.code.title': 'وارد کردن کد تأیید',
  'page.identity.title': 'احراز هویت',
  'page.consent.title': 'اعطای مجوز ورود یکپارچه',
  'page.error.title': 'خطا',
  'page.logout.title': 'خروج از حساب کاربری',
  'page.loggedOut.title': 'از حساب کاربری خارج شدید',

  // Step A: mobile + captcha
  'mobile.intro':
    'برای ورود یا ثبت‌نام، شماره تلفن همراه خود را وارد کنید. یک کد تأیید برای این شماره پیامک می‌شود.',
  'mobile.label': 'شماره تلفن همراه',
  'mobile.hint': 'مانند ۰۹۱۲۳۴۵۶۷۸۹',
  'mobile.ownNameTitle': 'نکته مهم',
  'mobile.ownNameNotice':
    'شماره تلفن همراه باید به نام خود شما ثبت شده و فعال باشد. اگر این شماره به نام شخص دیگری باشد، احراز هویت شما امکان‌پذیر نیست.',
  'mobile.submit': 'ادامه',
  'captcha.label': 'کد امنیتی',
  'captcha.hint': 'رقم‌های داخل تصویر را وارد کنید.',
  'captcha.imageAlt': 'تصویر کد امنیتی: پنج رقمی را که در آن می‌بینید در کادر زیر وارد کنید',
  'captcha.refresh': 'نمایش تصویر جدید',

  // Step B: SMS code
  'code.intro': 'کد تأیید برای شماره همراه شما پیامک شد.',
  'code.sentTo': 'شماره همراه:',
  'code.label': 'کد تأیید',
  'code.hint': 'کد {length} رقمی پیامک‌شده را وارد کنید.',
  'code.submit': 'تأیید و ادامه',
  'code.notReceived': 'کد را دریافت نکرده‌اید؟',
  'code.resend': 'ارسال دوباره کد',
  'code.resendIn': 'تا {seconds} ثانیه دیگر می‌توانید درخواست کد جدید بدهید.',
  'code.changeMobile': 'تغییر شماره همراه',
  'code.sent': 'کد تأیید به شماره {mobile} پیامک شد.',
  'code.resent': 'کد تأیید جدید برای شما پیامک شد.',

  // Step C: identity
  'identity.intro':
    'برای تکمیل ثبت‌نام، کد ملی و تاریخ تولد خود را وارد کنید. این اطلاعات با سامانه ثبت احوال تطبیق داده می‌شود.',
  'national_code.label': 'کد ملی',
  'national_code.hint': 'کد ملی ۱۰ رقمی، بدون خط تیره',
  'birth_date.label': 'تاریخ تولد',
  'birth_date.hint':
    'به تاریخ شمسی و به شکل سال/ماه/روز؛ مانند ۱۳۷۰/۰۵/۱۴ یا هشت رقم پشت سر هم بدون خط مورب: ۱۳۷۰۰۵۱۴',
  'birth_date.placeholder': '۱۳۷۰/۰۵/۱۴',
  'identity.submit': 'تأیید و ادامه',

  // Step D: consent
  'consent.intro': 'سایت «{client}» درخواست دارد اطلاعات زیر از شما را دریافت کند:',
  'consent.moreThanBefore':
    'این سایت اکنون اطلاعاتی بیش از دفعه قبل درخواست کرده است. مواردی که پیش‌تر اجازه داده‌اید مشخص شده‌اند.',
  'consent.claimsHeading': 'اطلاعاتی که فرستاده می‌شود',
  'consent.noClaims': 'به‌جز یک شناسه کاربری، هیچ اطلاعات شخصی‌ای فرستاده نمی‌شود.',
  'consent.permissionsHeading': 'دسترسی‌های دیگر',
  'consent.alreadyGranted': 'پیش‌تر اجازه داده‌اید',
  'consent.explain':
    'با انتخاب «اعطای مجوز ورود یکپارچه»، این اطلاعات به‌طور خودکار به سایت «{client}» فرستاده می‌شود و می‌توانید بدون ثبت‌نام دوباره وارد آن شوید.',
  'consent.remember': 'انتخاب شما برای دفعه‌های بعد به خاطر سپرده می‌شود.',
  'consent.grant': 'اعطای مجوز ورود یکپارچه',
  'consent.deny': 'اجازه نمی‌دهم',
  'consent.linksHeading': 'درباره این سایت',
  'consent.clientUri': 'وبگاه',
  'consent.policyUri': 'حریم خصوصی',
  'consent.tosUri': 'شرایط استفاده',
  'consent.opensInNewTab': '(در برگه جدید باز می‌شود)',
  'consent.verifiedHeading': 'تأییدشده با ثبت احوال و اپراتور تلفن همراه شما',
  'consent.verifiedExplain':
    'سایت «{client}» این موارد را همان‌طور که ثبت احوال تأیید کرده، همراه با زمان و روش بررسی‌شان دریافت می‌کند.',
  'consent.purposesHeading': 'دلیل درخواست سایت «{client}»',
  'consent.purposeSource': 'به گفته خود سایت:',

  // Personal data, in plain words
  'claim.name': 'نام و نام خانوادگی',
  'claim.given_name': 'نام',
  'claim.family_name': 'نام خانوادگی',
  'claim.gender': 'جنسیت',
  'claim.birthdate': 'تاریخ تولد',
  'claim.birthdate_jalali': 'تاریخ تولد (شمسی)',
  'claim.phone_number': 'شماره تلفن همراه',
  'claim.national_code': 'کد ملی',
  'claim.father_name': 'نام پدر',
  'claim.other': 'اطلاعات دیگر',
  'permission.offline_access':
    'ماندن در حساب: سایت بتواند حتی زمانی که حضور ندارید، به اطلاعات بالا دسترسی داشته باشد',

  // Error page, logout
  'error.back': 'بازگشت',
  'error.backToClient': 'بازگشت به «{client}»',
  'error.nextStep':
    'به سایتی که از آن آمده‌اید برگردید (دکمه بازگشت مرورگر) و ورود را از آنجا دوباره آغاز کنید.',
  'error.reference': 'کد پیگیری:',
  'error.referenceHelp': 'اگر با پشتیبانی تماس می‌گیرید، این کد را اعلام کنید.',
  'logout.question': 'آیا می‌خواهید از حساب کاربری خود در دروازه خارج شوید؟',
  'logout.fromClient': 'درخواست خروج از طرف سایت «{client}» است.',
  'logout.explain': 'پس از خروج، برای ورود دوباره به سایت‌ها باید کد تأیید جدیدی دریافت کنید.',
  'logout.confirm': 'بله، خارج شوم',
  'logout.stay': 'خیر، در حساب بمانم',
  'loggedOut.message': 'از حساب کاربری خود در دروازه خارج شدید.',
  'loggedOut.fromClient': 'از سایت «{client}» و دروازه خارج شدید.',
  'loggedOut.sharedDevice': 'اگر از دستگاه مشترک استفاده می‌کنید، بهتر است مرورگر را ببندید.',

  // Errors: forms
  'error.csrf': 'اعتبار این فرم به پایان رسیده است. لطفاً دوباره تلاش کنید.',
  'mobile.required': 'لطفاً شماره تلفن همراه خود را وارد کنید.',
  'mobile.invalid': 'شماره تلفن همراه درست نیست. شماره را به شکل ۰۹۱۲۳۴۵۶۷۸۹ وارد کنید.',
  'captcha.required': 'لطفاً کد امنیتی داخل تصویر را وارد کنید.',
  'captcha.wrong': 'کد امنیتی درست نیست. لطفاً کد تصویر جدید را وارد کنید.',
  'sms.cooldown': 'لطفاً {seconds} ثانیه دیگر دوباره درخواست کد کنید.',
  'sms.mobileCooldown':
    'چند لحظه پیش کدی به این شماره فرستاده شد. {seconds} ثانیه دیگر می‌توانید کد تازه بگیرید؛ آن‌وقت دوباره «ادامه» را بزنید.',
  'sms.limit':
    'تعداد درخواست‌های کد برای این شماره از حد مجاز گذشته است. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید.',
  'sms.failed': 'ارسال پیامک با مشکل روبه‌رو شد. لطفاً چند دقیقه دیگر دوباره تلاش کنید.',
  'code.required': 'لطفاً کد تأیید را وارد کنید.',
  'code.invalid': 'کد تأیید درست وارد نشده است. کد پیامک‌شده را فقط با رقم و بدون فاصله وارد کنید.',
  'code.wrong': 'کد تأیید اشتباه است. {attemptsLeft} بار دیگر می‌توانید تلاش کنید.',
  'code.expired': 'اعتبار این کد به پایان رسیده است. لطفاً کد جدید دریافت کنید.',
  'code.locked':
    'به دلیل وارد کردن چندباره کد اشتباه، ورود با این شماره موقتاً مسدود شده است. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید.',
  'national_code.required': 'لطفاً کد ملی خود را وارد کنید.',
  'national_code.invalid': 'کد ملی درست نیست. لطفاً کد ملی ۱۰ رقمی خود را بررسی کنید.',
  'birth_date.required': 'لطفاً تاریخ تولد خود را وارد کنید.',
  'birth_date.invalid':
    'تاریخ تولد درست نیست. آن را به تاریخ شمسی و به شکل سال/ماه/روز وارد کنید؛ مانند ۱۳۷۰/۰۵/۱۴.',

  // Errors: identity check
  'identity.mobile_not_owned':
    'این شماره همراه به نام شما ثبت نشده است: اپراتور تلفن همراه آن را به نام دارنده کد ملی واردشده نمی‌شناسد.',
  'identity.registry_mismatch':
    'کد ملی و تاریخ تولد واردشده با اطلاعات ثبت احوال مطابقت ندارد. لطفاً آن‌ها را بررسی کنید.',
  'identity.deceased': 'بر پایه اطلاعات ثبت احوال، احراز هویت با این کد ملی امکان‌پذیر نیست.',
  'identity.national_code_taken':
    'این کد ملی پیش‌تر با شماره همراه دیگری ثبت شده است. لطفاً با همان شماره وارد شوید یا با پشتیبانی تماس بگیرید.',
  'identity.limit':
    'تعداد استعلام‌های هویت امروز برای این شماره یا کد ملی از حد مجاز گذشته است. {hours} ساعت دیگر می‌توانید دوباره تلاش کنید.',
  'identity.unavailable':
    'سامانه استعلام هویت در حال حاضر در دسترس نیست. لطفاً چند دقیقه دیگر دوباره تلاش کنید.',

  // What to do after a refusal, a lockout or an outage
  'identity.submitAgain': 'تلاش دوباره',
  'refusal.nextStepsHeading': 'چه کاری می‌توانید بکنید',
  'refusal.checkNationalCode':
    'اگر کد ملی را اشتباه وارد کرده‌اید، آن را در زیر اصلاح کنید و دوباره تلاش کنید.',
  'refusal.useOwnNumber': 'با شماره همراهی وارد شوید که به نام خودتان ثبت شده است.',
  'refusal.askOperator':
    'برای انتقال این شماره به نام خودتان، به یکی از دفاتر خدمات اپراتور تلفن همراه خود مراجعه کنید.',
  'refusal.checkTyping': 'کد ملی و تاریخ تولد (شمسی، مانند شناسنامه) را بررسی کنید و دوباره تلاش کنید.',
  'refusal.askRegistry':
    'اگر درست وارد کرده‌اید و باز هم مطابقت ندارد، ممکن است اطلاعات ثبت احوال متفاوت باشد؛ دفاتر ثبت احوال می‌توانند آن را بررسی و اصلاح کنند.',
  'refusal.deceasedRegistry':
    'اگر فکر می‌کنید اشتباهی رخ داده است، با شناسنامه و کارت ملی به یکی از دفاتر ثبت احوال مراجعه کنید و بررسی سابقه خود را بخواهید.',
  'refusal.limitLater': 'پس از این مدت دوباره وارد شوید؛ کد تأیید تازه‌ای برایتان پیامک می‌شود.',
  'refusal.retrySoon': 'یکی دو دقیقه دیگر «تلاش دوباره» را بزنید؛ آنچه وارد کرده‌اید نگه داشته شده است.',
  'refusal.comeBackLater': 'اگر باز هم نشد، به سایت برگردید و بعداً دوباره وارد شوید.',
  'waysOn.anotherNumber': 'ورود با شماره همراه دیگر',
  'page.stepUp.title': 'تأیید دوباره هویت',
  'stepUp.reason':
    'سایت «{client}» می‌خواهد پیش از ادامه کار، با یک کد تأیید تازه مطمئن شود که همچنان خود شما هستید.',
  'stepUp.purpose': 'به گفته خود سایت:',
  'stepUp.sendTo': 'کد تأیید به این شماره پیامک می‌شود:',
  'stepUp.send': 'ارسال کد',
  'stepUp.otherNumber': 'استفاده از شماره دیگر',
  'page.locked.title': 'ورود با این شماره موقتاً متوقف شده است',
  'code.lockedExplain':
    'برای این شماره چند بار کد اشتباه وارد شده است. برای امنیت شما، {minutes} دقیقه دیگر می‌توانید دوباره تلاش کنید.',
  'code.lockedNext':
    'همین حالا می‌توانید با شماره همراه دیگری که به نام خودتان است وارد شوید، یا به سایت برگردید و بعداً دوباره بیایید.',

  // Errors: general
  'interaction.expired': 'مهلت ورود به پایان رسیده است. لطفاً به سایت برگردید و دوباره وارد شوید.',
  'error.generic': 'خطای پیش‌بینی‌نشده‌ای رخ داد. لطفاً دوباره تلاش کنید.',
  'error.unavailable': 'سامانه موقتاً در دسترس نیست. لطفاً چند دقیقه دیگر دوباره تلاش کنید.',
  'error.not_found': 'صفحه مورد نظر پیدا نشد.',
  'error.too_large': 'حجم اطلاعات ارسال‌شده بیش از حد مجاز است.',
  'error.unsupported_body': 'اطلاعات ارسال‌شده در قالبی است که این سامانه نمی‌پذیرد.',
  'error.malformed_body': 'اطلاعات ارسال‌شده خوانده نشد. لطفاً دوباره تلاش کنید.',

  // Errors: sign-in requests from sites (OpenID Connect)
  'oidc.invalid_request':
    'درخواست ورودی که سایت فرستاده، ناقص یا نادرست است. لطفاً به سایت برگردید و دوباره تلاش کنید.',
  'oidc.invalid_client': 'سایتی که از آن آمده‌اید در دروازه ثبت نشده است.',
  'oidc.invalid_redirect_uri': 'نشانی بازگشت این سایت معتبر نیست. برای حفظ امنیت شما، ورود متوقف شد.',
  'oidc.unauthorized_client': 'این سایت اجازه استفاده از این روش ورود را ندارد.',
  'oidc.access_denied': 'اجازه دسترسی داده نشد.',
  'oidc.login_required': 'برای ادامه باید وارد حساب کاربری خود شوید.',
  'oidc.consent_required': 'برای ادامه باید به این سایت اجازه دسترسی بدهید.',
  'oidc.interaction_required': 'برای ادامه باید وارد حساب کاربری خود شوید.',
  'oidc.invalid_scope': 'سایت اطلاعاتی درخواست کرده که در دروازه پشتیبانی نمی‌شود.',
  'oidc.unsupported_response_type': 'سایت از روش ورودی استفاده کرده که در دروازه پشتیبانی نمی‌شود.',
  'oidc.server_error': 'در سامانه خطایی رخ داد. لطفاً دوباره تلاش کنید.',
  'oidc.temporarily_unavailable': 'سامانه موقتاً در دسترس نیست. لطفاً چند دقیقه دیگر دوباره تلاش کنید.',
  'oidc.default': 'سایت درخواست ورود نامعتبری فرستاده است. لطفاً به سایت برگردید و دوباره تلاش کنید.',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof fa;
