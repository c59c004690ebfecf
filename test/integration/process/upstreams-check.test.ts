/**
 * `npm run upstreams -- check` as an operator runs it: every configured vendor is asked to accept
 * its credentials (fakes over HTTP), nothing is sent or spent, a refused key fails the check with
 * exit code 1, and no secret is printed.
 */
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { startFakeKavenegar } from '../../helpers/fake-kavenegar.js';
import { startFakeFinnotech } from '../../helpers/fakes/fake-finnotech.js';
import { startFakeJibit } from '../../helpers/fakes/fake-jibit.js';
import { startFakeGhasedak, startFakeMelipayamak, startFakeSmsIr } from '../../helpers/fakes/fake-sms.js';
import { startFakeZibal } from '../../helpers/fakes/fake-zibal.js';

const KEY = 'upstream-check-secret';

function runCheck(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/upstreams.ts', 'check'],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('npm run upstreams -- check', function () {
  this.timeout(60_000);

  it('asks every configured vendor to accept its credentials, sending and spending nothing', async () => {
    const jibit = await startFakeJibit({ apiKey: KEY, secretKey: KEY });
    const finnotech = await startFakeFinnotech({ clientId: 'darvaze', clientSecret: KEY, nid: '0012345679' });
    const zibal = await startFakeZibal({ token: KEY });
    const kavenegar = await startFakeKavenegar({ apiKey: KEY });
    const smsir = await startFakeSmsIr({ apiKey: KEY, templateId: 100 });
    const ghasedak = await startFakeGhasedak({ apiKey: KEY, template: 'otp' });
    const melipayamak = await startFakeMelipayamak({ apiKey: KEY, bodyId: 7000 });
    try {
      const env = {
        IDENTITY_PROVIDERS: 'jibit,finnotech,zibal',
        JIBIT_URL: jibit.url,
        JIBIT_API_KEY: KEY,
        JIBIT_SECRET_KEY: KEY,
        FINNOTECH_URL: finnotech.url,
        FINNOTECH_CLIENT_ID: 'darvaze',
        FINNOTECH_CLIENT_SECRET: KEY,
        FINNOTECH_NID: '0012345679',
        ZIBAL_URL: zibal.url,
        ZIBAL_TOKEN: KEY,
        SMS_PROVIDERS: 'kavenegar,smsir,ghasedak,melipayamak',
        KAVENEGAR_URL: kavenegar.url,
        KAVENEGAR_API_KEY: KEY,
        KAVENEGAR_TEMPLATE: 'otp',
        SMSIR_URL: smsir.url,
        SMSIR_API_KEY: KEY,
        SMSIR_TEMPLATE_ID: '100',
        GHASEDAK_URL: ghasedak.url,
        GHASEDAK_API_KEY: KEY,
        GHASEDAK_TEMPLATE: 'otp',
        MELIPAYAMAK_URL: melipayamak.url,
        MELIPAYAMAK_API_KEY: KEY,
        MELIPAYAMAK_BODY_ID: '7000',
      };
      const good = await runCheck(env);
      expect(good.code, good.out).to.equal(0);
      expect(good.out.match(/^ok /gm)).to.have.length(7);
      expect(good.out).not.to.contain(KEY);
      expect(
        [kavenegar.messages, smsir.messages, ghasedak.messages, melipayamak.messages].flat(),
      ).to.have.length(0);
      const inquiries = [...jibit.requests, ...finnotech.requests, ...zibal.requests].filter(
        (r) => !r.path.includes('token') && r.path !== '/v1/facility/shahkarInquiry',
      );
      expect(inquiries).to.have.length(0);
      // Zibal's check is an empty Shahkar request: no national code, nothing looked up.
      expect(zibal.requests.map((r) => r.body)).to.deep.equal([{}]);

      const bad = await runCheck({ ...env, JIBIT_SECRET_KEY: 'wrong-one', SMSIR_API_KEY: 'wrong-two' });
      expect(bad.code, bad.out).to.equal(1);
      expect(bad.out)
        .to.match(/^FAIL identity jibit/m)
        .and.to.match(/^FAIL sms smsir/m);
      expect(bad.out.match(/^ok /gm)).to.have.length(5);
      expect(bad.out).not.to.contain('wrong-one').and.not.to.contain('wrong-two');
    } finally {
      for (const fake of [jibit, finnotech, zibal, kavenegar, smsir, ghasedak, melipayamak])
        await fake.close();
    }
  });
});
