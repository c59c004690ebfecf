import type Provider from 'oidc-provider';
import { pooledRandomBase64url } from '../crypto/random-pool.js';

/**
 * Session uids that name their person, so a signed-in session is found by its uid through its
 * person's index alone (issue 17: Redis per person; one key per signed-in session fewer).
 *
 * oidc-provider looks a session up by its uid (`Session.findByUid`: an interaction's and a
 * token's session binding), and Darvaze by its person (sign out everywhere, a withdrawn site,
 * account deletion). That took two keys: `oidc:session-uid:{uid}` (uid → session id) and the
 * person's timed set of uids. A session now gets a new uid when a person signs in to it,
 *
 *   <account id>.<16 characters, 96 random bits>
 *
 * and the person's set (`oidc:account-sessions:{sub}`) holds `<those 16 characters> <session id>`
 * for it: at most 64 bytes, so the set stays in Redis's compact listpack form. Both lookups read
 * that one key. Whoever finds a session this way still compares its account (oidc-provider's
 * callers and person-sessions.ts do): an index entry can never hand over someone else's session.
 *
 * Only a session that nobody was signed in to gets a new uid: nothing refers to an anonymous
 * session's uid (oidc-provider's interactions and tokens name only signed-in sessions), and a
 * signed-in session keeps its uid, which its tokens name. Sessions whose uid is of the older form
 * (a plain nanoid, every session before this change) keep the two keys until they end.
 */

const LOCAL_LENGTH = 16;
const SEPARATOR = '.';
const LOCAL = /^[A-Za-z0-9_-]{16}$/;

export interface TaggedSessionUid {
  accountId: string;
  /** The uid's own part, unique among the person's sessions. */
  local: string;
}

export function taggedSessionUid(accountId: string): string {
  return `${accountId}${SEPARATOR}${pooledRandomBase64url((LOCAL_LENGTH * 3) / 4)}`;
}

/** The person and own part of a uid of this form; undefined for an older uid (a nanoid has no `.`). */
export function parseTaggedSessionUid(uid: string): TaggedSessionUid | undefined {
  const at = uid.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const local = uid.slice(at + 1);
  return LOCAL.test(local) ? { accountId: uid.slice(0, at), local } : undefined;
}

/** A person's set member for a session of a tagged uid. */
export const accountSessionMember = (local: string, sessionId: string) => `${local} ${sessionId}`;

/** The parts of a member of that form; undefined for an older member (a bare uid). */
export function parseAccountSessionMember(member: string): { local: string; sessionId: string } | undefined {
  const at = member.indexOf(' ');
  return at < 0 ? undefined : { local: member.slice(0, at), sessionId: member.slice(at + 1) };
}

/** Gives a session a tagged uid when a person signs in to it (see above). */
export function useAccountTaggedSessionUids(provider: Provider): void {
  type SessionInstance = { accountId?: string; uid: string };
  const prototype = provider.Session.prototype as unknown as {
    loginAccount(this: SessionInstance, details: { accountId: string }): void;
  };
  const loginAccount = prototype.loginAccount;
  prototype.loginAccount = function (this: SessionInstance, details) {
    if (!this.accountId && details.accountId) this.uid = taggedSessionUid(details.accountId);
    loginAccount.call(this, details);
  };
}
