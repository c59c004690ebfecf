import type { Locale } from '../i18n/index.js';
import { clientMetadataOf } from './client-metadata.js';

/**
 * A site's name per language (RFC 7591 §2.2 language tags: `client_name#en`). Pages show the
 * one that fits the page's locale, else the plain `client_name` (Persian, by the group's
 * convention), else the client id.
 */
export const LOCALIZED_NAME_KEYS = ['client_name#fa', 'client_name#en'] as const;

export function clientNameFor(
  client:
    | { clientId: string; clientName?: string | undefined; metadata(): Record<string, unknown> }
    | undefined,
  locale: Locale,
  fallback = '',
): string {
  if (!client) return fallback;
  const localized = clientMetadataOf(client)[`client_name#${locale}`];
  if (typeof localized === 'string' && localized.trim()) return localized;
  return client.clientName ?? client.clientId;
}
