import type { Store } from '../store/store.js';
import { accountSessionMember, parseAccountSessionMember, parseTaggedSessionUid } from './session-uids.js';
import { accountSessionsKey, isChainIndexMember, sessionUidKey } from './store-keys.js';

/**
 * How the store adapter finds provider sessions by uid and by person (session-uids.ts): a session
 * of a tagged uid through its person's timed set alone; one of an older uid through its own
 * `oidc:session-uid:{uid}` key and a bare uid in its person's set, as before.
 */
interface SessionFields {
  uid?: string;
  accountId?: unknown;
}

/** The writes that index a session saved under `id`, lapsing with it. */
export function indexSession(
  store: Store,
  id: string,
  session: SessionFields,
  expiresAt: number,
  ttl?: number,
): Promise<unknown>[] {
  if (!session.uid) return [];
  const tagged = parseTaggedSessionUid(session.uid);
  if (tagged && tagged.accountId === session.accountId)
    return [
      store.addToTimedSet(
        accountSessionsKey(tagged.accountId),
        accountSessionMember(tagged.local, id),
        expiresAt,
        ttl,
      ),
    ];
  const writes = [store.set(sessionUidKey(session.uid), id, ttl)];
  // A signed-in session is found from its person too (the uid, never the cookie's id).
  if (typeof session.accountId === 'string' && session.accountId)
    writes.push(store.addToTimedSet(accountSessionsKey(session.accountId), session.uid, expiresAt, ttl));
  return writes;
}

/** The deletes that drop a destroyed session's index entries. */
export function unindexSession(store: Store, id: string, session: SessionFields): Promise<unknown>[] {
  if (!session.uid) return [];
  const tagged = parseTaggedSessionUid(session.uid);
  if (tagged && tagged.accountId === session.accountId)
    return [
      store.removeFromTimedSet(accountSessionsKey(tagged.accountId), accountSessionMember(tagged.local, id)),
    ];
  const deletes = [store.delete(sessionUidKey(session.uid))];
  if (typeof session.accountId === 'string' && session.accountId)
    deletes.push(store.removeFromTimedSet(accountSessionsKey(session.accountId), session.uid));
  return deletes;
}

/** The id of the live session of this uid, if any. */
export async function sessionIdByUid(store: Store, uid: string): Promise<string | undefined> {
  const tagged = parseTaggedSessionUid(uid);
  if (!tagged) return (await store.get(sessionUidKey(uid))) ?? undefined;
  for (const member of await store.timedSetMembers(accountSessionsKey(tagged.accountId))) {
    const entry = parseAccountSessionMember(member);
    if (entry?.local === tagged.local) return entry.sessionId;
  }
  return undefined;
}

/**
 * A person's live sessions as their set lists them (its refresh chains left out): `{ sessionId }`
 * for a tagged member, `{ uid }` for an older one (found through its uid key), each with its
 * member. Readers still check each session's account.
 */
export async function sessionsListedFor(
  store: Store,
  accountId: string,
): Promise<Array<{ member: string } & ({ sessionId: string } | { uid: string })>> {
  return (await store.timedSetMembers(accountSessionsKey(accountId)))
    .filter((member) => !isChainIndexMember(member))
    .map((member) => {
      const entry = parseAccountSessionMember(member);
      return entry ? { member, sessionId: entry.sessionId } : { member, uid: member };
    });
}
