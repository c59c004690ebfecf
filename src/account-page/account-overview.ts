import type { Account } from '../accounts/account.js';
import type { SecurityAuditEntry } from '../audit/security-audit.js';
import type { PageBase } from '../http/view-models.js';
import type { Locale } from '../i18n/index.js';
import { claimKeysFor } from '../oidc/claims.js';
import { BirthDate } from '../validation/birth-date.js';
import { formatInstant, formatIso } from './account-dates.js';
import type { AccountPageDeps } from './account-deps.js';

/** What views/account.ejs shows. Every text is the person's own; dates already formatted. */
export interface AccountPage extends PageBase {
  csrf: string;
  notice?: string;
  noticeIsError?: boolean;
  person: {
    name: string;
    fatherName: string;
    /** Masked unless the person asked to see it (`?reveal=national_code`). */
    nationalCode: string;
    nationalCodeRevealed: boolean;
    birthDateJalali: string;
    birthDateGregorian: string;
    mobile: string;
    verifiedAt?: string;
    checks: Array<{ key: string; at?: string }>;
  };
  sites: Array<{
    clientId: string;
    name: string;
    claimKeys: string[];
    grantedAt?: string;
    lastSignIn?: string;
  }>;
  passkeys: Array<{ id: string; name: string; createdAt?: string; lastUsedAt?: string }>;
  activity: Array<{ at?: string; eventKey: string; site?: string; method?: string; network?: string }>;
}

/** Notices a finished action may ask the page to show (`?done=`): nothing else is printed. */
export const NOTICES: Record<string, string> = {
  withdrawn: 'account.notice.withdrawn',
  'passkey-renamed': 'account.notice.passkeyRenamed',
  'passkey-removed': 'account.notice.passkeyRemoved',
  'passkey-name-empty': 'account.notice.passkeyNameEmpty',
  rechecked: 'account.notice.rechecked',
  'recheck-impossible': 'account.notice.recheckImpossible',
  'recheck-mobile-not-owned': 'identity.mobile_not_owned',
  'recheck-registry-mismatch': 'identity.registry_mismatch',
  'recheck-deceased': 'identity.deceased',
  'recheck-identity-checks': 'account.notice.recheckLimit',
  'recheck-unavailable': 'identity.unavailable',
};

/** Notices that say something did not happen (shown as errors). */
export const ERROR_NOTICES = new Set([
  'passkey-name-empty',
  'recheck-impossible',
  'recheck-mobile-not-owned',
  'recheck-registry-mismatch',
  'recheck-deceased',
  'recheck-identity-checks',
  'recheck-unavailable',
]);

/** Events of the person's own log the page lists, and their names there. */
const EVENT_KEYS: Record<string, string> = {
  'login.succeeded': 'account.event.login',
  'site.signed_in': 'account.event.siteSignIn',
  'consent.granted': 'account.event.consentGranted',
  'consent.denied': 'account.event.consentDenied',
  'consent.withdrawn': 'account.event.consentWithdrawn',
  'identity.verified': 'account.event.identityVerified',
  'passkey.enrolled': 'account.event.passkeyEnrolled',
  'passkey.renamed': 'account.event.passkeyRenamed',
  'passkey.removed': 'account.event.passkeyRemoved',
  logout: 'account.event.logout',
  'account.signed_out_everywhere': 'account.event.signedOutEverywhere',
  'account.exported': 'account.event.exported',
  'admin.console_refused': 'account.event.consoleRefused',
};

const ACTIVITY_SHOWN = 20;

export function maskNationalCode(digits: string): string {
  return digits.length < 6 ? '••••••••••' : `${digits.slice(0, 3)}•••••${digits.slice(-2)}`;
}

/** `+98912…` as people write it: `0912…`. */
export function localMobile(e164: string | null): string {
  return e164 ? e164.replace(/^\+98/, '0') : '';
}

export async function buildAccountPage(
  deps: AccountPageDeps,
  options: {
    account: Account;
    locale: Locale;
    csrf: string;
    reveal: boolean;
    notice?: { key: string; error: boolean };
  },
): Promise<AccountPage> {
  const { account, locale } = options;
  const sub = account.sub;
  const [consents, passkeys, entries] = await Promise.all([
    deps.consents.listFor(sub),
    deps.passkeys.listFor(sub),
    deps.audit.recentFor(sub, 60),
  ]);
  const names = new Map<string, string | undefined>();
  const nameOf = async (clientId: string) => {
    if (!names.has(clientId)) names.set(clientId, await deps.clientName(clientId, locale));
    return names.get(clientId);
  };
  const lastSignIn = (clientId: string) =>
    entries.find((entry) => entry.type === 'site.signed_in' && entry.client === clientId)?.at;

  const sites: AccountPage['sites'] = [];
  for (const { clientId, consent } of consents) {
    const name = await nameOf(clientId);
    if (name === undefined) continue;
    const scopes = consent.scope.split(' ').filter(Boolean);
    sites.push({
      clientId,
      name,
      claimKeys: [
        ...claimKeysFor(scopes, consent.claims),
        ...(scopes.includes('offline_access') ? ['permission.offline_access'] : []),
      ],
      grantedAt: formatInstant(consent.grantedAt, locale),
      lastSignIn: formatIso(lastSignIn(clientId), locale),
    });
  }

  const activity: AccountPage['activity'] = [];
  for (const entry of entries) {
    const eventKey = EVENT_KEYS[entry.type];
    if (!eventKey || activity.length >= ACTIVITY_SHOWN) continue;
    activity.push(await activityItem(entry, eventKey, locale, nameOf));
  }

  const birthDate = BirthDate.fromJalali(account.person.birthDateJalali);
  const checkedAt = account.verification.checkedAt ?? {};
  return {
    titleKey: 'page.account.title',
    csrf: options.csrf,
    ...(options.notice ? { notice: options.notice.key, noticeIsError: options.notice.error } : {}),
    currentPath: '/account',
    person: {
      name: `${account.person.firstName} ${account.person.lastName}`,
      fatherName: account.person.fatherName,
      nationalCode: options.reveal ? account.nationalCode : maskNationalCode(account.nationalCode),
      nationalCodeRevealed: options.reveal,
      birthDateJalali: account.person.birthDateJalali,
      birthDateGregorian: birthDate?.gregorian ?? '',
      mobile: localMobile(account.mobile),
      verifiedAt: formatInstant(account.verifiedAt, locale),
      checks: account.verification.checks.map((check) => ({
        key: `account.check.${check}`,
        at: formatInstant(checkedAt[check] ?? account.verifiedAt, locale),
      })),
    },
    sites,
    passkeys: passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      createdAt: formatInstant(passkey.createdAt, locale),
      lastUsedAt: formatInstant(passkey.lastUsedAt, locale),
    })),
    activity,
  };
}

async function activityItem(
  entry: SecurityAuditEntry,
  eventKey: string,
  locale: Locale,
  nameOf: (clientId: string) => Promise<string | undefined>,
): Promise<AccountPage['activity'][number]> {
  const site = entry.client ? await nameOf(entry.client) : undefined;
  return {
    at: formatIso(entry.at, locale),
    eventKey,
    ...(site ? { site } : {}),
    ...(entry.method === 'sms' || entry.method === 'passkey'
      ? { method: `account.method.${entry.method}` }
      : {}),
    ...(entry.network ? { network: entry.network } : {}),
  };
}
