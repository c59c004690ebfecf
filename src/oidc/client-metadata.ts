/**
 * A client's registered metadata, computed once per Client object. oidc-provider's
 * `client.metadata()` rebuilds the whole snake_case record on every call (hundreds of key
 * renames); the pages ask it for a name and a profile on every request (issue 17). A Client is
 * immutable: a changed registration is a new Client object, so caching by object is exact.
 */
type WithMetadata = { metadata(): Record<string, unknown> };

const cache = new WeakMap<WithMetadata, Record<string, unknown>>();

export function clientMetadataOf(client: WithMetadata): Record<string, unknown> {
  let metadata = cache.get(client);
  if (!metadata) {
    metadata = client.metadata();
    cache.set(client, metadata);
  }
  return metadata;
}
