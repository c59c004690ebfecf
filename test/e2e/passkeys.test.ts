import { createPrivateKey } from 'node:crypto';
import { expect } from 'chai';
import type { CDPSession, Page } from 'playwright-core';
import { assertion } from '../../scripts/lib/software-authenticator.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { ACR } from '../../src/oidc/assurance.js';
import {
  addPlatformAuthenticator,
  type LaunchedChromium,
  launchChromium,
  screenshot,
  skipWithoutChromium,
} from '../helpers/chromium.js';
import { claimsAtCallback } from '../helpers/chromium-journey.js';
import {
  type AuthorizationRequest,
  authorizationRequest,
  type Harness,
  startHarness,
} from '../helpers/harness.js';

const person = DEMO_CITIZENS.filter((candidate) => candidate.case === 'ordinary')[3]!;

interface VirtualCredential {
  credentialId: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

const b64url = (base64: string) => Buffer.from(base64, 'base64').toString('base64url');

/**
 * An assertion signed with the virtual authenticator's own private key, for any origin: the
 * signature is good, so a refusal can only come from the origin (or challenge) check.
 */
function forgeAssertion(credential: VirtualCredential, challenge: string, origin: string, counter: number) {
  const signer = {
    id: b64url(credential.credentialId),
    cosePublicKey: Buffer.alloc(0),
    privateKey: createPrivateKey({
      key: Buffer.from(credential.privateKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    }),
    userHandle: Buffer.from(credential.userHandle ?? '', 'base64').toString(),
  };
  return assertion(signer, { challenge, origin, rpId: 'localhost', counter });
}

/**
 * Passkeys end to end in Chromium with a virtual authenticator (CDP WebAuthn domain): enrol after
 * an SMS sign-in, sign in again with the passkey (picked in the mobile field's autofill, or with
 * the button) and no SMS, the ID token's amr/acr, and the
 * refusals: a replayed assertion, an assertion made for another origin.
 */
describe('browser: passkeys (Chromium virtual authenticator)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let chromium: LaunchedChromium;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let capturedAssertion = '';

  before(async function () {
    skipWithoutChromium(this);
    harness = await startHarness({ issuerHost: 'localhost' });
    chromium = await launchChromium();
    page = chromium.page;
    ({ cdp, authenticatorId } = await addPlatformAuthenticator(chromium));
    page.on('request', (request) => {
      if (request.url().endsWith('/passkey/sign-in') && request.method() === 'POST')
        capturedAssertion = new URLSearchParams(request.postData() ?? '').get('response') ?? '';
    });
  });
  after(async () => {
    await chromium?.close();
    await harness?.close();
  });

  const submit = async (selector: string) => {
    await Promise.all([page.waitForNavigation(), page.locator(selector).click()]);
  };
  /** Follows the consent page when there is one, to the site's callback; returns the claims. */
  const toCallback = (request: AuthorizationRequest, start: () => Promise<unknown>) =>
    claimsAtCallback(
      page,
      { client: harness.clients.sales!, callbackBase: harness.callbackBase },
      request,
      start,
    );
  const smsSentTo = () =>
    harness.sms.messages.filter((message) => message.receptor.endsWith(person.mobile.slice(-9))).length;

  it('offers a passkey after the SMS sign-in and identity check, and enrols one', async () => {
    const request = await authorizationRequest(harness.clients.sales!);
    await page.goto(request.url.toString());
    await page.locator('[data-passkey="sign-in"]').waitFor({ state: 'visible' });
    await page.locator('input[name="mobile"]').fill(person.mobile);
    await submit('form[action$="/mobile"] button[type="submit"]');
    await page.locator('input[name="code"]').fill(harness.sms.lastCodeFor(person.mobile)!);
    await submit('form[action$="/code"] button[type="submit"]');
    await page.locator('input[name="national_code"]').fill(person.nationalCode);
    await page.locator('input[name="birth_date"]').fill(person.person.birthDate);
    await submit('form[action$="/identity"] button[type="submit"]');
    expect(page.url()).to.match(/\/passkey\/enrol$/);
    await page.locator('[data-passkey="register"]').waitFor({ state: 'visible' });
    await screenshot(page, 'passkey-01-enrol-fa', [1280]);

    const claims = await toCallback(request, () => submit('[data-passkey="register"] [data-passkey-start]'));
    expect(claims.amr).to.deep.equal(['sms', 'otp']);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).to.have.length(1);
    expect(credentials[0]!.isResidentCredential).to.equal(true);
  });

  it("offers the passkey in the mobile field's autofill (conditional mediation): signed in without a click", async () => {
    await chromium.context.clearCookies();
    const sent = smsSentTo();
    const request = await authorizationRequest(harness.clients.sales!);
    // The virtual authenticator answers a waiting conditional request at once, as a person
    // picking their passkey in the autofill list would: nothing on the page is pressed. The page's
    // own navigation may report "interrupted" by the form it posts; the callback is what counts.
    const claims = await toCallback(request, () =>
      page.goto(request.url.toString(), { waitUntil: 'commit' }).catch(() => {}),
    );
    expect(claims.amr).to.deep.equal(['hwk', 'user']);
    expect(claims.acr).to.equal(ACR.passkey);
    expect(smsSentTo()).to.equal(sent);
  });

  it('signs in with the passkey button where the browser has no autofill for passkeys: no SMS, no captcha; amr hwk+user, acr passkey', async () => {
    await chromium.context.clearCookies();
    // A browser without conditional mediation (older Safari and Firefox): only the button.
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    const sent = smsSentTo();
    const request = await authorizationRequest(harness.clients.sales!);
    await page.goto(request.url.toString());
    await page.locator('[data-passkey="sign-in"]').waitFor({ state: 'visible' });
    await screenshot(page, 'passkey-02-mobile-with-passkey-fa', [1280]);
    const claims = await toCallback(request, () =>
      page.locator('[data-passkey="sign-in"] [data-passkey-start]').click(),
    );
    expect(claims.amr).to.deep.equal(['hwk', 'user']);
    expect(claims.acr).to.equal(ACR.passkey);
    expect(smsSentTo()).to.equal(sent);
    expect(capturedAssertion).to.contain('"id"');
  });

  /** Opens a new sign-in, asks for a challenge, and posts `response` as the page's script would. */
  const postAssertion = async (makeResponse: (challenge: string) => string) => {
    await chromium.context.clearCookies();
    const request = await authorizationRequest(harness.clients.sales!);
    // A page of its own: the last step's page may still be landing on the (unserved) callback.
    const page = await chromium.context.newPage();
    await page.goto(request.url.toString());
    const challenge = await page.evaluate(async () => {
      const section = document.querySelector<HTMLElement>('[data-passkey]')!;
      const csrf = section.querySelector<HTMLInputElement>('input[name="csrf"]')!.value;
      const answer = await fetch(section.dataset.optionsUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ csrf }),
      });
      return ((await answer.json()) as { challenge: string }).challenge;
    });
    const response = makeResponse(challenge);
    // Either the page answers (a refusal) or the browser goes on to the site's callback.
    const callback = page.waitForRequest((candidate) => candidate.url().startsWith(harness.callbackBase));
    const answered = page.waitForResponse((candidate) => candidate.url().endsWith('/passkey/sign-in'));
    callback.catch(() => {});
    await Promise.all([
      answered,
      page.evaluate((value) => {
        const form = document.querySelector<HTMLFormElement>('[data-passkey] form')!;
        (form.elements.namedItem('response') as HTMLInputElement).value = value;
        form.submit();
      }, response),
    ]);
    const status = (await answered).status();
    return { status, page };
  };

  it('refuses a replayed assertion (its challenge was single-use)', async () => {
    const navigation = await postAssertion(() => capturedAssertion);
    expect(navigation.status).to.equal(400);
    expect(navigation.page.url()).to.not.contain(harness.callbackBase);
    await navigation.page.locator('.error-summary').waitFor();
    await screenshot(navigation.page, 'passkey-03-refused-fa');
  });

  it('refuses an assertion made for another origin, though correctly signed', async () => {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    const credential = credentials[0]! as VirtualCredential;
    const navigation = await postAssertion((challenge) =>
      JSON.stringify(
        forgeAssertion(credential, challenge, 'https://darvaze.example.evil', credential.signCount + 5),
      ),
    );
    expect(navigation.status).to.equal(400);
    expect(navigation.page.url()).to.not.contain(harness.callbackBase);
    // The same forgery for this origin is accepted: the refusal above was the origin's.
    const ok = await postAssertion((challenge) =>
      JSON.stringify(forgeAssertion(credential, challenge, harness.issuer, credential.signCount + 10)),
    );
    expect(ok.status).to.equal(303);
  });
});
