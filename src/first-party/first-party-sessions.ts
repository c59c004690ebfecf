import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';

/** Who is signed in to a first-party page, from the provider's ID token. */
export interface FirstPartyIdentity {
  sub: string;
  /** Epoch seconds: when the person last proved who they are (the ID token's auth_time). */
  authTime: number;
  acr?: string;
  amr: string[];
  /** The provider session's id for this client (the ID token's sid), when given. */
  sid?: string;
}

export interface FirstPartySession extends FirstPartyIdentity {
  /** Synchronizer token for this session's forms. */
  csrf: string;
  /** Epoch seconds. */
  createdAt: number;
}

/** An authorization request under way: what the callback must find again. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** A local path under the client's path. */
  returnTo: string;
  /** The max_age sent, if any: the callback checks auth_time against it. */
  maxAge?: number;
}

export interface FirstPartySessionStore {
  create(identity: FirstPartyIdentity): Promise<{ id: string; session: FirstPartySession }>;
  /** The live session (idle and absolute timeouts checked); touching it extends the idle timeout. */
  load(id: string): Promise<FirstPartySession | undefined>;
  end(id: string): Promise<void>;
  /** Ends every session of this person on this client (sign out everywhere, account deleted). */
  endAllOf(sub: string): Promise<number>;
  savePending(pending: PendingSignIn): Promise<string>;
  /** Single use: of two callbacks with the same cookie only one gets it. */
  takePending(id: string): Promise<PendingSignIn | undefined>;
}

export interface SessionTimeouts {
  idleSeconds: number;
  absoluteSeconds: number;
  pendingSeconds: number;
}

/**
 * Sessions of one first-party client in the Store. Keys hold a hash of the cookie's random id,
 * so a copy of the store holds no usable session; a per-person set (living as long as the
 * longest session) lets "sign out everywhere" find them all.
 */
export function createFirstPartySessionStore(
  store: Store,
  clientId: string,
  now: Clock,
  timeouts: SessionTimeouts,
): FirstPartySessionStore {
  const hash = (id: string) => createHash('sha256').update(id).digest('base64url').slice(0, 32);
  const sessionKey = (hashed: string) => `first-party:${clientId}:session:{${hashed}}`;
  const pendingKey = (id: string) => `first-party:${clientId}:pending:{${hash(id)}}`;
  const subjectKey = (sub: string) => `first-party:${clientId}:subject:{${sub}}`;
  const seconds = () => Math.floor(now() / 1000);
  const validId = (id: string) => /^[A-Za-z0-9_-]{43}$/.test(id);

  return {
    async create(identity) {
      const id = randomBytes(32).toString('base64url');
      const session: FirstPartySession = {
        ...identity,
        csrf: randomBytes(32).toString('base64url'),
        createdAt: seconds(),
      };
      await store.set(sessionKey(hash(id)), JSON.stringify(session), timeouts.idleSeconds);
      await store.addToSet(subjectKey(identity.sub), hash(id), timeouts.absoluteSeconds);
      return { id, session };
    },
    async load(id) {
      if (!validId(id)) return undefined;
      const key = sessionKey(hash(id));
      const raw = await store.get(key);
      if (!raw) return undefined;
      const session = JSON.parse(raw) as FirstPartySession;
      const left = session.createdAt + timeouts.absoluteSeconds - seconds();
      if (left <= 0) {
        await store.delete(key);
        return undefined;
      }
      await store.expire(key, Math.min(timeouts.idleSeconds, left));
      return session;
    },
    async end(id) {
      if (!validId(id)) return;
      const key = sessionKey(hash(id));
      const raw = await store.take(key);
      if (raw) await store.removeFromSet(subjectKey((JSON.parse(raw) as FirstPartySession).sub), hash(id));
    },
    async endAllOf(sub) {
      const hashes = await store.setMembers(subjectKey(sub));
      await Promise.all(hashes.map((hashed) => store.delete(sessionKey(hashed))));
      await store.delete(subjectKey(sub));
      return hashes.length;
    },
    async savePending(pending) {
      const id = randomBytes(32).toString('base64url');
      await store.set(pendingKey(id), JSON.stringify(pending), timeouts.pendingSeconds);
      return id;
    },
    async takePending(id) {
      if (!validId(id)) return undefined;
      const raw = await store.take(pendingKey(id));
      return raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
    },
  };
}
