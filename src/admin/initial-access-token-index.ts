import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { INITIAL_ACCESS_TOKEN_INDEX_KEY, initialAccessTokenRecordKey } from './keys.js';
import type { OidcRecords } from './ports.js';

/**
 * The initial access tokens (for /reg) issued and not lapsed, so an admin can see them and revoke
 * one without holding its value: each is listed under an id (a digest prefix of the token, which
 * reveals nothing usable), with who issued it and until when. The token itself stays only where
 * it already is, oidc-provider's record and this index's record (both expire with it).
 */
export interface IssuedTokenInfo {
  id: string;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  who: string;
  /** False once it registered a client (used up) — it is then listed until it lapses. */
  usable: boolean;
}

export interface InitialAccessTokenIndex {
  remember(token: string, expiresIn: number, who: string): Promise<void>;
  list(): Promise<IssuedTokenInfo[]>;
  /** Makes the token unusable; false when there is no such id (lapsed or never issued). */
  revoke(id: string): Promise<boolean>;
}

interface TokenRecord {
  token: string;
  issuedAt: number;
  expiresAt: number;
  who: string;
}

export const initialAccessTokenId = (token: string) =>
  createHash('sha256').update(token).digest('hex').slice(0, 16);

export function createInitialAccessTokenIndex(
  store: Store,
  records: Pick<OidcRecords, 'takeInitialAccessToken' | 'hasInitialAccessToken'>,
  now: () => number,
): InitialAccessTokenIndex {
  const seconds = () => Math.floor(now() / 1000);
  const read = async (id: string) => {
    const raw = await store.get(initialAccessTokenRecordKey(id));
    return raw ? (JSON.parse(raw) as TokenRecord) : undefined;
  };
  return {
    async remember(token, expiresIn, who) {
      const id = initialAccessTokenId(token);
      const issuedAt = seconds();
      const record: TokenRecord = { token, issuedAt, expiresAt: issuedAt + expiresIn, who };
      await store.set(initialAccessTokenRecordKey(id), JSON.stringify(record), expiresIn);
      await store.addToTimedSet(INITIAL_ACCESS_TOKEN_INDEX_KEY, id, record.expiresAt, expiresIn);
    },
    async list() {
      const ids = await store.timedSetMembers(INITIAL_ACCESS_TOKEN_INDEX_KEY);
      const found = await Promise.all(
        ids.map(async (id) => {
          const record = await read(id);
          if (!record) return undefined;
          const usable = await records.hasInitialAccessToken(record.token);
          return { id, issuedAt: record.issuedAt, expiresAt: record.expiresAt, who: record.who, usable };
        }),
      );
      return found
        .filter((info): info is IssuedTokenInfo => info !== undefined)
        .sort((a, b) => b.issuedAt - a.issuedAt);
    },
    async revoke(id) {
      if (!/^[0-9a-f]{16}$/.test(id)) return false;
      const raw = await store.take(initialAccessTokenRecordKey(id));
      await store.removeFromTimedSet(INITIAL_ACCESS_TOKEN_INDEX_KEY, id);
      if (!raw) return false;
      await records.takeInitialAccessToken((JSON.parse(raw) as TokenRecord).token);
      return true;
    },
  };
}
