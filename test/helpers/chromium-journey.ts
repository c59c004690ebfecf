import type { Page } from 'playwright-core';
import { authorizationRequest, type Harness } from './harness.js';

/**
 * The journey's steps as a person takes them in Chromium: a new sign-in, the mobile page, the
 * code from the fake gateway, the identity form. `submit` presses a form's button by its action
 * and waits for the page that follows; `captcha` answers the image when the captcha is on.
 */
export function chromiumJourney(
  page: Page,
  harness: Harness,
  options: { locale: string; submit: (action: string) => Promise<unknown>; captcha?: () => string },
) {
  const { submit } = options;
  const start = async (params: Record<string, string> = {}) => {
    const request = await authorizationRequest(harness.clients.sales!, {
      ui_locales: options.locale,
      ...params,
    });
    await page.goto(request.url.toString());
  };
  const toCode = async (mobile: string) => {
    await page.locator('input[name="mobile"]').fill(mobile);
    if (options.captcha) await page.locator('input[name="captcha"]').fill(options.captcha());
    await submit('/mobile');
  };
  const toIdentity = async (mobile: string) => {
    await toCode(mobile);
    await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(mobile)!);
    await submit('/code');
  };
  const identity = async (nationalCode: string, birthDate: string) => {
    await page.locator('input[name="national_code"]').fill(nationalCode);
    await page.locator('input[name="birth_date"]').fill(birthDate);
    await submit('/identity');
  };
  return { start, toCode, toIdentity, identity };
}
