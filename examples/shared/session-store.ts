import { randomBytes } from 'node:crypto';

/** Who is signed in at a site, from the ID token the provider issued. */
export interface SiteUser {
  sub: string;
  /** The provider session's id for this site (ID token `sid`): what a logout token names. */
  sid?: string;
  /** The ID token's claims (the verified personal data included). */
  claims: Record<string, unknown>;
  authTime?: number;
  /** The scopes the provider granted. */
  scope: string;
}

/** An authorization request on its way to the provider and back. */
export interface PendingAuthorization {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** What the round trip is for: `login`, or a site's own purpose (the sales site's `confirm`). */
  purpose: string;
  /** Epoch ms when the request was made: a step-up's `auth_time` must not be older. */
  startedAt: number;
}

export interface SiteSession<Extra> {
  readonly id: string;
  /** Anti-CSRF token for this session's forms. */
  readonly csrf: string;
  readonly createdAt: number;
  lastSeenAt: number;
  user?: SiteUser;
  pending?: PendingAuthorization;
  /** The site's own data (the sales site's personal information draft). */
  extra: Extra;
}

export interface SessionStoreOptions<Extra> {
  createExtra(): Extra;
  /** Ends a session unused this long. Default 30 minutes. */
  idleSeconds?: number;
  /** Ends any session this old. Default 8 hours. */
  absoluteSeconds?: number;
  /** Oldest sessions are dropped beyond this many (memory bound). Default 10 000. */
  maxSessions?: number;
  now?: () => number;
}

/**
 * Server-side sessions in memory, keyed by a random id the browser holds in a cookie, and indexed
 * by the provider's `sid` and `sub` so a back-channel logout can find and end them.
 */
export class SessionStore<Extra> {
  private readonly sessions = new Map<string, SiteSession<Extra>>();
  private readonly bySid = new Map<string, Set<string>>();
  private readonly bySub = new Map<string, Set<string>>();
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions<Extra>) {
    this.idleMs = (options.idleSeconds ?? 30 * 60) * 1000;
    this.absoluteMs = (options.absoluteSeconds ?? 8 * 3600) * 1000;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  create(): SiteSession<Extra> {
    const now = this.now();
    const session: SiteSession<Extra> = {
      id: randomId(),
      csrf: randomId(),
      createdAt: now,
      lastSeenAt: now,
      extra: this.options.createExtra(),
    };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.destroy(oldest);
    }
    return session;
  }

  /** The live session with this id (its idle clock restarts), or undefined. */
  get(id: string | undefined): SiteSession<Extra> | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastSeenAt > this.idleMs || now - session.createdAt > this.absoluteMs) {
      this.destroy(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  /**
   * Signs a user in: a new session (new id and CSRF token, against session fixation) carries the
   * site's data over; the old one ends.
   */
  signIn(previous: SiteSession<Extra> | undefined, user: SiteUser): SiteSession<Extra> {
    const session = this.create();
    if (previous) {
      session.extra = previous.extra;
      this.destroy(previous.id);
    }
    this.setUser(session, user);
    return session;
  }

  /** Replaces the signed-in user's details (e.g. after a step-up), keeping the indexes right. */
  setUser(session: SiteSession<Extra>, user: SiteUser): void {
    this.unindex(session);
    session.user = user;
    if (user.sid) addTo(this.bySid, user.sid, session.id);
    addTo(this.bySub, user.sub, session.id);
  }

  destroy(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.unindex(session);
    this.sessions.delete(id);
    return true;
  }

  /** Ends the sessions of this provider session (`sid`), optionally also matching `sub`. */
  destroyBySid(sid: string, sub?: string): number {
    let ended = 0;
    for (const id of [...(this.bySid.get(sid) ?? [])]) {
      const session = this.sessions.get(id);
      if (session && (sub === undefined || session.user?.sub === sub) && this.destroy(id)) ended += 1;
    }
    return ended;
  }

  /** Ends every session of this person at this site. */
  destroyBySub(sub: string): number {
    let ended = 0;
    for (const id of [...(this.bySub.get(sub) ?? [])]) if (this.destroy(id)) ended += 1;
    return ended;
  }

  /** Signed-in sessions (for tests and diagnostics). */
  signedIn(): SiteSession<Extra>[] {
    return [...this.sessions.values()].filter((session) => session.user);
  }

  /** Drops expired sessions; called now and then. */
  sweep(): void {
    for (const id of [...this.sessions.keys()]) {
      const session = this.sessions.get(id);
      if (!session) continue;
      const now = this.now();
      if (now - session.lastSeenAt > this.idleMs || now - session.createdAt > this.absoluteMs)
        this.destroy(id);
    }
  }

  private unindex(session: SiteSession<Extra>): void {
    if (!session.user) return;
    if (session.user.sid) removeFrom(this.bySid, session.user.sid, session.id);
    removeFrom(this.bySub, session.user.sub, session.id);
  }
}

function randomId(): string {
  return randomBytes(32).toString('base64url');
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key) ?? new Set<string>();
  ids.add(id);
  index.set(key, ids);
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}
