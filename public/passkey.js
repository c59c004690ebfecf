/*
 * Passkeys in the browser (no inline script: the CSP allows scripts from this origin only).
 * A [data-passkey] section is hidden in the HTML and shown here only when WebAuthn is there.
 * The button fetches the ceremony's options (JSON, with the page's CSRF token), runs it with
 * @simplewebauthn/browser (served from /assets/vendor/), and posts the answer in the section's
 * ordinary form, so the server answers with the same redirects as every other step.
 */
(() => {
  const webauthn = window.SimpleWebAuthnBrowser;
  const section = document.querySelector('[data-passkey]');
  if (!section || !webauthn?.browserSupportsWebAuthn()) return;
  const form = section.querySelector('form');
  const button = section.querySelector('[data-passkey-start]');
  const error = section.querySelector('[data-passkey-error]');
  const register = section.dataset.passkey === 'register';
  section.hidden = false;
  const unsupported = document.querySelector('[data-passkey-unsupported]');
  if (unsupported) unsupported.hidden = true;

  async function options() {
    const answer = await fetch(section.dataset.optionsUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ csrf: form.elements.csrf.value }),
    });
    if (!answer.ok) throw new Error(`options ${answer.status}`);
    return answer.json();
  }

  function answer(response) {
    form.elements.response.value = JSON.stringify(response);
    if (form.elements.name) form.elements.name.value = deviceName();
    form.submit();
  }

  async function run() {
    button.disabled = true;
    error.hidden = true;
    try {
      const optionsJSON = await options();
      answer(
        register
          ? await webauthn.startRegistration({ optionsJSON })
          : await webauthn.startAuthentication({ optionsJSON }),
      );
    } catch {
      // Cancelled, timed out or refused: say so and leave both ways open.
      button.disabled = false;
      error.hidden = false;
    }
  }

  /*
   * Conditional mediation: where the browser offers passkeys in the mobile field's autofill list
   * (autocomplete="tel webauthn"), a waiting request lets the person pick theirs there, without
   * pressing the button. Pressing the button aborts it (the library allows one ceremony at a
   * time) and asks for a fresh challenge, which replaces this one on the server; so a failure
   * here is silent: the button and the SMS path stay as they were.
   */
  async function offerInAutofill() {
    if (!document.querySelector('input[autocomplete$="webauthn"]')) return;
    if (!(await webauthn.browserSupportsWebAuthnAutofill())) return;
    try {
      const optionsJSON = await options();
      answer(await webauthn.startAuthentication({ optionsJSON, useBrowserAutofill: true }));
    } catch {
      // Aborted by the button, or the challenge expired while nobody picked: nothing to say.
    }
  }

  /** A first name for the new passkey on the manage page: the device, as the browser tells. */
  function deviceName() {
    const platform = navigator.userAgentData?.platform || navigator.platform || '';
    return platform.slice(0, 40);
  }

  // On the sign-in page: tell the server this device can make a passkey, so that only such a
  // device is offered one after the SMS sign-in (src/interaction/login-result.ts).
  if (!register && window.PublicKeyCredential?.isUserVerifyingPlatformAuthenticatorAvailable) {
    PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().then((available) => {
      // biome-ignore lint/suspicious/noDocumentCookie: one fixed flag; the Cookie Store API is not in every browser this serves
      if (available) document.cookie = 'passkey_platform=1; path=/interaction; max-age=86400; samesite=lax';
    });
  }

  button.addEventListener('click', run);
  if (!register) offerInAutofill();
})();
