/**
 * Passkey sign-ins (issue 14: "passkey sign-ins per second beside SMS sign-ins"). Each person of a
 * pool gets one passkey, written straight through the app's PasskeyCredentials with the provider's
 * secrets (as the accounts are), held by a software authenticator (scripts/lib/software-
 * authenticator.ts). Then returning sign-ins with it in a fresh browser: /auth, mobile page, the
 * passkey options call, the signed assertion, /auth resume, /token; no SMS, no captcha. Closed loop
 * for the peak, open loop at half of it for latency, like the SMS sign-ins.
 */
import { createPasskeyCredentials } from '../../../src/passkeys/passkey-credentials.js';
import { Mobile } from '../../../src/validation/mobile.js';
import { exchangeCode, jwtAlg, passkeySignIn } from '../../lib/bench-journey.js';
import {
  assertion,
  createSoftwareCredential,
  type SoftwareCredential,
} from '../../lib/software-authenticator.js';
import { addressOf, RETURNING_SCOPE } from '../bench-client.js';
import type { Environment } from '../environment.js';
import type { PeakAndHalf } from '../results.js';
import { peakAndHalf } from '../run-report.js';
import type { Settings } from '../settings.js';
import { type Population, providerStore } from './first-sign-ins.js';

/** People with a passkey: enough that no two concurrent sign-ins share one. */
const MAX_ENROLLED = 2000;

export async function passkeyPhase(
  environment: Environment,
  settings: Settings,
  population: Population,
): Promise<PeakAndHalf> {
  const people = await enrol(
    environment,
    Math.min(population.signedIn, population.firstSignIns.ops, MAX_ENROLLED),
  );
  const origin = new URL(environment.provider.url).origin;
  const rpId = new URL(environment.provider.url).hostname;
  let counter = 0;
  console.log(
    `\n1b. passkey sign-ins (fresh browser: /auth, mobile page, passkey options, assertion, /auth resume, /token; ${people.length} people with a passkey)`,
  );
  return peakAndHalf({
    http: environment.http,
    concurrency: settings.concurrency,
    durationMs: settings.durationMs,
    unit: 'sign-ins',
    workers: 'concurrent users',
    redis: environment.redis,
    providerPid: environment.provider.pid,
    storeCalls: environment.storeCalls,
    operation: async () => {
      const index = counter++ % people.length;
      const credential = people[index] as SoftwareCredential;
      const signed = await passkeySignIn(environment.context, {
        scope: RETURNING_SCOPE,
        address: addressOf(index),
        sign: (challenge) => assertion(credential, { challenge, origin, rpId }),
      });
      const tokens = await exchangeCode(environment.context, signed.code, signed.verifier);
      if (jwtAlg(tokens.id_token) !== 'ES256') throw new Error(`ID token alg ${jwtAlg(tokens.id_token)}`);
    },
  });
}

/** One passkey for each of the first `count` citizens (who have accounts), in citizen order. */
async function enrol(environment: Environment, count: number): Promise<SoftwareCredential[]> {
  const { store, cipher, accounts } = providerStore(environment);
  const credentials = createPasskeyCredentials(store, cipher);
  const people: SoftwareCredential[] = [];
  try {
    for (const citizen of environment.citizens.slice(0, count)) {
      const account = await accounts.findByMobile(Mobile.parse(citizen.mobile)!);
      if (!account) throw new Error('a bench citizen has no account');
      const credential = createSoftwareCredential(account.sub);
      await credentials.add({
        id: credential.id,
        sub: account.sub,
        publicKey: credential.cosePublicKey.toString('base64url'),
        counter: 0,
        transports: ['internal'],
        deviceType: 'multiDevice',
        name: 'bench',
        createdAt: Math.floor(Date.now() / 1000),
      });
      people.push(credential);
    }
  } finally {
    await store.close();
  }
  return people;
}
