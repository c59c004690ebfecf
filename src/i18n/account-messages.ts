/**
 * The person's own page (/account): its messages, kept apart from the journey's catalogs (fa.ts,
 * en.ts spread them in).
 */
export const accountFa = {
  'page.account.title': 'حساب کاربری من',
  'page.accountDelete.title': 'حذف حساب کاربری',
  'page.accountSignedOut.title': 'از حساب کاربری خارج شدید',
  'page.accountDeleted.title': 'حساب کاربری شما حذف شد',
  'account.signInCancelled': 'ورود انجام نشد. برای دیدن حساب کاربری خود دوباره وارد شوید.',
  'account.signInExpired': 'زمان ورود به پایان رسید. لطفاً دوباره وارد شوید.',
  'account.signInFailed': 'ورود به حساب کاربری انجام نشد. لطفاً دوباره تلاش کنید.',
  'account.tryAgain': 'ورود دوباره',
  'account.signOut': 'خروج از این صفحه',
  'account.signInAgain': 'ورود دوباره به حساب کاربری',
  'account.intro':
    'اینجا می‌بینید دروازه چه اطلاعاتی از شما دارد، به کدام سایت‌ها اجازهٔ ورود یکپارچه داده‌اید و چه زمانی وارد شده‌اید.',
  'account.sectionsNav': 'بخش‌های این صفحه',
  'account.unknown': 'نامشخص',
  'account.notYours': 'این مورد در حساب کاربری شما پیدا نشد.',
  'account.gone': 'حساب کاربری شما دیگر وجود ندارد.',
  'account.freshNote':
    'برای هر تغییر، اگر بیش از ۵ دقیقه از ورود شما گذشته باشد، دوباره وارد شوید و سپس به همین صفحه برمی‌گردید.',

  'account.data.heading': 'اطلاعات تأییدشدهٔ من',
  'account.data.reveal': 'نمایش',
  'account.data.hide': 'پنهان کردن',
  'account.data.jalali': '(خورشیدی)',
  'account.data.gregorian': '(میلادی)',
  'account.data.howVerified': 'چگونه تأیید شد',
  'account.data.recheck': 'استعلام دوباره از ثبت احوال',
  'account.data.recheckExplain':
    'اطلاعات بالا از ثبت احوال آمده است. اگر در ثبت احوال تغییر کرده، با این دکمه دوباره استعلام می‌شود (در روز تعداد محدودی استعلام ممکن است).',
  'account.check.civil_registry': 'استعلام ثبت احوال (کد ملی و تاریخ تولد)',
  'account.check.mobile_ownership': 'استعلام مالکیت خط تلفن همراه به نام شما',

  'account.sites.heading': 'سایت‌هایی که اجازه دارند',
  'account.sites.none': 'هنوز به هیچ سایتی اجازهٔ ورود یکپارچه نداده‌اید.',
  'account.sites.gets': 'این اطلاعات را دریافت می‌کند:',
  'account.sites.grantedAt': 'تاریخ اجازه:',
  'account.sites.lastSignIn': 'آخرین ورود:',
  'account.sites.notRecently': 'در فهرست فعالیت‌های اخیر نیست',
  'account.sites.withdraw': 'پس گرفتن اجازه',
  'account.sites.withdrawExplain':
    'با پس گرفتن اجازه، از آن سایت خارج می‌شوید و دفعهٔ بعد دوباره از شما اجازه خواسته می‌شود. اطلاعاتی که سایت قبلاً دریافت کرده نزد خود آن سایت می‌ماند.',

  'account.passkeys.heading': 'کلیدهای عبور من',
  'account.passkeys.none': 'کلید عبوری ندارید. پس از ورود با پیامک می‌توانید روی گوشی خود یکی بسازید.',
  'account.passkeys.created': 'ساخته‌شده:',
  'account.passkeys.lastUsed': 'آخرین استفاده:',
  'account.passkeys.neverUsed': 'هنوز استفاده نشده',
  'account.passkeys.newName': 'نام این کلید',
  'account.passkeys.rename': 'ذخیرهٔ نام',
  'account.passkeys.remove': 'حذف کلید عبور',
  'account.passkeys.lastNeedsSms': 'برای حذف آخرین کلید عبور، یک کد پیامکی تازه از شما خواسته می‌شود.',

  'account.activity.heading': 'فعالیت‌های اخیر',
  'account.activity.none': 'فعالیتی ثبت نشده است.',
  'account.activity.network': 'شبکه',
  'account.activity.explain':
    'شبکه به‌صورت تقریبی نشان داده می‌شود. اگر فعالیتی را نمی‌شناسید، «خروج از همه‌جا» را بزنید.',
  'account.event.login': 'ورود به دروازه',
  'account.event.siteSignIn': 'ورود به سایت',
  'account.event.consentGranted': 'دادن اجازه',
  'account.event.consentDenied': 'رد درخواست اجازه',
  'account.event.consentWithdrawn': 'پس گرفتن اجازه',
  'account.event.identityVerified': 'تأیید هویت با ثبت احوال',
  'account.event.passkeyEnrolled': 'ساخت کلید عبور',
  'account.event.passkeyRenamed': 'تغییر نام کلید عبور',
  'account.event.passkeyRemoved': 'حذف کلید عبور',
  'account.event.logout': 'خروج',
  'account.event.signedOutEverywhere': 'خروج از همه‌جا',
  'account.event.exported': 'دریافت نسخهٔ اطلاعات',
  'account.method.sms': 'با کد پیامکی',
  'account.method.passkey': 'با کلید عبور',

  'account.mine.heading': 'اطلاعات من و خروج',
  'account.mine.export': 'دریافت همهٔ اطلاعات من (JSON)',
  'account.mine.delete': 'حذف حساب کاربری…',
  'account.everywhere.button': 'خروج از همه‌جا',
  'account.everywhere.explain':
    'از همهٔ مرورگرها و همهٔ سایت‌ها خارج می‌شوید؛ اجازه‌هایی که داده‌اید باقی می‌مانند.',
  'account.signedOutEverywhere': 'از همه‌جا خارج شدید. به {count} سایت خبر داده شد.',
  'account.signedOutHere': 'از این صفحه خارج شدید.',

  'account.delete.warning': 'حذف حساب کاربری برگشت‌پذیر نیست.',
  'account.delete.what1': 'از همهٔ سایت‌ها و مرورگرها خارج می‌شوید و به سایت‌ها خبر داده می‌شود.',
  'account.delete.what2': 'همهٔ اجازه‌ها و کلیدهای عبور شما حذف می‌شوند.',
  'account.delete.what3': 'نام، کد ملی، تاریخ تولد و شمارهٔ همراه شما از دروازه پاک می‌شود.',
  'account.delete.what4':
    'در گزارش امنیتی فقط ثبت می‌شود که حسابی حذف شد، بدون هیچ اطلاعات شخصی. اطلاعاتی که سایت‌ها قبلاً گرفته‌اند نزد خودشان می‌ماند.',
  'account.delete.sms':
    'برای اطمینان، اگر در ۵ دقیقهٔ گذشته با کد پیامکی وارد نشده‌اید، یک کد تازه برای شما فرستاده می‌شود.',
  'account.delete.confirm': 'بله، حساب کاربری من حذف شود',
  'account.delete.cancel': 'انصراف و بازگشت',
  'account.deleted': 'حساب کاربری شما و اطلاعات شخصی‌تان از دروازه حذف شد.',
  'account.deletedNext': 'اکنون می‌توانید این صفحه را ببندید. اگر دوباره وارد شوید، حساب تازه‌ای ساخته می‌شود.',

  'account.notice.withdrawn': 'اجازهٔ آن سایت پس گرفته شد و از آن خارج شدید.',
  'account.notice.passkeyRenamed': 'نام کلید عبور ذخیره شد.',
  'account.notice.passkeyRemoved': 'کلید عبور حذف شد.',
  'account.notice.passkeyNameEmpty': 'نام کلید عبور نمی‌تواند خالی باشد.',
  'account.notice.rechecked': 'استعلام دوباره انجام شد و اطلاعات شما با ثبت احوال به‌روز است.',
  'account.notice.recheckImpossible':
    'استعلام دوباره از اینجا ممکن نیست (شمارهٔ همراهی به حساب شما متصل نیست). با شمارهٔ همراه خود دوباره وارد شوید.',
  'account.notice.recheckLimit': 'امروز به سقف استعلام هویت رسیده‌اید. لطفاً فردا دوباره تلاش کنید.',
} as const satisfies Record<string, string>;

export const accountEn: Record<keyof typeof accountFa, string> = {
  'page.account.title': 'My account',
  'page.accountDelete.title': 'Delete my account',
  'page.accountSignedOut.title': 'You have signed out',
  'page.accountDeleted.title': 'Your account has been deleted',
  'account.signInCancelled': 'You did not sign in. Sign in again to see your account.',
  'account.signInExpired': 'The sign-in took too long. Please sign in again.',
  'account.signInFailed': 'Signing in to your account did not work. Please try again.',
  'account.tryAgain': 'Sign in again',
  'account.signOut': 'Sign out of this page',
  'account.signInAgain': 'Sign in to my account again',
  'account.intro':
    'See what Darvaze holds about you, which sites you allowed to sign you in, and when you signed in.',
  'account.sectionsNav': 'Sections of this page',
  'account.unknown': 'unknown',
  'account.notYours': 'This was not found in your account.',
  'account.gone': 'Your account no longer exists.',
  'account.freshNote':
    'To change anything, if you signed in more than 5 minutes ago you sign in again first and come back to this page.',

  'account.data.heading': 'My verified data',
  'account.data.reveal': 'Show',
  'account.data.hide': 'Hide',
  'account.data.jalali': '(Solar Hijri)',
  'account.data.gregorian': '(Gregorian)',
  'account.data.howVerified': 'How it was verified',
  'account.data.recheck': 'Check again with the civil registry',
  'account.data.recheckExplain':
    'The data above comes from the civil registry. If it has changed there, this button asks again (a limited number of checks a day).',
  'account.check.civil_registry': 'Civil registry check (national code and date of birth)',
  'account.check.mobile_ownership': 'Check that the mobile number is registered in your name',

  'account.sites.heading': 'Sites with my permission',
  'account.sites.none': 'You have not given any site single sign-on permission yet.',
  'account.sites.gets': 'It receives:',
  'account.sites.grantedAt': 'Permission given:',
  'account.sites.lastSignIn': 'Last signed you in:',
  'account.sites.notRecently': 'not in your recent activity',
  'account.sites.withdraw': 'Withdraw permission',
  'account.sites.withdrawExplain':
    'Withdrawing signs you out of that site, and it asks for your permission again next time. Data the site already received stays with that site.',

  'account.passkeys.heading': 'My passkeys',
  'account.passkeys.none': 'You have no passkeys. After an SMS sign-in you can create one on your phone.',
  'account.passkeys.created': 'Created:',
  'account.passkeys.lastUsed': 'Last used:',
  'account.passkeys.neverUsed': 'not used yet',
  'account.passkeys.newName': 'Name of this passkey',
  'account.passkeys.rename': 'Save name',
  'account.passkeys.remove': 'Remove passkey',
  'account.passkeys.lastNeedsSms': 'Removing your last passkey asks for a fresh SMS code.',

  'account.activity.heading': 'Recent activity',
  'account.activity.none': 'No activity recorded.',
  'account.activity.network': 'network',
  'account.activity.explain':
    'Networks are shown approximately. If you do not recognise something, press "Sign out everywhere".',
  'account.event.login': 'Signed in to Darvaze',
  'account.event.siteSignIn': 'Signed in to a site',
  'account.event.consentGranted': 'Permission given',
  'account.event.consentDenied': 'Permission refused',
  'account.event.consentWithdrawn': 'Permission withdrawn',
  'account.event.identityVerified': 'Identity verified with the civil registry',
  'account.event.passkeyEnrolled': 'Passkey created',
  'account.event.passkeyRenamed': 'Passkey renamed',
  'account.event.passkeyRemoved': 'Passkey removed',
  'account.event.logout': 'Signed out',
  'account.event.signedOutEverywhere': 'Signed out everywhere',
  'account.event.exported': 'Copy of my data downloaded',
  'account.method.sms': 'by SMS code',
  'account.method.passkey': 'with a passkey',

  'account.mine.heading': 'My data and signing out',
  'account.mine.export': 'Download all my data (JSON)',
  'account.mine.delete': 'Delete my account…',
  'account.everywhere.button': 'Sign out everywhere',
  'account.everywhere.explain':
    'Signs you out of every browser and every site; the permissions you gave stay.',
  'account.signedOutEverywhere': 'You have signed out everywhere. {count} site(s) were told.',
  'account.signedOutHere': 'You have signed out of this page.',

  'account.delete.warning': 'Deleting your account cannot be undone.',
  'account.delete.what1': 'You are signed out of every site and browser, and the sites are told.',
  'account.delete.what2': 'All your permissions and passkeys are removed.',
  'account.delete.what3':
    'Your name, national code, date of birth and mobile number are erased from Darvaze.',
  'account.delete.what4':
    'The security log only records that an account was deleted, with no personal data. Data that sites already received stays with them.',
  'account.delete.sms':
    'To be sure it is you, if you did not sign in with an SMS code in the last 5 minutes a fresh code is sent to you.',
  'account.delete.confirm': 'Yes, delete my account',
  'account.delete.cancel': 'Cancel and go back',
  'account.deleted': 'Your account and your personal data have been deleted from Darvaze.',
  'account.deletedNext': 'You can close this page now. If you sign in again, a new account is created.',

  'account.notice.withdrawn': 'The site’s permission was withdrawn and you were signed out of it.',
  'account.notice.passkeyRenamed': 'The passkey’s name was saved.',
  'account.notice.passkeyRemoved': 'The passkey was removed.',
  'account.notice.passkeyNameEmpty': 'A passkey’s name cannot be empty.',
  'account.notice.rechecked': 'Checked again: your data is up to date with the civil registry.',
  'account.notice.recheckImpossible':
    'A new check is not possible from here (no mobile number is linked to your account). Sign in again with your mobile number.',
  'account.notice.recheckLimit':
    'You have reached today’s limit of identity checks. Please try again tomorrow.',
};
