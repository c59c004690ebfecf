/**
 * A copy of the store (a dump, a backup, a replica someone can read) must reveal nobody: after
 * sign-ins on Redis, every raw key and value of the harness's prefix is read with a separate
 * client and searched for the national code, the mobile in every format, the Persian names and
 * the birth date. Personal data is sealed with AES-256-GCM (src/accounts/personal-data-cipher.ts)
 * and found through keyed blind indexes; codes and captcha answers are stored as keyed hashes.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { createPersonalDataCipher } from '../../src/accounts/personal-data-cipher.js';
import { createJourneyStates, type JourneyState } from '../../src/interaction/journey-state.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';
import { uniquePrefix } from '../helpers/redis-server.js';
import { mobile } from '../helpers/values.js';
import {
  type Citizen,
  dumpPrefix,
  leaksIn,
  ORDINARY,
  personalNeedles,
  type RawEntry,
  rawRedis,
} from './support.js';

function findLeaks(entries: RawEntry[], citizens: Citizen[]): string[] {
  const needles = citizens.flatMap(personalNeedles);
  const found: string[] = [];
  for (const entry of entries) {
    for (const needle of leaksIn(entry.key, needles)) found.push(`key ${entry.key} holds ${needle}`);
    for (const value of entry.values) {
      for (const needle of leaksIn(value, needles)) {
        found.push(`${entry.type} ${entry.key} holds ${needle}: ${value.slice(0, 160)}`);
      }
    }
  }
  return found;
}

describe('personal data at rest (raw Redis after real sign-ins)', function () {
  this.timeout(60_000);
  const prefix = uniquePrefix('at-rest');
  let harness: Harness;
  let redis: Redis;
  before(async () => {
    harness = await startHarness({ env: { REDIS_KEY_PREFIX: prefix } });
    redis = await rawRedis();
  });
  after(async () => {
    redis?.disconnect();
    await harness?.close();
  });

  it('after a full journey, token exchange and userinfo, no key or value holds a personal value', async () => {
    const citizen = ORDINARY[0]!;
    const client = harness.clients.sales!;
    const outcome = await signIn(harness, browserFor(harness), client, citizen, {
      params: { prompt: 'consent' },
    });
    expect(outcome.pages).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    const code = new URL(outcome.last.url).searchParams.get('code')!;
    const tokens = await redeem(client, outcome.request, outcome.last);
    const me = await fetch(`${harness.issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(((await me.json()) as { national_code: string }).national_code).to.equal(citizen.nationalCode);

    const entries = await dumpPrefix(redis, prefix);
    expect(entries.length, 'the dump found the harness keys').to.be.above(10);
    expect(entries.some((entry) => entry.key.includes('account:'))).to.equal(true);
    expect(entries.some((entry) => entry.key.includes('oidc:AccessToken:'))).to.equal(true);
    expect(findLeaks(entries, [citizen])).to.deep.equal([]);

    // Nor a usable credential: tokens and codes are kept under a hash of their value, so a dump
    // cannot be replayed at /me (which would hand out the decrypted data).
    const credentials = [code, tokens.access_token, tokens.refresh_token!];
    const text = entries.map((entry) => `${entry.key}\n${entry.values.join('\n')}`).join('\n');
    expect(leaksIn(text, credentials)).to.deep.equal([]);
  });

  it('a sign-in left at the identity step or the code step leaves no readable mobile behind', async () => {
    const atIdentity = ORDINARY[1]!;
    const atCode = ORDINARY[2]!;
    for (const [citizen, stopAt] of [
      [atIdentity, 'identity'],
      [atCode, 'code'],
    ] as const) {
      const browser = browserFor(harness, '198.51.100.60');
      let page = await browser.get((await authorizationRequest(harness.clients.sales!)).url.toString());
      page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
      if (stopAt === 'identity')
        page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
      expect(page.html).to.match(stopAt === 'identity' ? /name="national_code"/ : /name="code"/);
    }
    // A refused identity check leaves nothing of what was typed, either.
    const typo = ORDINARY[3]!;
    const browser = browserFor(harness, '198.51.100.61');
    let page = await browser.get((await authorizationRequest(harness.clients.sales!)).url.toString());
    page = await browser.submit(page, { mobile: typo.mobile, captcha: '' });
    page = await browser.submit(page, { code: harness.sms.lastCodeFor(typo.mobile)! });
    page = await browser.submit(page, { national_code: typo.nationalCode, birth_date: '1380/01/01' });
    expect(page.status).to.equal(422);

    const entries = await dumpPrefix(redis, prefix);
    expect(findLeaks(entries, [atIdentity, atCode, typo])).to.deep.equal([]);
  });

  it('a login_hint mobile is sealed with the stored authorization request', async () => {
    // oidc-provider keeps the authorization parameters in its Interaction record while the
    // sign-in runs; a site may send the mobile as login_hint. The adapter seals that record.
    const citizen = ORDINARY[3]!;
    const browser = browserFor(harness, '198.51.100.62');
    const request = await authorizationRequest(harness.clients.sales!, { login_hint: citizen.mobile });
    const page = await browser.get(request.url.toString());
    expect(page.html).to.include(citizen.mobile); // the hint did reach the page
    expect(findLeaks(await dumpPrefix(redis, prefix), [citizen])).to.deep.equal([]);
  });
});

/** A loaded journey state with its Mobile as the E.164 text, to compare with plain objects. */
const withE164 = (state: JourneyState) => ({ ...state, mobile: state.mobile?.e164 });

describe('journey state at rest (sealed, bound to its interaction)', () => {
  const cipher = createPersonalDataCipher({
    keys: [{ id: 'k1', key: randomBytes(32) }],
    indexKey: randomBytes(32),
  });

  it('stores the mobile sealed; a state copied to another interaction, or altered, starts over', async () => {
    const store = new MemoryStore();
    const journeys = createJourneyStates(store, cipher);
    const state = {
      step: 'code' as const,
      mobile: mobile('+989121234567'),
      mobileVerified: true,
      csrf: 'c'.repeat(32),
    };
    await journeys.save('uid-a', state, 60);
    const raw = (await store.get('journey:{uid-a}'))!;
    expect(raw).to.match(/^v1\.k1\./);
    expect(raw).to.not.include('912');
    // Sealed, the state is the JSON it always was, with the mobile in E.164.
    expect(JSON.parse(cipher.open(raw, 'journey:{uid-a}'))).to.deep.equal({
      ...state,
      mobile: '+989121234567',
    });
    expect(withE164(await journeys.load('uid-a'))).to.deep.equal({ ...state, mobile: '+989121234567' });

    await store.set('journey:{uid-b}', raw, 60);
    const copied = await journeys.load('uid-b');
    expect(copied.step).to.equal('mobile');
    expect(copied.mobile).to.equal(undefined);

    await store.set('journey:{uid-a}', `${raw.slice(0, -4)}AAAA`, 60);
    expect((await journeys.load('uid-a')).step).to.equal('mobile');
    await store.close();
  });

  it('does not trust a plain, unsealed state: the sign-in starts over', async () => {
    const store = new MemoryStore();
    const journeys = createJourneyStates(store, cipher);
    const forged = { step: 'identity', mobile: '+989121234567', mobileVerified: true, csrf: 'd'.repeat(32) };
    await store.set('journey:{uid-c}', JSON.stringify(forged), 60);
    const loaded = await journeys.load('uid-c');
    expect(loaded.step).to.equal('mobile');
    expect(loaded.mobile).to.equal(undefined);
    expect(loaded.mobileVerified).to.equal(undefined);
    await store.close();
  });
});
