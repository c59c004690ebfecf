import { errors } from 'oidc-provider';
import { type Store, StoreUnavailableError } from '../store/store.js';
import { type Clock, epochSeconds } from '../time/clock.js';
import { dropChainsOfGrant, indexChain, unindexChain } from './chain-index.js';
import { packPayload, unpackPayload } from './payload-fields.js';
import { type ChainToken, chainTokenHash, parseChainToken } from './refresh-chain.js';
import { packChainRecord, unpackChainRecord } from './refresh-chain-record.js';
import { indexSession, sessionIdByUid, unindexSession } from './session-index.js';
import {
  consumedKey,
  GRANTABLE_MODELS,
  grantIndexKey,
  grantIndexMember,
  grantKey,
  HASHED_IDS,
  keyOfGrantIndexMember,
  recordKey,
  refreshChainKey,
  userCodeKey,
} from './store-keys.js';

type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

/** Models that are single use: a second consume must fail, whoever calls it. */
const SINGLE_USE = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** Models oidc-provider calls `consume()` on (the single-use ones, and pushed requests). */
const CONSUMABLE = new Set([...SINGLE_USE, 'PushedAuthorizationRequest', 'PreAuthorizedCode']);

/**
 * Models whose payload can carry personal data: an Interaction keeps the authorization request,
 * whose `login_hint` may be a mobile number. Their payloads are sealed (AES-GCM) when a sealer
 * is given, bound to their key.
 */
const SEALED_PAYLOADS = new Set(['Interaction']);

/** What the composition root may learn from the adapter as it reads. */
export interface AdapterHooks {
  /** A refresh chain's record was found: the account it names will be read next (token-request-prefetch.ts). */
  onRefreshChainFound?(accountId: string): void;
}

/** Seals and opens payloads; the personal-data cipher fits. */
export interface PayloadSealer {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/**
 * Refresh tokens of the older format (values not naming a chain, issued before refresh-chain.ts):
 * a used refresh token is kept (marked consumed) so that a replay of it is recognised and revokes
 * the grant; keeping it for its whole chain's life (30 days) would cost a client that refreshes
 * every 15 minutes megabytes. A day covers the replays that matter — a thief and the rightful
 * client both using a stolen token — and a later replay still fails (the token is gone).
 */
const CONSUMED_REFRESH_TOKEN_SECONDS = 24 * 3600;

/**
 * oidc-provider's persistence on our Store.
 *
 * Keys (store-keys.ts): `oidc:<Model>:{<id>}` holds the JSON payload and `…:consumed` the
 * consumption mark; for token models `<id>` is the SHA-256 of the token (HASHED_IDS), and their
 * payloads are stored without the `jti` field, so a copy of the store holds no usable token. The
 * one multi-key command (an MGET of a record and its mark) stays within one hash tag, so the
 * adapter runs on a Cluster without CROSSSLOT errors.
 *
 * Single use: oidc-provider checks `consumed`, then calls `consume()`; between the two, 20
 * concurrent token requests can all pass the check. `consume()` here is an atomic
 * set-if-absent, so only the first succeeds; every later one fails with invalid_grant and
 * revokes the grant (RFC 9700 §4.5.3 / §4.14.2: a replayed code or refresh token revokes what
 * was issued from it).
 *
 * Refresh tokens name their chain (refresh-chain.ts): a chain is one record, the current token's,
 * overwritten by each rotation, and a counter of the generations used, so a grant costs the same
 * after a thousand refreshes as after one; an earlier generation presented again is a replay. The mark outlives a revocation or a destroy, so a request that read the
 * record before it went can never consume it after.
 */
export class StoreAdapter {
  constructor(
    private readonly store: Store,
    private readonly model: string,
    private readonly now: Clock,
    private readonly sealer?: PayloadSealer,
    private readonly hooks: AdapterHooks = {},
  ) {}

  static factory(store: Store, now: Clock, sealer?: PayloadSealer, hooks?: AdapterHooks) {
    const guarded = reportingOutages(store);
    return (model: string) => new StoreAdapter(guarded, model, now, sealer, hooks);
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const chain = this.chainOf(id);
    const key = chain ? refreshChainKey(chain.chainId) : this.key(id);
    const ttl = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : undefined;
    // A Client's metadata is stored as it is: the registry reads and writes it (oidc-records.ts).
    const serialise = this.model === 'Client' ? JSON.stringify : packPayload;
    const stored = chain
      ? // The chain's record now describes this token: its generation and value hash replace the previous ones.
        packChainRecord({ payload, generation: chain.generation, hash: chainTokenHash(id) })
      : serialise(withoutDerivable(payload, this.model, id));
    // The record and its indexes go out together: an index entry briefly ahead of its record
    // is harmless (every reader ignores entries whose record is missing).
    const writes: Promise<unknown>[] = [
      this.store.set(key, this.sealed() ? this.sealer!.seal(stored, key) : stored, ttl),
    ];
    if (GRANTABLE_MODELS.has(this.model) && payload.grantId) {
      // The grant's index is a timed set: each add also drops the members that expired, so a
      // grant refreshed for months keeps an index the size of its live tokens. A refresh chain is
      // indexed in its person's set instead (chain-index.ts): the grant's index lapses with its
      // short-lived records.
      writes.push(
        chain && typeof payload.accountId === 'string' && payload.accountId
          ? indexChain(
              this.store,
              payload.grantId,
              payload.accountId,
              key,
              this.storeExpiry(payload, ttl),
              ttl,
            )
          : this.store.addToTimedSet(
              grantIndexKey(payload.grantId),
              grantIndexMember(key),
              expiryOf(payload, this.now, ttl),
              ttl,
            ),
      );
    }
    if (this.model === 'Session')
      writes.push(...indexSession(this.store, id, payload, this.storeExpiry(payload, ttl), ttl));
    if (payload.userCode) writes.push(this.store.set(userCodeKey(payload.userCode), id, ttl));
    await Promise.all(writes);
  }

  async find(id: string): Promise<Payload | undefined> {
    const chain = this.chainOf(id);
    if (chain) return this.findInChain(id, chain);
    const payload = await this.read(this.key(id));
    // The id is the record's jti and the model its kind: left out of the stored payload
    // (withoutDerivable), put back here. (A Client's payload is its metadata: it has neither.)
    if (payload && this.model !== 'Client') {
      payload.jti ??= id;
      payload.kind ??= this.model;
    }
    return payload;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const id = await sessionIdByUid(this.store, uid);
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    const id = await this.store.get(userCodeKey(userCode));
    return id ? this.find(id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const chain = this.chainOf(id);
    if (chain) return this.consumeInChain(chain);
    const key = this.key(id);
    // A code's record is read (its grant, for its index below; its expiry, for the mark's life):
    // oidc-provider only names the code in the request's context after consuming it.
    const code = this.model === 'AuthorizationCode' ? await this.read(key) : undefined;
    const remaining =
      typeof code?.exp === 'number' ? code.exp - epochSeconds(this.now) : await this.store.ttl(key);
    // A used refresh token is kept a day at most (see CONSUMED_REFRESH_TOKEN_SECONDS).
    const shorten =
      this.model === 'RefreshToken' && (remaining <= 0 || remaining > CONSUMED_REFRESH_TOKEN_SECONDS);
    const keep = shorten ? CONSUMED_REFRESH_TOKEN_SECONDS : remaining > 0 ? remaining : undefined;
    const won = await this.store.setIfAbsent(consumedKey(key), String(epochSeconds(this.now)), keep);
    if (won && shorten && keep) await this.store.expire(key, keep);
    // A used code stays in its grant's index until it expires: revoking the grant (a withdrawal,
    // a deleted account) must find and remove it, since its record names the account.
    if (won || !SINGLE_USE.has(this.model)) return;
    const payload = await this.read(key);
    if (payload?.grantId) await revokeGrant(this.store, payload.grantId);
    throw new errors.InvalidGrant(
      `${this.model === 'RefreshToken' ? 'refresh token' : 'grant'} already used`,
    );
  }

  async destroy(id: string): Promise<void> {
    const chain = this.chainOf(id);
    if (chain) return this.destroyInChain(id, chain);
    const key = this.key(id);
    // Only these records have something to clean up beside them (an index entry, a lookup key):
    // any other (an Interaction at the end of every sign-in) is deleted without reading it.
    const payload =
      GRANTABLE_MODELS.has(this.model) ||
      this.model === 'Session' ||
      this.model === 'DeviceCode' ||
      this.model === 'Grant'
        ? await this.read(key)
        : undefined;
    // The consumption mark stays until it expires: deleting it would let a request still holding
    // the record consume it a second time.
    await this.store.delete(key);
    if (!payload) return;
    const cleanups: Promise<unknown>[] = [];
    if (payload.grantId && GRANTABLE_MODELS.has(this.model)) {
      cleanups.push(this.store.removeFromTimedSet(grantIndexKey(payload.grantId), grantIndexMember(key)));
    }
    if (this.model === 'Session') cleanups.push(...unindexSession(this.store, id, payload));
    // A destroyed grant's refresh chains go with it (its other records: revokeByGrantId).
    if (this.model === 'Grant' && typeof payload.accountId === 'string')
      cleanups.push(dropChainsOfGrant(this.store, id, payload.accountId));
    if (payload.userCode) cleanups.push(this.store.delete(userCodeKey(payload.userCode)));
    await Promise.all(cleanups);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await revokeGrantRecords(this.store, grantId);
  }

  /**
   * A chain token (refresh-chain.ts): the chain's current token, consumed once the chain's counter
   * passed its generation; or an earlier generation, which is a used token presented again
   * (marked consumed, so oidc-provider revokes the grant). Anything else is unknown.
   */
  private async findInChain(id: string, chain: ChainToken): Promise<Payload | undefined> {
    const key = refreshChainKey(chain.chainId);
    const [raw, used] = await this.store.getMany([key, consumedKey(key)]);
    if (!raw) return undefined;
    const { generation, hash, payload } = unpackChainRecord(raw) as {
      generation: number;
      hash: string;
      payload: Payload;
    };
    payload.kind = 'RefreshToken';
    if (chain.generation === generation) {
      // The current generation: this value or nothing (a wrong secret is not a token of ours).
      if (hash !== chainTokenHash(id)) return undefined;
      if (Number(used ?? 0) > generation) payload.consumed = epochSeconds(this.now);
    } else if (chain.generation < generation) {
      payload.consumed = epochSeconds(this.now);
      payload.rotations = chain.generation;
    } else return undefined;
    payload.jti = id;
    if (typeof payload.accountId === 'string') this.hooks.onRefreshChainFound?.(payload.accountId);
    return payload;
  }

  /**
   * Single use across a chain: the counter goes up once per consume, and only the consume that
   * takes it from this generation to the next wins; of 20 concurrent ones, 19 see a higher number,
   * fail and revoke the grant. The counter outlives a revocation (like a consumption mark).
   */
  private async consumeInChain(chain: ChainToken): Promise<void> {
    const key = refreshChainKey(chain.chainId);
    // Only a chain's first consume creates the counter, which then lives as long as the chain;
    // later ones keep that TTL (and a missing counter past generation 0 is a loss anyway).
    const remaining = chain.generation === 0 ? await this.store.ttl(key) : 0;
    const used = await this.store.increment(
      consumedKey(key),
      remaining > 0 ? remaining : CONSUMED_REFRESH_TOKEN_SECONDS,
    );
    if (used === chain.generation + 1) return;
    const payload = await this.read(key);
    if (payload?.grantId) await revokeGrant(this.store, payload.grantId);
    throw new errors.InvalidGrant('refresh token already used');
  }

  /** Destroying the chain's current token ends the chain; an earlier one is already gone. */
  private async destroyInChain(id: string, chain: ChainToken): Promise<void> {
    const key = refreshChainKey(chain.chainId);
    const raw = await this.store.get(key);
    if (!raw) return;
    const record = unpackChainRecord(raw);
    if (record.generation !== chain.generation || record.hash !== chainTokenHash(id)) return;
    await this.store.delete(key);
    const { grantId, accountId } = record.payload;
    if (typeof grantId !== 'string') return;
    await Promise.all([
      typeof accountId === 'string' ? unindexChain(this.store, grantId, accountId, key) : undefined,
      // A chain indexed before chain-index.ts, in its grant's index.
      this.store.removeFromTimedSet(grantIndexKey(grantId), grantIndexMember(key)),
    ]);
  }

  /** The chain a refresh token's value names (refresh-chain.ts); undefined for other models and older values. */
  private chainOf(id: string): ChainToken | undefined {
    return this.model === 'RefreshToken' ? parseChainToken(id) : undefined;
  }

  private async read(key: string): Promise<Payload | undefined> {
    // Only the models oidc-provider consumes have a mark to read with their record.
    const [raw, consumed] = CONSUMABLE.has(this.model)
      ? await this.store.getMany([key, consumedKey(key)])
      : [await this.store.get(key), null];
    if (!raw) return undefined;
    const text = this.sealed() && !raw.startsWith('{') ? this.sealer!.open(raw, key) : raw;
    const payload = this.model === 'Client' ? (JSON.parse(text) as Payload) : unpackPayload<Payload>(text);
    if (consumed) payload.consumed = Number(consumed);
    return payload;
  }

  /**
   * When a record lapses by the store's clock, for the person's set: its TTL from now, as Redis
   * expires the record itself (oidc-provider's `exp` follows its own clock, which a test's fake
   * clock does not move; a lookup through the set must find what Redis still holds).
   */
  private storeExpiry(payload: Payload, ttl?: number): number {
    return ttl ? epochSeconds(this.now) + ttl : expiryOf(payload, this.now, ttl);
  }

  private sealed(): boolean {
    return this.sealer !== undefined && SEALED_PAYLOADS.has(this.model);
  }

  private key(id: string): string {
    return recordKey(this.model, id);
  }
}

/**
 * Deletes every record issued under a grant (tokens, codes: found through its index; refresh
 * chains: through its person's set, chain-index.ts) and the index.
 */
async function revokeGrantRecords(store: Store, grantId: string): Promise<void> {
  await dropChainsOfGrant(store, grantId);
  const keys = (await store.timedSetMembers(grantIndexKey(grantId))).map(keyOfGrantIndexMember);
  // One DEL per key, not one multi-key DEL: the keys live in different Cluster slots.
  // Consumption marks stay until they expire (see destroy).
  await Promise.all(keys.map((key) => store.delete(key)));
  await store.delete(grantIndexKey(grantId));
}

/**
 * Revokes a grant entirely: every token issued under it and the grant itself (the consent). A
 * replayed code or refresh token does this, and so does deleting a client (oidc-records.ts).
 */
export async function revokeGrant(store: Store, grantId: string): Promise<void> {
  await revokeGrantRecords(store, grantId);
  await store.delete(grantKey(grantId));
}

/**
 * What a record stores of its payload: no `jti` (a token model's id is a credential, stored only
 * hashed, and every other model's jti is its id, which the key already holds) and no `kind` when
 * it is the model's name; find() puts both back. ~75 bytes less per Session and Grant, which a
 * signed-in person keeps for hours and a year (issue 17). Clients keep their metadata as given.
 */
function withoutDerivable(payload: Payload, model: string, id: string): Payload {
  if (model === 'Client' || (payload.jti !== id && !HASHED_IDS.has(model) && payload.kind !== model))
    return payload;
  const stored: Payload = { ...payload };
  if (stored.jti === id || HASHED_IDS.has(model)) delete stored.jti;
  if (stored.kind === model) delete stored.kind;
  return stored;
}

/** When a record lapses, epoch seconds (0: never): the payload's `exp`, else now + its TTL. */
function expiryOf(payload: Payload, now: Clock, ttl?: number): number {
  if (typeof payload.exp === 'number') return payload.exp;
  return ttl ? epochSeconds(now) + ttl : 0;
}

/**
 * The store as oidc-provider should see it: an outage becomes its `temporarily_unavailable`
 * error with status 503 (its error handler would answer any other error with 500 server_error),
 * so /token, /me and the rest tell clients to retry, and the pages show "try again shortly".
 */
function reportingOutages(store: Store): Store {
  // One wrapper per method, made on first use: every adapter call goes through here, and a new
  // closure per call was garbage on the busiest path (issue 17).
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrapped.get(property);
      if (wrapper === undefined) {
        // Every Store method returns a promise; a rejection handler costs less than an async frame.
        wrapper = (...args: unknown[]) =>
          (value.apply(target, args) as Promise<unknown>).catch((error: unknown) => {
            throw asProviderError(error);
          });
        wrapped.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/** A store outage as oidc-provider's temporarily_unavailable (503); any other error as it is. */
function asProviderError(error: unknown): unknown {
  if (!(error instanceof StoreUnavailableError)) return error;
  const outage = new errors.TemporarilyUnavailable('the service is briefly unavailable, try again shortly', {
    cause: error,
  });
  // allow_redirect false: the person sees our "try again shortly" page (503) rather than
  // being sent back to the site with an error it may not explain.
  Object.assign(outage, { status: 503, statusCode: 503, expose: true, allow_redirect: false });
  return outage;
}
