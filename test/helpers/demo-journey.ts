import { expect } from 'chai';
import type { DemoCitizen } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, type TestBrowser } from './browser.js';
import type { DemoStack } from './demo-stack.js';

export type Citizen = Pick<DemoCitizen, 'mobile' | 'nationalCode' | 'person'>;

export interface ProviderWalk {
  /** Journey pages seen at the provider, in order. */
  pages: string[];
  /** Where the browser ended: a demo site page, or the provider page it got stuck on. */
  page: Page;
}

/**
 * Walks the provider's pages like a person (JavaScript off) until the browser is back on a
 * demo site: mobile, code (read from the fake gateway), identity, consent.
 */
export async function walkProvider(
  stack: Pick<DemoStack, 'harness'>,
  browser: TestBrowser,
  start: Page,
  citizen: Citizen,
  options: { decision?: 'grant' | 'deny' } = {},
): Promise<ProviderWalk> {
  const pages: string[] = [];
  let page = start;
  const providerOrigin = new URL(stack.harness.issuer).origin;
  for (let step = 0; step < 8; step++) {
    if (new URL(page.url).origin !== providerOrigin) return { pages, page };
    const kind = pageKind(page);
    if (kind === 'other' && /\/session\/end\/confirm"/.test(page.html)) {
      // oidc-provider's self-submitting form (another person signed in: the old session ends
      // first); without JavaScript a person presses its "Continue" button.
      pages.push('switch-account');
      page = await browser.submit(page, {});
      continue;
    }
    if (kind === 'other' || pages.at(-1) === kind) return { pages, page };
    pages.push(kind);
    if (kind === 'mobile') page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    else if (kind === 'code')
      page = await browser.submit(page, { code: stack.harness.sms.lastCodeFor(citizen.mobile) ?? '' });
    else if (kind === 'identity')
      page = await browser.submit(page, {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
      });
    else page = await browser.submit(page, {}, { name: 'decision', value: options.decision ?? 'grant' });
  }
  return { pages, page };
}

/** "User login / register" at a demo site, through the provider and back. */
export async function signInAt(
  stack: DemoStack,
  browser: TestBrowser,
  siteUrl: string,
  citizen: Citizen,
  options: { decision?: 'grant' | 'deny' } = {},
): Promise<ProviderWalk> {
  return walkProvider(stack, browser, await browser.get(`${siteUrl}/login`), citizen, options);
}

export const GOOD_PERSONAL_INFO = {
  issue_date: '۱۳۸۸/۰۳/۲۰',
  address: 'تهران، خیابان آزادی، کوچهٔ نهم، پلاک ۱۲، واحد ۳',
  education: 'bachelor',
};

/** Fills the personal information page and lands on the review page. */
export async function completePersonalInfo(
  browser: TestBrowser,
  profile: Page,
  values: Record<string, string> = GOOD_PERSONAL_INFO,
): Promise<Page> {
  return browser.submitTo(profile, '/profile', values);
}

/** Waits until the wall clock is in a later second than `epochSeconds` (auth_time resolution). */
export async function nextSecondAfter(epochSeconds: number): Promise<void> {
  const wait = (epochSeconds + 1) * 1000 - Date.now() + 20;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Whether the page shows a signed-in person (the header's sign-out form). */
export function signedIn(page: Page): boolean {
  return /action="\/logout"/.test(page.html);
}

/** Signs `citizen` in to their own page, /account, through the journey; returns that page. */
export async function signInToAccountPage(
  stack: Pick<DemoStack, 'harness'>,
  browser: TestBrowser,
  citizen: Citizen,
): Promise<Page> {
  const accountUrl = `${stack.harness.issuer}/account`;
  const walk = await walkProvider(stack, browser, await browser.get(accountUrl), citizen);
  expect(walk.page.url).to.equal(accountUrl);
  return walk.page;
}
