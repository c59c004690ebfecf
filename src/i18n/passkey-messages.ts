/**
 * The passkey pages' messages, kept apart from the journey's catalogs (fa.ts, en.ts spread them
 * in): one place to read what a person is told about passkeys, in both languages.
 */
export const passkeyFa = {
  'page.passkeyEnrol.title': 'دفعهٔ بعد سریع‌تر وارد شوید',
  'page.passkeys.title': 'کلیدهای عبور شما',
  'passkey.signIn': 'ورود با کلید عبور',
  'passkey.signInHint': 'اگر قبلاً روی این دستگاه کلید عبور ساخته‌اید، بدون پیامک وارد شوید.',
  'passkey.or': 'یا بدون پیامک',
  'passkey.what':
    'کلید عبور (Passkey) جایگزین کد پیامکی است: دفعهٔ بعد با اثر انگشت، چهره یا قفل صفحهٔ همین گوشی وارد می‌شوید، بدون انتظار برای پیامک.',
  'passkey.safe':
    'کلید عبور فقط روی دستگاه شما می‌ماند و فقط برای دروازه کار می‌کند؛ سایت جعلی نمی‌تواند آن را از شما بگیرد. اثر انگشت یا چهرهٔ شما به ما فرستاده نمی‌شود.',
  'passkey.optional': 'ساختن کلید عبور اختیاری است. ورود با پیامک همیشه در دسترس است.',
  'passkey.create': 'ساختن کلید عبور',
  'passkey.notNow': 'فعلاً نه، ادامه',
  'passkey.noSupport': 'این مرورگر از کلید عبور پشتیبانی نمی‌کند. می‌توانید ادامه دهید و با پیامک وارد شوید.',
  'passkey.cancelled': 'کلید عبور استفاده نشد. دوباره تلاش کنید یا با شمارهٔ همراه وارد شوید.',
  'passkey.failed': 'ورود با این کلید عبور ممکن نشد. دوباره تلاش کنید یا با شمارهٔ همراه وارد شوید.',
  'passkey.expired': 'زمان ورود با کلید عبور گذشت. دوباره روی «ورود با کلید عبور» بزنید.',
  'passkey.locked':
    'تلاش‌های ناموفق زیاد بود. حدود {minutes} دقیقهٔ دیگر دوباره تلاش کنید یا با شمارهٔ همراه وارد شوید.',
  'passkey.needsSms':
    'این بار لازم است با شمارهٔ همراه و کد پیامکی وارد شوید (این سایت بررسی تازهٔ هویت را خواسته است).',
  'passkey.enrolFailed': 'کلید عبور ساخته نشد. می‌توانید دوباره تلاش کنید یا بدون آن ادامه دهید.',
  'passkey.enrolDuplicate': 'این کلید عبور قبلاً ثبت شده است.',
  'passkey.defaultName': 'کلید عبور',
} as const satisfies Record<string, string>;

export const passkeyEn: Record<keyof typeof passkeyFa, string> = {
  'page.passkeyEnrol.title': 'Sign in faster next time',
  'page.passkeys.title': 'Your passkeys',
  'passkey.signIn': 'Sign in with a passkey',
  'passkey.signInHint': 'If you made a passkey on this device before, sign in without an SMS.',
  'passkey.or': 'or without an SMS',
  'passkey.what':
    'A passkey replaces the SMS code: next time you sign in with the fingerprint, face or screen lock of this phone, without waiting for a text message.',
  'passkey.safe':
    'The passkey stays on your device and works only for Darvaze, so a fake site cannot take it from you. Your fingerprint or face is never sent to us.',
  'passkey.optional': 'A passkey is optional. Signing in by SMS always stays available.',
  'passkey.create': 'Create a passkey',
  'passkey.notNow': 'Not now, continue',
  'passkey.noSupport': 'This browser does not support passkeys. You can continue and sign in by SMS.',
  'passkey.cancelled': 'The passkey was not used. Try again or sign in with your mobile number.',
  'passkey.failed':
    'Signing in with this passkey did not work. Try again or sign in with your mobile number.',
  'passkey.expired': 'The passkey sign-in timed out. Press "Sign in with a passkey" again.',
  'passkey.locked':
    'Too many failed attempts. Try again in about {minutes} minutes, or sign in with your mobile number.',
  'passkey.needsSms':
    'This time please sign in with your mobile number and an SMS code (the site asked for a fresh identity check).',
  'passkey.enrolFailed': 'The passkey was not created. You can try again or continue without it.',
  'passkey.enrolDuplicate': 'This passkey is already registered.',
  'passkey.defaultName': 'Passkey',
};
