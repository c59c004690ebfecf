// The test site's relying party: oidc-client-ts used as a single-page site would use it, with the
// settings the test server wrote into /settings.js. The test drives it through `window.rp`.
/* global oidc */
const manager = new oidc.UserManager({
  ...window.rpSettings,
  userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
});

/** What the test reads back about a signed-in user. */
const summary = (user) => ({
  profile: user.profile,
  scope: user.scope,
  token_type: user.token_type,
  access_token: user.access_token,
  has_id_token: typeof user.id_token === 'string',
  expires_in: user.expires_in,
});

const failure = (error) => ({ error: error?.error ?? String(error?.message ?? error) });

window.rp = {
  manager,
  summary,
  failure,
  signinSilent: () => manager.signinSilent().then(summary, failure),
  // Sign-out without the ID token in the URL (docs/integration.md section 7): with no stored
  // user, oidc-client-ts names the site by client_id instead of sending id_token_hint.
  signOut: () => manager.removeUser().then(() => manager.signoutRedirect()),
};

// The redirect, silent (iframe) and popup callbacks: signinCallback finishes whichever it is.
if (['/callback', '/silent', '/popup'].includes(window.location.pathname)) {
  window.rpResult = manager.signinCallback().then((user) => (user ? summary(user) : { done: true }), failure);
  window.rpResult.then((result) => {
    document.addEventListener('DOMContentLoaded', () => {
      document.getElementById('out').textContent = JSON.stringify(result, null, 2);
    });
  });
}
