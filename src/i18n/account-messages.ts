/**
 * The person's own page (/account): its messages, kept apart from the journey's catalogs (fa.ts,
 * en.ts spread them in).
 */
export const accountFa = {
  'page.account.title': 'حساب کاربری من',
  'account.signInCancelled': 'ورود انجام نشد. برای دیدن حساب کاربری خود دوباره وارد شوید.',
  'account.signInExpired': 'زمان ورود به پایان رسید. لطفاً دوباره وارد شوید.',
  'account.signInFailed': 'ورود به حساب کاربری انجام نشد. لطفاً دوباره تلاش کنید.',
  'account.tryAgain': 'ورود دوباره',
  'account.signOut': 'خروج از این صفحه',
} as const satisfies Record<string, string>;

export const accountEn: Record<keyof typeof accountFa, string> = {
  'page.account.title': 'My account',
  'account.signInCancelled': 'You did not sign in. Sign in again to see your account.',
  'account.signInExpired': 'The sign-in took too long. Please sign in again.',
  'account.signInFailed': 'Signing in to your account did not work. Please try again.',
  'account.tryAgain': 'Sign in again',
  'account.signOut': 'Sign out of this page',
};
