import type { FirstPartyClientSpec } from '../first-party/first-party-clients.js';

/**
 * The admin console as a first-party relying party of the provider (src/first-party/): its own
 * client, path and session cookie, next to the person's page /account.
 */
export const ADMIN_CONSOLE_CLIENT: FirstPartyClientSpec = {
  clientId: 'darvaze-admin',
  path: '/admin',
  cookieName: 'darvaze.admin',
  name: 'Darvaze admin console',
  problemPage: {
    titleKey: 'admin.title',
    cancelled: 'admin.signInCancelled',
    expired: 'admin.signInExpired',
    failed: 'admin.signInFailed',
  },
};
