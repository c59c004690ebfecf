import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { epochSeconds } from '../time/clock.js';
import type { Mobile } from '../validation/mobile.js';
import type { NationalCode } from '../validation/national-code.js';
import type { Account, AccountPerson, VerificationCheck } from './account.js';
import { decodeAccount, encodeAccount } from './account-record.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';

export interface SaveVerifiedInput {
  /** Just proven to belong to this national code. */
  mobile: Mobile;
  nationalCode: NationalCode;
  person: AccountPerson;
  /** Which identity service verified it. */
  source: string;
  /** When each upstream check answered, epoch milliseconds; default: the time of saving. */
  checkedAt?: Partial<Record<VerificationCheck, number>>;
}

export interface AccountRepository {
  findBySub(sub: string): Promise<Account | null>;
  findByMobile(mobile: Mobile): Promise<Account | null>;
  findByNationalCode(nationalCode: NationalCode): Promise<Account | null>;
  /**
   * Records a successful verification. One account per national code: a known person keeps
   * their `sub` and their mobile binding moves to this number; a number bound to another person
   * is taken from them (its ownership was just verified for this person).
   */
  saveVerified(input: SaveVerifiedInput): Promise<Account>;
  /**
   * Deletes the person's record and the lookup indexes that lead to it (the person deleted their
   * account); true when there was one.
   */
  delete(sub: string): Promise<boolean>;
}

export interface AccountRepositoryDeps {
  store: Store;
  cipher: PersonalDataCipher;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

const accountSchema = z.object({
  sub: z.string().min(22),
  mobile: z.string().nullable(),
  nationalCode: z.string(),
  person: z.object({
    firstName: z.string(),
    lastName: z.string(),
    fatherName: z.string(),
    gender: z.enum(['male', 'female']),
    birthDateJalali: z.string(),
  }),
  verifiedAt: z.number(),
  verification: z.object({
    checks: z.array(z.enum(['mobile_ownership', 'civil_registry'])),
    source: z.string(),
    id: z.string().optional(),
    checkedAt: z.partialRecord(z.enum(['mobile_ownership', 'civil_registry']), z.number()).optional(),
  }),
  createdAt: z.number(),
  updatedAt: z.number(),
});

// Two writers creating the same new person at once: the loser retries as an update of the
// winner's account. More rounds than that mean something else is wrong.
const MAX_SAVE_ROUNDS = 3;

/**
 * Accounts in the store, sealed whole in a compact form (account-record.ts; keys `account:<sub>`), found through blind indexes
 * (`account:mobile:<index>` and `account:nc:<index>` → sub) so neither the store's keys nor its
 * values contain a readable national code, mobile number or name.
 *
 * Indexes are hints, the sealed record is the truth: a record is always written before an index
 * points to it, and a lookup ignores an index whose record is gone or says something else. A
 * crash between two writes therefore leaves at worst an unused record or a stale index, never a
 * lookup that returns the wrong person.
 */
export function createAccountRepository(deps: AccountRepositoryDeps): AccountRepository {
  const { store, cipher } = deps;
  const now = deps.now ?? Date.now;

  const accountKey = (sub: string) => `account:${sub}`;
  // Records and indexes hold the E.164 form (`+989…`); a Mobile becomes one here, at the store.
  const mobileKey = (e164: string) => `account:mobile:${cipher.blindIndex(`mobile:${e164}`)}`;
  // Records and indexes hold the national code's 10 digits.
  const nationalCodeKey = (digits: string) => `account:nc:${cipher.blindIndex(`national-code:${digits}`)}`;
  // The sealed record is bound to its sub: a record copied under another key does not open.
  const sealContext = (sub: string) => `account:${sub}`;

  async function findBySub(sub: string): Promise<Account | null> {
    const sealed = await store.get(accountKey(sub));
    if (sealed === null) return null;
    // An unopenable record throws rather than reading as "no account": treating it as absent
    // would let the next verification create a second account for the same person.
    const account = accountSchema.parse(decodeAccount(cipher.open(sealed, sealContext(sub)), sub));
    // An earlier-form record names its sub inside; it must be the key's (the seal binds it too).
    if (account.sub !== sub) throw new Error('account record names another sub');
    return account;
  }

  async function write(account: Account): Promise<void> {
    await store.set(accountKey(account.sub), cipher.seal(encodeAccount(account), sealContext(account.sub)));
  }

  async function findByE164(e164: string): Promise<Account | null> {
    const sub = await store.get(mobileKey(e164));
    const account = sub ? await findBySub(sub) : null;
    return account?.mobile === e164 ? account : null;
  }

  async function findByDigits(digits: string): Promise<Account | null> {
    const sub = await store.get(nationalCodeKey(digits));
    const account = sub ? await findBySub(sub) : null;
    return account?.nationalCode === digits ? account : null;
  }

  /** Points the national-code index at a new account; false when another writer got there first. */
  async function claimNationalCode(digits: string, sub: string): Promise<boolean> {
    if (await store.setIfAbsent(nationalCodeKey(digits), sub)) return true;
    if (await findByDigits(digits)) return false;
    // The index exists but leads nowhere valid (a record lost or altered): take it over.
    await store.set(nationalCodeKey(digits), sub);
    return true;
  }

  /** Takes the mobile away from whichever other account still holds it. */
  async function unbindFromOthers(e164: string, sub: string): Promise<void> {
    const holder = await findByE164(e164);
    if (holder && holder.sub !== sub) {
      await write({ ...holder, mobile: null, updatedAt: epochSeconds(now) });
    }
  }

  async function saveRound(input: SaveVerifiedInput): Promise<Account | null> {
    const existing = await findByDigits(input.nationalCode.value);
    const at = epochSeconds(now);
    const account: Account = {
      sub: existing?.sub ?? newSub(),
      mobile: input.mobile.e164,
      nationalCode: input.nationalCode.value,
      person: { ...input.person },
      verifiedAt: at,
      verification: {
        checks: ['mobile_ownership', 'civil_registry'],
        source: input.source,
        id: newVerificationId(),
        checkedAt: {
          mobile_ownership: toSeconds(input.checkedAt?.mobile_ownership, at),
          civil_registry: toSeconds(input.checkedAt?.civil_registry, at),
        },
      },
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };

    // 1. The record first: every index written below points at something real.
    await write(account);
    // 2. A new person: claim their national code, or yield to a concurrent writer.
    if (!existing && !(await claimNationalCode(account.nationalCode, account.sub))) {
      await store.delete(accountKey(account.sub));
      return null;
    }
    // 3. The mobile: taken from any other account, then pointed here.
    await unbindFromOthers(input.mobile.e164, account.sub);
    await store.set(mobileKey(input.mobile.e164), account.sub);
    // 4. A moved binding: the old number no longer leads to this account (its index would be
    //    ignored anyway, as the record now names the new number; this keeps the store tidy).
    if (existing?.mobile && existing.mobile !== input.mobile.e164) {
      const oldKey = mobileKey(existing.mobile);
      if ((await store.get(oldKey)) === account.sub) await store.delete(oldKey);
    }
    return account;
  }

  return {
    findBySub,
    findByMobile: (mobile) => findByE164(mobile.e164),
    findByNationalCode: (nationalCode) => findByDigits(nationalCode.value),

    async saveVerified(input) {
      for (let round = 0; round < MAX_SAVE_ROUNDS; round++) {
        const saved = await saveRound(input);
        if (saved) return saved;
      }
      throw new Error('account could not be saved: concurrent writers kept interfering');
    },

    async delete(sub) {
      const account = await findBySub(sub);
      if (!account) return false;
      // Indexes first, and only those still pointing here: a lookup never leads to a deleted
      // record, and an index another account took over stays theirs.
      const indexes = [
        nationalCodeKey(account.nationalCode),
        ...(account.mobile ? [mobileKey(account.mobile)] : []),
      ];
      await Promise.all(indexes.map((key) => store.deleteIfEquals(key, sub)));
      await store.delete(accountKey(sub));
      return true;
    },
  };
}

/** A verification's reference: random, unrelated to the person or their account's sub. */
function newVerificationId(): string {
  return randomBytes(12).toString('base64url');
}

function toSeconds(epochMs: number | undefined, fallbackSeconds: number): number {
  return epochMs === undefined ? fallbackSeconds : Math.floor(epochMs / 1000);
}

/** 16 random bytes → 22 base64url characters; unrelated to anything about the person. */
function newSub(): string {
  return randomBytes(16).toString('base64url');
}
