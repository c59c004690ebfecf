/**
 * oidc-provider's request context store (it runs every request inside it; its configuration
 * hooks read the context from it too). Not in its type definitions.
 */
declare module 'oidc-provider/lib/helpers/als.js' {
  import type { AsyncLocalStorage } from 'node:async_hooks';
  import type { KoaContextWithOIDC } from 'oidc-provider';

  const als: AsyncLocalStorage<KoaContextWithOIDC | undefined>;
  export default als;
}
