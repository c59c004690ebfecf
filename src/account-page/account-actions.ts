import type { Context } from 'koa';
import type { FirstPartyState } from '../first-party/first-party-sign-in.js';
import { localizeDigits } from '../i18n/index.js';
import { MAX_CREDENTIAL_ID_LENGTH } from '../passkeys/passkey-credentials.js';
import { BirthDate } from '../validation/birth-date.js';
import { Mobile } from '../validation/mobile.js';
import { NationalCode } from '../validation/national-code.js';
import { type AccountPageDeps, FRESH_SIGN_IN_SECONDS } from './account-deps.js';

/**
 * What the person can change on their page. Each handler runs behind requireSignIn (a sign-in at
 * most FRESH_SIGN_IN_SECONDS old) and the session's CSRF token (account-router.ts), acts only on
 * things it found under the signed-in person's own `sub`, and lands in the audit trail.
 * Something that is not theirs answers 404, the same as something that does not exist.
 */

const subOf = (ctx: Context) => (ctx.state.firstParty as FirstPartyState).sub;

function field(ctx: Context, name: string, maxLength: number): string {
  const value = (ctx.request as { body?: Record<string, unknown> }).body?.[name];
  return typeof value === 'string' && value.length <= maxLength ? value : '';
}

async function notFound(deps: AccountPageDeps, ctx: Context): Promise<void> {
  await deps.render(
    ctx,
    'error',
    { titleKey: 'page.account.title', message: { key: 'account.notYours' }, backUrl: '/account' },
    404,
  );
}

function backTo(ctx: Context, done: string, anchor: string): void {
  ctx.status = 303;
  ctx.redirect(`/account?done=${done}#${anchor}`);
}

/** Withdraws a site's permission: consent forgotten, its grants and tokens revoked, the site told. */
export async function withdrawSite(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const clientId = field(ctx, 'client_id', 200);
  const consent = clientId ? await deps.consents.find(sub, clientId) : undefined;
  if (!consent) return notFound(deps, ctx);
  await deps.consents.forget(sub, clientId);
  if (consent.grantId) await deps.sessions.revokeGrant(consent.grantId);
  const notified = await deps.sessions.endSite(ctx, sub, clientId);
  deps.record(ctx, 'consent.withdrawn', { sub, client: clientId, notified: String(notified) });
  backTo(ctx, 'withdrawn', 'sites');
}

/**
 * "Check again with the registry": the stored national code, birth date and mobile asked again
 * (mobile ownership, then the civil registry), under the identity-check limits of the journey. A
 * match updates the account (same sub); anything else changes nothing and says why.
 */
export async function recheckIdentity(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const account = await deps.accounts.findBySub(sub);
  if (!account) return notFound(deps, ctx);
  const mobile = Mobile.fromE164(account.mobile);
  const nationalCode = NationalCode.fromDigits(account.nationalCode);
  const birthDate = BirthDate.fromJalali(account.person.birthDateJalali);
  if (!mobile || !nationalCode || !birthDate) return backTo(ctx, 'recheck-impossible', 'data');
  const result = await deps.verification.verify({ mobile, nationalCode, birthDate });
  if (!result.ok) {
    deps.record(ctx, 'identity.refused', { sub, reason: result.reason, via: 'account' });
    return backTo(ctx, `recheck-${result.reason.replace(/_/g, '-')}`, 'data');
  }
  deps.record(ctx, 'identity.verified', {
    sub,
    checks: 'mobile_ownership,civil_registry',
    source: result.account.verification.source,
    via: 'account',
  });
  backTo(ctx, 'rechecked', 'data');
}

export async function renamePasskey(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const id = field(ctx, 'id', MAX_CREDENTIAL_ID_LENGTH);
  const passkey = id ? await deps.passkeys.find(id) : null;
  if (!passkey || passkey.sub !== sub) return notFound(deps, ctx);
  // Plain text, shown escaped; control characters out, Persian digits as typed.
  const name = field(ctx, 'name', 200)
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 60);
  if (!name) return backTo(ctx, 'passkey-name-empty', 'passkeys');
  await deps.passkeys.update({ ...passkey, name });
  deps.record(ctx, 'passkey.renamed', { sub });
  backTo(ctx, 'passkey-renamed', 'passkeys');
}

/** Removes a passkey; the last one only after a fresh SMS code (it was a way in without one). */
export async function removePasskey(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const id = field(ctx, 'id', MAX_CREDENTIAL_ID_LENGTH);
  const mine = await deps.passkeys.listFor(sub);
  if (!id || !mine.some((passkey) => passkey.id === id)) return notFound(deps, ctx);
  const state = ctx.state.firstParty as FirstPartyState;
  if (mine.length === 1 && !state.amr.includes('sms'))
    return deps.signIn.startSignIn(ctx, {
      maxAgeSeconds: FRESH_SIGN_IN_SECONDS,
      amr: 'sms',
      returnTo: '/account',
    });
  if (!(await deps.passkeys.remove(sub, id))) return notFound(deps, ctx);
  deps.record(ctx, 'passkey.removed', { sub, last: String(mine.length === 1) });
  backTo(ctx, 'passkey-removed', 'passkeys');
}

/** Everything Darvaze holds about the person, decrypted, as one JSON download. */
export async function exportData(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const account = await deps.accounts.findBySub(sub);
  if (!account) return notFound(deps, ctx);
  const [consents, passkeys, activity, sessions] = await Promise.all([
    deps.consents.listFor(sub),
    deps.passkeys.listFor(sub),
    deps.audit.recentFor(sub, 100),
    deps.sessions.count(sub),
  ]);
  const iso = (seconds: number | undefined) =>
    seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
  const body = {
    exported_at: new Date(deps.now()).toISOString(),
    account: {
      sub: account.sub,
      mobile: account.mobile,
      national_code: account.nationalCode,
      first_name: account.person.firstName,
      last_name: account.person.lastName,
      father_name: account.person.fatherName,
      gender: account.person.gender,
      birth_date_jalali: account.person.birthDateJalali,
      verified_at: iso(account.verifiedAt),
      verification: {
        checks: account.verification.checks,
        source: account.verification.source,
        reference: account.verification.id,
        checked_at: Object.fromEntries(
          Object.entries(account.verification.checkedAt ?? {}).map(([check, at]) => [check, iso(at)]),
        ),
      },
      created_at: iso(account.createdAt),
      updated_at: iso(account.updatedAt),
    },
    sites: await Promise.all(
      consents.map(async ({ clientId, consent }) => ({
        client_id: clientId,
        name: await deps.clientName(clientId, 'en'),
        scope: consent.scope,
        claims: consent.claims,
        granted_at: iso(consent.grantedAt),
      })),
    ),
    passkeys: passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      device_type: passkey.deviceType,
      transports: passkey.transports,
      public_key: passkey.publicKey,
      created_at: iso(passkey.createdAt),
      last_used_at: iso(passkey.lastUsedAt),
    })),
    signed_in_sessions: sessions,
    activity: activity.map(({ id: _id, request_id: _request, ...entry }) => entry),
  };
  deps.record(ctx, 'account.exported', { sub });
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Disposition', 'attachment; filename="darvaze-my-data.json"');
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(body, null, 2);
}

/** Every session and every site's tokens end; each site is told (back-channel logout). */
export async function signOutEverywhere(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const notified = await endEverything(deps, ctx, sub);
  deps.record(ctx, 'account.signed_out_everywhere', { sub, notified: String(notified.length) });
  await deps.signIn.signOut(ctx);
  await deps.render(ctx, 'account-farewell', {
    titleKey: 'page.accountSignedOut.title',
    messageKey: 'account.signedOutEverywhere',
    count: localizeDigits(ctx.state.locale === 'en' ? 'en' : 'fa', String(notified.length)),
  });
}

/** Deletes the account: everything above, then the personal data and its lookup indexes. */
export async function deleteAccount(deps: AccountPageDeps, ctx: Context): Promise<void> {
  const sub = subOf(ctx);
  const notified = await endEverything(deps, ctx, sub);
  for (const { clientId } of await deps.consents.listFor(sub)) await deps.consents.forget(sub, clientId);
  for (const passkey of await deps.passkeys.listFor(sub)) await deps.passkeys.remove(sub, passkey.id);
  await deps.passkeyOffers.forget(sub);
  await deps.accounts.delete(sub);
  await deps.audit.forgetPerson(sub);
  // Kept in the main trail: a pseudonymous id and a count, nothing about the person.
  deps.record(ctx, 'account.deleted', { sub, notified: String(notified.length) });
  await deps.signIn.signOut(ctx);
  await deps.render(ctx, 'account-farewell', {
    titleKey: 'page.accountDeleted.title',
    messageKey: 'account.deleted',
  });
}

/** Ends every provider and first-party session and revokes every grant the person's sites hold. */
async function endEverything(deps: AccountPageDeps, ctx: Context, sub: string): Promise<string[]> {
  const notified = await deps.sessions.endAll(ctx, sub);
  // Grants outside any session (a site with offline access keeps its refresh tokens after a
  // sign-out): revoked too. The consents stay (withdrawing is its own button); the next sign-in
  // at a site gets a new grant from them.
  for (const { consent } of await deps.consents.listFor(sub))
    if (consent.grantId) await deps.sessions.revokeGrant(consent.grantId);
  await deps.signIn.signOutEverywhere(sub);
  return notified;
}
