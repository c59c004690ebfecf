import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import { ClientMetadataError } from '../client-metadata-validation.js';
import { AdminRequestError } from '../client-registry.js';
import type { ClientRecord, InitialAccessTokens, ProviderClientRules } from '../ports.js';
import { REGISTRATION_POLICY } from './registration.js';

/**
 * Two of the client registry's ports (../ports.ts) implemented on oidc-provider: its client
 * validation and its initial access tokens.
 */

/** The parts of oidc-provider's Client class the registry uses (not all are in its typings). */
interface ClientClass {
  new (metadata: ClientMetadata): { metadata(): ClientMetadata };
  validate(metadata: ClientMetadata): Promise<void>;
  needsSecret(metadata: ClientMetadata): boolean;
}

/**
 * oidc-provider's own client validation as the registry's port: `Client.validate` (the schema,
 * every algorithm and URL rule of the provider's configuration, and the sector_identifier_uri
 * fetch) and the metadata as the provider normalizes it (defaults filled in), which is what
 * the registry stores. Its InvalidClientMetadata errors become ClientMetadataError (RFC 7591).
 */
export function createProviderClientRules(provider: Provider): ProviderClientRules {
  const Client = provider.Client as unknown as ClientClass;
  return {
    async normalize(properties) {
      try {
        await Client.validate(properties as ClientMetadata);
        return new Client(properties as ClientMetadata).metadata() as ClientRecord;
      } catch (error) {
        throw asMetadataError(error);
      }
    },
    needsSecret: (properties) => Client.needsSecret(properties as ClientMetadata),
  };
}

/** Maps an oidc-provider client-metadata error to RFC 7591; anything else is rethrown as is. */
export function asMetadataError(error: unknown): unknown {
  const { error: code, error_description: description } = (error ?? {}) as {
    error?: unknown;
    error_description?: unknown;
  };
  if (code === 'invalid_client_metadata' || code === 'invalid_redirect_uri') {
    return new ClientMetadataError(code, typeof description === 'string' ? description : code);
  }
  return error;
}

/**
 * Initial access tokens are oidc-provider InitialAccessToken records carrying Darvaze's
 * registration policy, so a /reg request made with one is held to the same rules as the admin
 * API (see registration.ts). Needs the provider built with `registrationFeature(...)`.
 */
export function createInitialAccessTokens(provider: Provider): InitialAccessTokens {
  return {
    async issue(expiresIn) {
      const token = new provider.InitialAccessToken({ expiresIn, policies: [REGISTRATION_POLICY] });
      try {
        return await token.save();
      } catch (error) {
        // oidc-provider refuses a token whose policy it does not know: /reg is not set up.
        if (error instanceof TypeError) {
          throw new AdminRequestError(
            'conflict',
            'dynamic registration (/reg) is not enabled on this server',
            409,
          );
        }
        throw error;
      }
    },
  };
}
