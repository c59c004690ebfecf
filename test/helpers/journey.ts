import type { DemoCitizen } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, type TestBrowser } from './browser.js';
import { type AuthorizationRequest, authorizationRequest, type Harness, type TestClient } from './harness.js';

export interface JourneyOutcome {
  request: AuthorizationRequest;
  /** Pages seen, in order: mobile, code, identity, consent. */
  pages: string[];
  /** Where the browser ended: the RP callback, or the page it got stuck on. */
  last: Page;
  atCallback: boolean;
}

export interface JourneyOptions {
  params?: Record<string, string>;
  decision?: 'grant' | 'deny';
  /** Overrides for what the person types. */
  mobile?: string;
  nationalCode?: string;
  birthDate?: string;
}

/** Walks the sign-in like a person would, reading the SMS code from the fake gateway. */
export async function signIn(
  harness: Harness,
  browser: TestBrowser,
  client: TestClient,
  citizen: Pick<DemoCitizen, 'mobile' | 'nationalCode' | 'person'>,
  options: JourneyOptions = {},
): Promise<JourneyOutcome> {
  const request = await authorizationRequest(client, options.params);
  let page = await browser.get(request.url.toString());
  const pages: string[] = [];
  for (let step = 0; step < 8; step++) {
    if (new URL(page.url).origin === harness.callbackBase)
      return { request, pages, last: page, atCallback: true };
    const kind = pageKind(page);
    if (kind === 'other' || pages.at(-1) === kind) return { request, pages, last: page, atCallback: false };
    pages.push(kind);
    if (kind === 'mobile')
      page = await browser.submit(page, { mobile: options.mobile ?? citizen.mobile, captcha: '' });
    else if (kind === 'code')
      page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile) ?? '' });
    else if (kind === 'identity') {
      page = await browser.submit(page, {
        national_code: options.nationalCode ?? citizen.nationalCode,
        birth_date: options.birthDate ?? citizen.person.birthDate,
      });
    } else page = await browser.submit(page, {}, { name: 'decision', value: options.decision ?? 'grant' });
  }
  return { request, pages, last: page, atCallback: false };
}
