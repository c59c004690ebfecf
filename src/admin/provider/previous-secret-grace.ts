import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { PreviousSecrets } from '../previous-secrets.js';

/**
 * Client secret rotation with a grace period: the provider side (the rule is previous-secrets.ts).
 *
 * oidc-provider checks a presented `client_secret` (client_secret_basic and client_secret_post,
 * at /token, introspection and revocation) with its Client's `compareClientSecret`. Here that
 * check also accepts the client's previous secret within its grace, so a relying party can deploy
 * the new secret at its own pace. The store is asked only when the presented secret is not the
 * current one: a request with the right secret (every refresh grant, issue 17) costs no read.
 *
 * Only these two methods are graced: client_secret_jwt is not offered, and HMAC-signed ID tokens
 * use the current secret at once. A store outage refuses the previous secret (the current one
 * still works), as a wrong secret is refused.
 */
export function acceptPreviousSecrets(
  provider: Provider,
  previousSecrets: Pick<PreviousSecrets, 'currentFor'>,
  logger?: Logger,
): void {
  const prototype = provider.Client.prototype as unknown as {
    compareClientSecret(this: GracedClient, presented: string): Promise<boolean> | boolean;
  };
  const compareCurrent = prototype.compareClientSecret;
  prototype.compareClientSecret = async function compareClientSecret(presented) {
    if (await compareCurrent.call(this, presented)) return true;
    if (typeof presented !== 'string' || !presented) return false;
    let current: string | undefined;
    try {
      current = await previousSecrets.currentFor(this.clientId, presented);
    } catch (error) {
      logger?.warn({ err: (error as Error).message }, 'previous-secret grace check skipped');
      return false;
    }
    // The registry's current secret must be the one this Client holds (it is, unless the client
    // changed between the two reads): the previous secret stands for that one only.
    if (current === undefined || !(await compareCurrent.call(this, current))) return false;
    logger?.info(
      { clientId: this.clientId, method: this.clientAuthMethod },
      'client authenticated with its previous secret (rotation grace)',
    );
    return true;
  };
}

interface GracedClient {
  clientId: string;
  clientAuthMethod?: string;
}
