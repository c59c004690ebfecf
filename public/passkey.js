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

  async function run() {
    button.disabled = true;
    error.hidden = true;
    try {
      const answer = await fetch(section.dataset.optionsUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ csrf: form.elements.csrf.value }),
      });
      if (!answer.ok) throw new Error(`options ${answer.status}`);
      const optionsJSON = await answer.json();
      const response = register
        ? await webauthn.startRegistration({ optionsJSON })
        : await webauthn.startAuthentication({ optionsJSON });
      form.elements.response.value = JSON.stringify(response);
      if (form.elements.name) form.elements.name.value = deviceName();
      form.submit();
    } catch {
      // Cancelled, timed out or refused: say so and leave both ways open.
      button.disabled = false;
      error.hidden = false;
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
})();
