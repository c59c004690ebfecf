/**
 * The whole sign-in with real vendor connectors against fakes of the vendors: each identity
 * vendor and each SMS sender end to end, and a failover run where the first identity vendor and
 * the first SMS sender fail mid-run while people keep signing in; metrics and the audit trail
 * show what happened.
 */
import { expect } from 'chai';
import { SECURITY_AUDIT_KEY } from '../../src/audit/security-audit.js';
import { DEMO_CITIZENS, type DemoCitizen } from '../../src/identity/demo-citizens.js';
import { startFakeFinnotech } from '../helpers/fakes/fake-finnotech.js';
import { startFakeJibit } from '../helpers/fakes/fake-jibit.js';
import type { FakeServer } from '../helpers/fakes/fake-server.js';
import {
  type FakeSms,
  startFakeGhasedak,
  startFakeMelipayamak,
  startFakeSmsIr,
} from '../helpers/fakes/fake-sms.js';
import { startFakeZibal } from '../helpers/fakes/fake-zibal.js';
import { browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const ordinary = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');
const KEY = 'vendor-secret-key';
const FINNOTECH = {
  FINNOTECH_CLIENT_ID: 'darvaze',
  FINNOTECH_CLIENT_SECRET: KEY,
  FINNOTECH_NID: '0012345679',
};

interface IdentityFake {
  name: string;
  fake: FakeServer;
  env: Record<string, string>;
}

async function identityFake(name: 'jibit' | 'finnotech' | 'zibal'): Promise<IdentityFake> {
  if (name === 'jibit') {
    const fake = await startFakeJibit({ apiKey: KEY, secretKey: KEY });
    return { name, fake, env: { JIBIT_URL: fake.url, JIBIT_API_KEY: KEY, JIBIT_SECRET_KEY: KEY } };
  }
  if (name === 'finnotech') {
    const fake = await startFakeFinnotech({ clientId: 'darvaze', clientSecret: KEY, nid: '0012345679' });
    return { name, fake, env: { FINNOTECH_URL: fake.url, ...FINNOTECH } };
  }
  const fake = await startFakeZibal({ token: KEY });
  return { name, fake, env: { ZIBAL_URL: fake.url, ZIBAL_TOKEN: KEY } };
}

async function smsFake(
  name: 'smsir' | 'ghasedak' | 'melipayamak',
): Promise<{ fake: FakeSms; env: Record<string, string> }> {
  if (name === 'smsir') {
    const fake = await startFakeSmsIr({ apiKey: KEY, templateId: 100 });
    return { fake, env: { SMSIR_URL: fake.url, SMSIR_API_KEY: KEY, SMSIR_TEMPLATE_ID: '100' } };
  }
  if (name === 'ghasedak') {
    const fake = await startFakeGhasedak({ apiKey: KEY, template: 'otp' });
    return { fake, env: { GHASEDAK_URL: fake.url, GHASEDAK_API_KEY: KEY, GHASEDAK_TEMPLATE: 'otp' } };
  }
  const fake = await startFakeMelipayamak({ apiKey: KEY, bodyId: 151677 });
  return {
    fake,
    env: { MELIPAYAMAK_URL: fake.url, MELIPAYAMAK_API_KEY: KEY, MELIPAYAMAK_BODY_ID: '151677' },
  };
}

/** The harness, reading codes from whichever gateway sent the newest one. */
function readingCodesFrom(harness: Harness, fakes: FakeSms[]): Harness {
  const lastCodeFor = (mobile: string) => {
    const all = [
      ...fakes.flatMap((fake) => fake.messages),
      ...harness.sms.messages.map((m) => ({ mobile: m.receptor, code: m.token, at: m.at })),
    ].filter((m) => m.mobile === mobile);
    return all.sort((a, b) => (a.at ?? 0) - (b.at ?? 0)).at(-1)?.code;
  };
  return { ...harness, sms: { ...harness.sms, lastCodeFor } } as Harness;
}

async function auditOf(harness: Harness, type: string) {
  const entries = await harness.app.store.readLog(SECURITY_AUDIT_KEY, 200);
  return entries.filter((entry) => entry.fields.type === type);
}

async function metric(harness: Harness, prefix: string): Promise<number> {
  const { body } = await harness.app.metrics.render();
  return body
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function signsIn(harness: Harness, citizen: DemoCitizen) {
  const client = harness.clients.sales!;
  const outcome = await signIn(harness, browserFor(harness), client, citizen);
  expect(outcome.atCallback, `${outcome.pages.join('>')}: ${outcome.last.html.slice(0, 300)}`).to.equal(true);
  return (await redeem(client, outcome.request, outcome.last)).claims()!;
}

describe('sign-in journey with each identity vendor and each SMS sender (fakes over HTTP)', function () {
  this.timeout(60_000);
  const pairs = [
    ['jibit', 'smsir'],
    ['finnotech', 'ghasedak'],
    ['zibal', 'melipayamak'],
  ] as const;
  for (const [identityName, smsName] of pairs) {
    it(`${identityName} answers the identity checks and ${smsName} sends the code`, async () => {
      const identity = await identityFake(identityName);
      const sms = await smsFake(smsName);
      const harness = await startHarness({
        env: { IDENTITY_PROVIDERS: identityName, ...identity.env, SMS_PROVIDERS: smsName, ...sms.env },
      });
      try {
        const citizen = ordinary[0] as DemoCitizen;
        const claims = await signsIn(readingCodesFrom(harness, [sms.fake]), citizen);
        expect(claims).to.include({
          national_code: citizen.nationalCode,
          given_name: citizen.person.firstName,
        });
        expect(sms.fake.messages).to.have.length(1);
        expect(harness.sms.messages).to.have.length(0);
        const [verified] = await auditOf(harness, 'identity.verified');
        expect(verified?.fields.source).to.equal(identityName);
        expect(
          await metric(harness, `darvaze_identity_vendor_calls_total{vendor="${identityName}"`),
        ).to.equal(2);
        expect(
          await metric(harness, `darvaze_sms_vendor_sends_total{vendor="${smsName}",outcome="sent"}`),
        ).to.equal(1);
      } finally {
        await harness.close();
        await identity.fake.close();
        await sms.fake.close();
      }
    });
  }
});

describe('failover: the first identity vendor and the first SMS sender fail mid-run', function () {
  this.timeout(90_000);

  it('people keep signing in; metrics and the audit trail show who answered', async () => {
    const jibit = await identityFake('jibit');
    const zibal = await identityFake('zibal');
    const smsir = await smsFake('smsir');
    const harness = await startHarness({
      env: {
        IDENTITY_PROVIDERS: 'jibit,zibal',
        ...jibit.env,
        ...zibal.env,
        SMS_PROVIDERS: 'kavenegar,smsir',
        ...smsir.env,
      },
    });
    try {
      const reading = readingCodesFrom(harness, [smsir.fake]);
      const [first, ...rest] = ordinary as DemoCitizen[];
      await signsIn(reading, first as DemoCitizen);
      expect(harness.sms.messages).to.have.length(1);

      // Mid-run: Jibit answers 503 with no body, Kavenegar refuses every message.
      jibit.fake.fail({ mode: 'down' });
      harness.sms.setFailing(true, 'http');
      for (const citizen of rest) await signsIn(reading, citizen);

      expect(smsir.fake.messages).to.have.length(rest.length);
      const sources = (await auditOf(harness, 'identity.verified'))
        .map((entry) => entry.fields.source)
        .reverse();
      expect(sources).to.deep.equal(['jibit', ...rest.map(() => 'zibal')]);
      expect(await auditOf(harness, 'identity.refused')).to.have.length(0);
      // Each failover is in the audit trail too: which vendor could not answer, who was asked next.
      const failovers = (await auditOf(harness, 'upstream.failover')).map((entry) => entry.fields);
      expect(
        failovers.filter((f) => f.kind === 'sms' && f.from === 'kavenegar' && f.to === 'smsir'),
      ).to.have.length(rest.length);
      expect(failovers.some((f) => f.kind === 'identity' && f.from === 'jibit' && f.to === 'zibal')).to.equal(
        true,
      );

      expect(
        await metric(
          harness,
          'darvaze_upstream_failovers_total{kind="identity",operation="mobile-ownership",from="jibit",to="zibal"',
        ),
      ).to.be.greaterThan(0);
      expect(
        await metric(
          harness,
          'darvaze_upstream_failovers_total{kind="sms",operation="send",from="kavenegar",to="smsir"',
        ),
      ).to.equal(rest.length);
      expect(await metric(harness, 'darvaze_sms_vendor_failures_total{vendor="kavenegar"')).to.equal(
        rest.length,
      );
      expect(
        await metric(
          harness,
          'darvaze_identity_vendor_calls_total{vendor="zibal",operation="civil-registry-inquiry",outcome="ok"',
        ),
      ).to.equal(rest.length);
      expect(
        await metric(harness, 'darvaze_upstream_circuit_state{kind="identity",vendor="jibit",state="open"}'),
      ).to.equal(1);
    } finally {
      await harness.close();
      for (const fake of [jibit.fake, zibal.fake, smsir.fake]) await fake.close();
    }
  });
});
