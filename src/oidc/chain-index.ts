import type { Store } from '../store/store.js';
import { unpackPayload } from './payload-fields.js';
import { accountSessionsKey, chainIndexMember, chainKeyOfIndexMember, grantKey } from './store-keys.js';

/**
 * Where revoking a grant finds its refresh chains: its person's timed set (store-keys.ts,
 * chainIndexMember), since issue 17. Chains indexed before, in the grant's own index, are still
 * found there by the adapter's revocation.
 */

/** Indexes a chain of `grantId` in its person's set, lapsing with the chain. */
export const indexChain = (
  store: Store,
  grantId: string,
  accountId: string,
  chainKey: string,
  expiresAt: number,
  ttl?: number,
) => store.addToTimedSet(accountSessionsKey(accountId), chainIndexMember(grantId, chainKey), expiresAt, ttl);

export const unindexChain = (store: Store, grantId: string, accountId: string, chainKey: string) =>
  store.removeFromTimedSet(accountSessionsKey(accountId), chainIndexMember(grantId, chainKey));

/**
 * Deletes every refresh chain of a grant, and its index entries. The person is the grant's (read
 * from the Grant record when not given): oidc-provider revokes a grant's tokens and destroys the
 * grant concurrently, and the Grant's own destroy passes the person it read before deleting it, so
 * one of the two always finds the chains.
 */
export async function dropChainsOfGrant(store: Store, grantId: string, accountId?: string): Promise<void> {
  const person = accountId ?? (await personOfGrant(store, grantId));
  if (!person) return;
  const setKey = accountSessionsKey(person);
  const chains = (await store.timedSetMembers(setKey)).flatMap((member) => {
    const chainKey = chainKeyOfIndexMember(member, grantId);
    return chainKey ? [{ member, chainKey }] : [];
  });
  // The chains' `:consumed` counters stay until they expire, like every consumption mark.
  await Promise.all(
    chains.flatMap(({ member, chainKey }) => [
      store.delete(chainKey),
      store.removeFromTimedSet(setKey, member),
    ]),
  );
}

async function personOfGrant(store: Store, grantId: string): Promise<string | undefined> {
  const raw = await store.get(grantKey(grantId));
  if (!raw) return undefined;
  const { accountId } = unpackPayload<{ accountId?: unknown }>(raw);
  return typeof accountId === 'string' && accountId ? accountId : undefined;
}
