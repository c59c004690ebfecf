import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Store } from '../store/store.js';
import { sessionsListedFor } from './session-index.js';
import { revokeGrant } from './store-adapter.js';
import { accountSessionsKey } from './store-keys.js';

/**
 * A person's provider sessions, as the person's own page acts on them: end one site's sign-in
 * everywhere (withdrawn permission) or every session (sign out everywhere, account deleted).
 * Each site signed out gets a back-channel logout token for its session's sid, through the same
 * events oidc-provider emits for its own logouts, so back-channel-delivery.ts retries, audits and
 * counts these deliveries like those.
 */
export interface PersonSessions {
  /** Ends `clientId`'s part of every session of the person; the sites notified (one per session). */
  endSite(ctx: unknown, accountId: string, clientId: string): Promise<number>;
  /** Ends every session of the person, revoking every grant in them; the client ids notified. */
  endAll(ctx: unknown, accountId: string): Promise<string[]>;
  /** Revokes a grant and every token issued under it. */
  revokeGrant(grantId: string): Promise<void>;
  /** How many live sessions the person has. */
  count(accountId: string): Promise<number>;
}

interface SessionRecord {
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
  persist(): Promise<unknown>;
  destroy(): Promise<void>;
}

interface LogoutClient {
  clientId: string;
  backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

export function createPersonSessions(provider: Provider, store: Store): PersonSessions {
  const Session = provider.Session as unknown as {
    findByUid(uid: string): Promise<SessionRecord | undefined>;
    find(id: string): Promise<SessionRecord | undefined>;
  };

  async function sessionsOf(accountId: string, listed?: Awaited<ReturnType<typeof sessionsListedFor>>) {
    listed ??= await sessionsListedFor(store, accountId);
    const found = await Promise.all(
      listed.map((entry) => ('uid' in entry ? Session.findByUid(entry.uid) : Session.find(entry.sessionId))),
    );
    // The session itself says whose it is; an index entry can never hand over someone else's.
    return found.filter((session): session is SessionRecord => session?.accountId === accountId);
  }

  async function notify(ctx: unknown, clientId: string, accountId: string, sid: string | undefined) {
    if (!sid) return false;
    const client = (await provider.Client.find(clientId)) as unknown as LogoutClient | undefined;
    if (!client?.backchannelLogoutUri) return false;
    const emit = provider.emit.bind(provider) as (event: string, ...args: unknown[]) => boolean;
    try {
      await client.backchannelLogout(accountId, sid);
      emit('backchannel.success', ctx as KoaContextWithOIDC, client, accountId, sid);
    } catch (error) {
      emit('backchannel.error', ctx as KoaContextWithOIDC, error, client, accountId, sid);
    }
    return true;
  }

  return {
    async endSite(ctx, accountId, clientId) {
      let notified = 0;
      for (const session of await sessionsOf(accountId)) {
        const authorization = session.authorizations?.[clientId];
        if (!authorization) continue;
        if (authorization.grantId) await revokeGrant(store, authorization.grantId);
        if (await notify(ctx, clientId, accountId, authorization.sid)) notified++;
        delete session.authorizations![clientId];
        await session.persist();
      }
      return notified;
    },
    async endAll(ctx, accountId) {
      const notified = new Set<string>();
      const listed = await sessionsListedFor(store, accountId);
      for (const session of await sessionsOf(accountId, listed)) {
        for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
          if (authorization.grantId) await revokeGrant(store, authorization.grantId);
          if (await notify(ctx, clientId, accountId, authorization.sid)) notified.add(clientId);
        }
        await session.destroy();
      }
      // Only the sessions' entries: the person's set also indexes refresh chains of grants that
      // no live session holds, which a later revocation (an account deletion) must still find.
      await Promise.all(
        listed.map(({ member }) => store.removeFromTimedSet(accountSessionsKey(accountId), member)),
      );
      return [...notified];
    },
    revokeGrant: (grantId) => revokeGrant(store, grantId),
    count: async (accountId) => (await sessionsOf(accountId)).length,
  };
}
