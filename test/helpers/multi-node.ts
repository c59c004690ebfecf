import type { ClientMetadata } from 'oidc-provider';
import * as oidc from 'openid-client';
import { type MultiNode, type MultiNodeOptions, startMultiNode } from '../../scripts/multi-node.js';
import type { DemoCitizen } from '../../src/identity/demo-citizens.js';
import { type Page, pageKind, TestBrowser } from './browser.js';
import {
  type AuthorizationRequest,
  authorizationRequest,
  defaultClients,
  type TestClient,
} from './harness.js';
import { freePort } from './redis-server.js';

/** Provider processes behind the round-robin proxy, with the standard test clients registered. */
export interface Deployment {
  multi: MultiNode;
  issuer: string;
  callbackBase: string;
  clients: Record<string, TestClient>;
  /** A JavaScript-off browser on the public (proxy) address, from a given client address. */
  browser(address?: string): TestBrowser;
  /** The newest SMS code sent to this `09…` number. */
  lastCodeFor(mobile: string): string | undefined;
  stop(): Promise<void>;
}

export async function startDeployment(
  options: MultiNodeOptions & { clients?: ClientMetadata[] } = {},
): Promise<Deployment> {
  const callbackBase = `http://127.0.0.1:${await freePort()}`;
  const clientMetadata = options.clients ?? defaultClients(callbackBase);
  const multi = await startMultiNode({ ...options, clients: clientMetadata, sms: 'fake' });
  try {
    const clients: Record<string, TestClient> = {};
    for (const metadata of clientMetadata) {
      const config = await oidc.discovery(
        new URL(multi.issuer),
        metadata.client_id,
        metadata.client_secret,
        undefined,
        { execute: [oidc.allowInsecureRequests] },
      );
      clients[metadata.client_id] = { metadata, config };
    }
    return {
      multi,
      issuer: multi.issuer,
      callbackBase,
      clients,
      browser: (address = '198.51.100.20') =>
        new TestBrowser((url) => url.origin === callbackBase, { 'x-forwarded-for': address }),
      lastCodeFor: (mobile) => multi.sms?.lastCodeFor(mobile),
      stop: () => multi.stop(),
    };
  } catch (error) {
    await multi.stop();
    throw error;
  }
}

export interface Walk {
  request: AuthorizationRequest;
  pages: string[];
  last: Page;
  atCallback: boolean;
}

type Person = Pick<DemoCitizen, 'mobile' | 'nationalCode' | 'person'>;

/** Starts a sign-in: the authorization request and the first page. */
export async function begin(
  browser: TestBrowser,
  client: TestClient,
  params: Record<string, string> = {},
): Promise<{ request: AuthorizationRequest; page: Page }> {
  const request = await authorizationRequest(client, params);
  return { request, page: await browser.get(request.url.toString()) };
}

/** Walks a sign-in from `page` on, like a person, until the callback or a page it cannot pass. */
export async function walk(
  deployment: Deployment,
  browser: TestBrowser,
  citizen: Person,
  start: { request: AuthorizationRequest; page: Page },
  { decision = 'grant' }: { decision?: 'grant' | 'deny' } = {},
): Promise<Walk> {
  let page = start.page;
  const pages: string[] = [];
  for (let step = 0; step < 8; step++) {
    if (new URL(page.url).origin === deployment.callbackBase)
      return { request: start.request, pages, last: page, atCallback: true };
    const kind = pageKind(page);
    if (kind === 'other' || pages.at(-1) === kind)
      return { request: start.request, pages, last: page, atCallback: false };
    pages.push(kind);
    if (kind === 'mobile') page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    else if (kind === 'code')
      page = await browser.submit(page, { code: deployment.lastCodeFor(citizen.mobile) ?? '' });
    else if (kind === 'identity')
      page = await browser.submit(page, {
        national_code: citizen.nationalCode,
        birth_date: citizen.person.birthDate,
      });
    else page = await browser.submit(page, {}, { name: 'decision', value: decision });
  }
  return { request: start.request, pages, last: page, atCallback: false };
}
