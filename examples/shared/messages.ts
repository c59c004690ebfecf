import { isLocale, type Locale } from '../../src/i18n/index.js';

export type { Locale };

/**
 * The demo sites' words, Persian (default, right to left) and English. Both catalogs have the
 * same keys (the type of `en` makes a missing or extra key a compile error). `{name}` in a
 * message is replaced by the parameter of that name.
 */
const fa = {
  'lang.label': 'زبان',
  'lang.fa': 'فارسی',
  'lang.en': 'English',
  'layout.skip': 'پرش به محتوای اصلی',
  'layout.demo': 'نمونهٔ آزمایشی',
  'layout.manageShared': 'مدیریت اطلاعاتی که دروازه به سایت‌ها می‌دهد',
  'layout.logout': 'خروج',
  'layout.footer':
    'این سایت نمونه‌ای برای نمایش ورود یکپارچه با «دروازه» است و داده‌ها را فقط در حافظه نگه می‌دارد.',
  'form.errorSummary': 'لطفاً این موارد را اصلاح کنید:',
  'form.choose': 'انتخاب کنید',
  'common.home': 'بازگشت به صفحهٔ اصلی',
  'common.user': 'کاربر',
  'error.providerDown.title': 'سامانهٔ ورود در دسترس نیست',
  'error.providerDown.message':
    'سامانهٔ ورود یکپارچه (دروازه) هم‌اکنون پاسخ نمی‌دهد. چند لحظهٔ دیگر دوباره تلاش کنید.',
  'error.badRequest.title': 'درخواست نامعتبر',
  'error.badRequest.message': 'این درخواست قابل پردازش نیست.',
  'error.unexpected.title': 'خطای غیرمنتظره',
  'error.unexpected.message': 'مشکلی پیش آمد. لطفاً دوباره تلاش کنید.',
  'error.expiredForm': 'این فرم منقضی شده است. صفحه را دوباره باز کنید و دوباره تلاش کنید.',
  'error.notFound.title': 'صفحه پیدا نشد',
  'error.notFound.message': 'نشانی این صفحه درست نیست.',
  'login.failed.title': 'ورود انجام نشد',
  'login.failed.mismatch':
    'این پاسخ ورود با درخواستی از این مرورگر جور نیست یا منقضی شده است. دوباره وارد شوید.',
  'login.failed.expired': 'مهلت این درخواست ورود تمام شده است. دوباره وارد شوید.',
  'login.failed.provider': 'سامانهٔ ورود درخواست را انجام نداد. دوباره تلاش کنید.',
  'login.failed.rejected': 'پاسخ سامانهٔ ورود پذیرفته نشد. دوباره وارد شوید.',
  'login.cancelled.title': 'ورود لغو شد',
  'login.cancelled.message': 'ورود را لغو کردید و اطلاعاتی دریافت نشد. هر زمان خواستید دوباره وارد شوید.',
  'login.denied.title': 'اجازهٔ ورود داده نشد',
  'login.denied.message':
    'شما اجازهٔ ورود یکپارچه را به این سایت ندادید، پس اطلاعاتی دریافت نشد. هر زمان خواستید دوباره وارد شوید.',
  'logout.local.title': 'از این سایت خارج شدید',
  'logout.local.message':
    'از این سایت خارج شدید، اما سامانهٔ ورود (دروازه) در دسترس نبود؛ برای خروج از سایت‌های دیگر گروه، بعداً دوباره تلاش کنید یا مرورگر را ببندید.',
  'logout.done.title': 'از حساب کاربری خارج شدید',
  'logout.done.message': 'از حساب کاربری خود در این سایت خارج شدید.',
  'logout.done.everywhere':
    'اگر خروج را در «دروازه» تأیید کرده باشید، از همهٔ سایت‌های گروه که با آن وارد شده بودید نیز خارج شده‌اید.',
  'logout.done.shared': 'اگر از رایانهٔ مشترک استفاده می‌کنید، بهتر است مرورگر را ببندید.',
  'group.title': 'سایت‌های دیگر گروه',
  'group.sso': 'با همین ورود، بدون کد تأیید دوباره وارد آن‌ها می‌شوید.',
  'sales.name': 'فروش اینترنتی خودرو',
  'sales.home.lead':
    'برای ثبت‌نام و خرید اینترنتی خودرو، ابتدا وارد شوید. ورود و احراز هویت در سامانهٔ «دروازه» انجام می‌شود:',
  'sales.home.step1': 'شماره همراه و کد امنیتی، سپس کد تأیید پیامکی',
  'sales.home.step2': 'کد ملی و تاریخ تولد (فقط بار اول، برای احراز هویت برخط)',
  'sales.home.step3': 'اجازهٔ ورود یکپارچه؛ سپس تکمیل اطلاعات شخصی در همین سایت',
  'sales.home.mobileWarning':
    'شماره همراه باید به نام خود شما ثبت شده و فعال باشد؛ در غیر این صورت احراز هویت ممکن نیست.',
  'sales.home.login': 'ورود / ثبت‌نام کاربر',
  'sales.home.registered': 'ثبت‌نام شما کامل است.',
  'sales.home.viewRegistration': 'مشاهدهٔ اطلاعات ثبت‌نام',
  'sales.home.received':
    'اطلاعات هویتی شما از «دروازه» دریافت شد. برای کامل شدن ثبت‌نام، اطلاعات شخصی را تکمیل و تأیید کنید.',
  'sales.home.continueReview': 'ادامهٔ ثبت‌نام: تأیید نهایی',
  'sales.home.completeProfile': 'تکمیل اطلاعات شخصی',
  'sales.home.welcome': '{name} عزیز، خوش آمدید',
  'sales.incomplete.title': 'ثبت‌نام تکمیل نشد',
  'sales.incomplete.message': 'نشست شما پایان یافته است. دوباره وارد شوید و اطلاعات را تکمیل کنید.',
  'sales.registered.title': 'ثبت‌نام کامل شد',
  'sales.registered.message': 'ثبت‌نام شما در سایت فروش اینترنتی با موفقیت انجام شد. کد پیگیری:',
  'sales.registered.confirmedAt': 'زمان تأیید نهایی با کد پیامکی: {time}',
  'sales.profile.title': 'تکمیل اطلاعات شخصی',
  'sales.profile.lead':
    'اطلاعات هویتی شما پس از احراز برخط از «دروازه» دریافت شد. بقیهٔ اطلاعات را تکمیل کنید.',
  'sales.profile.verifiedLegend': 'اطلاعات هویتی تأییدشده',
  'sales.profile.verifiedNote': 'این اطلاعات از ثبت احوال و اپراتور تلفن همراه تأیید شده و قابل ویرایش نیست.',
  'sales.profile.moreLegend': 'اطلاعات تکمیلی',
  'sales.profile.issueDateHint': 'به تقویم شمسی، به شکل سال/ماه/روز؛ مثلاً ۱۳۹۰/۰۶/۱۵',
  'sales.profile.issueDatePlaceholder': '۱۳۹۰/۰۶/۱۵',
  'sales.profile.addressHint': 'استان، شهر، خیابان، کوچه و پلاک؛ حداکثر {max} نویسه',
  'sales.profile.save': 'ذخیره و ادامه',
  'sales.review.title': 'بازبینی و تأیید نهایی ثبت‌نام',
  'sales.review.lead': 'اطلاعات زیر را بازبینی کنید.',
  'sales.review.before': 'با «تأیید و ثبت نهایی» به «دروازه» می‌روید تا با شماره همراه و کد امنیتی،',
  'sales.review.strong': 'کد تأیید پیامکی تازه‌ای',
  'sales.review.after': 'دریافت و وارد کنید. ثبت‌نام فقط پس از این تأیید کامل می‌شود.',
  'sales.review.confirm': 'تأیید و ثبت نهایی',
  'sales.review.edit': 'ویرایش اطلاعات',
  'field.firstName': 'نام',
  'field.lastName': 'نام خانوادگی',
  'field.fullName': 'نام و نام خانوادگی',
  'field.fatherName': 'نام پدر',
  'field.nationalCode': 'کد ملی',
  'field.birthDate': 'تاریخ تولد',
  'field.mobile': 'شماره همراه',
  'field.issueDate': 'تاریخ صدور شناسنامه',
  'field.address': 'نشانی',
  'field.homeAddress': 'نشانی محل سکونت',
  'field.education': 'میزان تحصیلات',
  'education.below-diploma': 'زیر دیپلم',
  'education.diploma': 'دیپلم',
  'education.associate': 'کاردانی',
  'education.bachelor': 'کارشناسی',
  'education.master': 'کارشناسی ارشد',
  'education.doctorate': 'دکتری',
  'registry.missing':
    'تأیید ثبت احوال برای نام و تاریخ تولد دریافت نشد؛ این اطلاعات را در دفتر فروش بررسی می‌کنیم.',
  'registry.title': 'تأیید ثبت احوال',
  'registry.checkedAt': 'زمان بررسی',
  'registry.source': 'منبع',
  'registry.checkedBy': 'بررسی از طریق',
  'registry.reference': 'شناسهٔ بررسی',
  'registry.purpose': 'ثبت نام و تاریخ تولد شما در قرارداد خرید خودرو، همان‌طور که در ثبت احوال آمده است',
  'confirm.different_person':
    'تأیید با حساب دیگری انجام شد. کد تأیید باید با همان شماره همراهی دریافت شود که با آن ثبت‌نام را شروع کرده‌اید.',
  'confirm.missing_auth_time': 'زمان تأیید از سامانهٔ ورود دریافت نشد؛ ثبت‌نام تکمیل نشد. دوباره تأیید کنید.',
  'confirm.not_fresh':
    'تأیید تازه‌ای انجام نشد: برای ثبت نهایی باید کد پیامک‌شدهٔ جدید را وارد کنید. دوباره تأیید کنید.',
  'personal.issueDate.empty': 'تاریخ صدور شناسنامه را وارد کنید.',
  'personal.issueDate.format': 'تاریخ صدور را به شکل سال/ماه/روز و به تقویم شمسی وارد کنید؛ مثلاً ۱۳۹۰/۰۶/۱۵.',
  'personal.issueDate.future': 'تاریخ صدور نمی‌تواند در آینده باشد.',
  'personal.issueDate.beforeBirth': 'تاریخ صدور باید بعد از تاریخ تولد شما باشد.',
  'personal.address.empty': 'نشانی محل سکونت را وارد کنید.',
  'personal.address.invalid': 'نشانی نویسه‌های نامعتبر دارد.',
  'personal.address.short': 'نشانی کوتاه است؛ دست‌کم {min} نویسه بنویسید (شهر، خیابان، پلاک).',
  'personal.address.long': 'نشانی بلند است؛ حداکثر {max} نویسه بنویسید.',
  'personal.education.missing': 'میزان تحصیلات را از فهرست انتخاب کنید.',
  'service.name': 'خدمات پس از فروش',
  'service.home.lead': 'برای نوبت‌دهی تعمیرگاه، پیگیری گارانتی و سوابق سرویس خودرو وارد شوید.',
  'service.home.sso':
    'اگر در سایت فروش اینترنتی وارد شده‌اید، اینجا کد تأیید لازم نیست؛ فقط یک بار اجازهٔ ورود یکپارچه می‌دهید.',
  'service.home.login': 'ورود با حساب دروازه',
  'service.data.title': 'اطلاعاتی که این سایت دریافت کرد',
  'service.data.lead': 'این سایت فقط داده‌هایی را دارد که شما در «دروازه» اجازه دادید:',
  'service.data.notSent':
    '{claims} برای این سایت فرستاده نشده است؛ این سایت به آن نیازی ندارد و آن را درخواست نکرده است.',
  'service.data.and': ' و ',
  'service.claim.gender': 'جنسیت',
  'service.claim.female': 'زن',
  'service.claim.male': 'مرد',
  'service.claim.birthdateJalali': 'تاریخ تولد (شمسی)',
  'service.claim.birthdate': 'تاریخ تولد (میلادی)',
  'service.claim.phoneVerified': 'شماره همراه تأییدشده',
  'service.claim.yes': 'بله',
  'service.claim.no': 'خیر',
  'service.scope.profile': 'مشخصات (نام، جنسیت و تاریخ تولد)',
  'service.scope.phone': 'شماره همراه',
  'service.scope.nationalId': 'کد ملی و نام پدر',
  'service.scope.none': 'فقط یک شناسهٔ کاربری',
  'service.scope.list': '، ',
  'service.scope.offline': ' این سایت می‌تواند در نبود شما هم به‌روزشدهٔ این اطلاعات را بگیرد.',
  'service.scope.online': ' این سایت فقط هنگام ورود شما این اطلاعات را می‌گیرد.',
  'service.scope.summary': 'اجازه‌ای که داده‌اید: {kinds}.{stay}',
} as const;

export type MessageKey = keyof typeof fa;

const en: Record<MessageKey, string> = {
  'lang.label': 'Language',
  'lang.fa': 'فارسی',
  'lang.en': 'English',
  'layout.skip': 'Skip to main content',
  'layout.demo': 'Demo',
  'layout.manageShared': 'Manage what Darvaze shares',
  'layout.logout': 'Sign out',
  'layout.footer':
    'This is a demo site showing single sign-on with Darvaze; it keeps its data in memory only.',
  'form.errorSummary': 'Please correct the following:',
  'form.choose': 'Choose one',
  'common.home': 'Back to the home page',
  'common.user': 'User',
  'error.providerDown.title': 'The sign-in service is unavailable',
  'error.providerDown.message':
    'The single sign-on service (Darvaze) is not answering right now. Try again in a few moments.',
  'error.badRequest.title': 'Invalid request',
  'error.badRequest.message': 'This request cannot be processed.',
  'error.unexpected.title': 'Unexpected error',
  'error.unexpected.message': 'Something went wrong. Please try again.',
  'error.expiredForm': 'This form has expired. Open the page again and try again.',
  'error.notFound.title': 'Page not found',
  'error.notFound.message': 'The address of this page is not right.',
  'login.failed.title': 'Sign-in did not complete',
  'login.failed.mismatch':
    'This sign-in response does not match a request from this browser, or it has expired. Sign in again.',
  'login.failed.expired': 'This sign-in request has timed out. Sign in again.',
  'login.failed.provider': 'The sign-in service did not complete the request. Try again.',
  'login.failed.rejected': 'The sign-in service’s response was not accepted. Sign in again.',
  'login.cancelled.title': 'Sign-in cancelled',
  'login.cancelled.message':
    'You cancelled the sign-in and no information was received. Sign in again whenever you like.',
  'login.denied.title': 'Sign-in not allowed',
  'login.denied.message':
    'You did not allow single sign-on to this site, so no information was received. Sign in again whenever you like.',
  'logout.local.title': 'You have signed out of this site',
  'logout.local.message':
    'You have signed out of this site, but the sign-in service (Darvaze) was unavailable; to sign out of the other group sites, try again later or close the browser.',
  'logout.done.title': 'You have signed out',
  'logout.done.message': 'You have signed out of your account on this site.',
  'logout.done.everywhere':
    'If you confirmed signing out at Darvaze, you have also signed out of every group site you signed in to with it.',
  'logout.done.shared': 'If you are using a shared computer, it is best to close the browser.',
  'group.title': 'Other group sites',
  'group.sso': 'With this same sign-in you enter them without a new verification code.',
  'sales.name': 'Online car sales',
  'sales.home.lead':
    'To register and buy a car online, sign in first. Sign-in and identity verification happen at Darvaze:',
  'sales.home.step1': 'Mobile number and security code, then an SMS verification code',
  'sales.home.step2': 'National code and date of birth (first time only, for online identity verification)',
  'sales.home.step3': 'Permission for single sign-on; then completing your personal information on this site',
  'sales.home.mobileWarning':
    'The mobile number must be registered in your own name and active; otherwise identity verification is not possible.',
  'sales.home.login': 'Sign in / Register',
  'sales.home.registered': 'Your registration is complete.',
  'sales.home.viewRegistration': 'View your registration',
  'sales.home.received':
    'Your identity information was received from Darvaze. To complete your registration, fill in and confirm your personal information.',
  'sales.home.continueReview': 'Continue registration: final confirmation',
  'sales.home.completeProfile': 'Complete your personal information',
  'sales.home.welcome': 'Welcome, {name}',
  'sales.incomplete.title': 'Registration not completed',
  'sales.incomplete.message': 'Your session has ended. Sign in again and complete your information.',
  'sales.registered.title': 'Registration complete',
  'sales.registered.message': 'Your registration on the online sales site is complete. Tracking code:',
  'sales.registered.confirmedAt': 'Time of the final SMS confirmation: {time}',
  'sales.profile.title': 'Complete your personal information',
  'sales.profile.lead':
    'Your identity information was received from Darvaze after online verification. Fill in the rest.',
  'sales.profile.verifiedLegend': 'Verified identity information',
  'sales.profile.verifiedNote':
    'This information was confirmed by the civil registry and the mobile operator and cannot be edited.',
  'sales.profile.moreLegend': 'Further information',
  'sales.profile.issueDateHint': 'Solar Hijri calendar, as year/month/day; for example 1390/06/15',
  'sales.profile.issueDatePlaceholder': '1390/06/15',
  'sales.profile.addressHint': 'Province, city, street, alley and number; at most {max} characters',
  'sales.profile.save': 'Save and continue',
  'sales.review.title': 'Review and confirm your registration',
  'sales.review.lead': 'Review the information below.',
  'sales.review.before':
    'With “Confirm and register” you go to Darvaze to receive and enter, with your mobile number and the security code, a',
  'sales.review.strong': 'new SMS verification code',
  'sales.review.after': '. Your registration is complete only after this confirmation.',
  'sales.review.confirm': 'Confirm and register',
  'sales.review.edit': 'Edit information',
  'field.firstName': 'First name',
  'field.lastName': 'Last name',
  'field.fullName': 'Full name',
  'field.fatherName': 'Father’s name',
  'field.nationalCode': 'National code',
  'field.birthDate': 'Date of birth',
  'field.mobile': 'Mobile number',
  'field.issueDate': 'ID card issue date',
  'field.address': 'Address',
  'field.homeAddress': 'Home address',
  'field.education': 'Education',
  'education.below-diploma': 'Below high-school diploma',
  'education.diploma': 'High-school diploma',
  'education.associate': 'Associate degree',
  'education.bachelor': 'Bachelor’s degree',
  'education.master': 'Master’s degree',
  'education.doctorate': 'Doctorate',
  'registry.missing':
    'The civil registry’s confirmation of your name and date of birth was not received; the sales office will check this information.',
  'registry.title': 'Civil registry confirmation',
  'registry.checkedAt': 'Checked at',
  'registry.source': 'Source',
  'registry.checkedBy': 'Checked through',
  'registry.reference': 'Check reference',
  'registry.purpose':
    'To put your name and date of birth, as the civil registry has them, in the car purchase contract',
  'confirm.different_person':
    'The confirmation was made with another account. The verification code must be received on the same mobile number you started the registration with.',
  'confirm.missing_auth_time':
    'The time of the confirmation was not received from the sign-in service; the registration was not completed. Confirm again.',
  'confirm.not_fresh':
    'No new confirmation was made: to register you must enter a newly sent SMS code. Confirm again.',
  'personal.issueDate.empty': 'Enter the ID card issue date.',
  'personal.issueDate.format':
    'Enter the issue date as year/month/day in the Solar Hijri calendar; for example 1390/06/15.',
  'personal.issueDate.future': 'The issue date cannot be in the future.',
  'personal.issueDate.beforeBirth': 'The issue date must be after your date of birth.',
  'personal.address.empty': 'Enter your home address.',
  'personal.address.invalid': 'The address has invalid characters.',
  'personal.address.short':
    'The address is too short; write at least {min} characters (city, street, number).',
  'personal.address.long': 'The address is too long; write at most {max} characters.',
  'personal.education.missing': 'Choose your education from the list.',
  'service.name': 'After-sales service',
  'service.home.lead':
    'Sign in to book a workshop appointment, follow a warranty and see your car’s service history.',
  'service.home.sso':
    'If you are signed in at the online sales site, no verification code is needed here; you only give permission for single sign-on once.',
  'service.home.login': 'Sign in with Darvaze',
  'service.data.title': 'The information this site received',
  'service.data.lead': 'This site has only the data you allowed at Darvaze:',
  'service.data.notSent': '{claims}: not sent to this site; it does not need it and did not ask for it.',
  'service.data.and': ' and ',
  'service.claim.gender': 'Gender',
  'service.claim.female': 'Female',
  'service.claim.male': 'Male',
  'service.claim.birthdateJalali': 'Date of birth (Solar Hijri)',
  'service.claim.birthdate': 'Date of birth (Gregorian)',
  'service.claim.phoneVerified': 'Mobile number verified',
  'service.claim.yes': 'Yes',
  'service.claim.no': 'No',
  'service.scope.profile': 'profile (name, gender and date of birth)',
  'service.scope.phone': 'mobile number',
  'service.scope.nationalId': 'national code and father’s name',
  'service.scope.none': 'only a user identifier',
  'service.scope.list': ', ',
  'service.scope.offline': ' This site can fetch updates of this information even when you are away.',
  'service.scope.online': ' This site receives this information only when you sign in.',
  'service.scope.summary': 'The permission you gave: {kinds}.{stay}',
};

const catalogs: Record<Locale, Record<MessageKey, string>> = { fa, en };

/** The message `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export const DEFAULT_LOCALE: Locale = 'fa';

/** `?lang=` or the `lang` cookie when it names a supported locale; else Persian. */
export function chooseLocale(query: unknown, cookie: unknown): Locale {
  const asked = typeof query === 'string' ? query.trim().toLowerCase() : undefined;
  if (isLocale(asked)) return asked;
  return isLocale(cookie) ? cookie : DEFAULT_LOCALE;
}
