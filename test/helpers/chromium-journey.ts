import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { type AuthorizationRequest, authorizationRequest, type Harness, type TestClient } from './harness.js';

/** Presses the submit button of the form whose action ends with `action`, and waits for the page that follows. */
export const formSubmitter = (page: Page) => (action: string) =>
  Promise.all([
    page.waitForNavigation(),
    page.locator(`form[action$="${action}"] button[type="submit"]`).click(),
  ]);

/** Grants single sign-on permission on the consent page, and waits for the page that follows. */
export const grantConsent = (page: Page) =>
  Promise.all([page.waitForNavigation(), page.locator('button[name="decision"][value="grant"]').click()]);

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

/**
 * Runs `start` (a navigation or a click), grants consent when the page asks for it, and returns
 * the ID token's claims once the browser reaches the site's callback, where nothing listens: the
 * code is redeemed here, with the request's PKCE verifier, state and nonce.
 */
export async function claimsAtCallback(
  page: Page,
  site: { client: TestClient; callbackBase: string },
  request: AuthorizationRequest,
  start: () => Promise<unknown>,
): Promise<oidc.IDToken> {
  const callback = page.waitForRequest((candidate) => candidate.url().startsWith(site.callbackBase));
  await start();
  const consent = page.locator('button[name="decision"][value="grant"]');
  const first = await Promise.race([
    callback.then(() => 'callback'),
    consent.waitFor().then(() => 'consent'),
  ]);
  if (first === 'consent') await consent.click();
  const url = new URL((await callback).url());
  // Let the browser land on its error page now, so that this navigation does not interrupt the
  // next one.
  await page.waitForURL(/^chrome-error:/, { timeout: 10_000 }).catch(() => {});
  const tokens = await oidc.authorizationCodeGrant(site.client.config, url, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return tokens.claims()!;
}
