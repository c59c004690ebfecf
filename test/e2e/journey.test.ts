import { expect } from 'chai';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

const [ali, zahra, mohammadreza] = DEMO_CITIZENS.filter((citizen) => citizen.case === 'ordinary');

describe('sign-in journey (provider, Redis, identity simulator and SMS gateway over HTTP)', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('a new user goes mobile > code > identity > consent and the site receives the verified claims', async () => {
    const citizen = ali!;
    const client = harness.clients.sales!;
    const outcome = await signIn(harness, browserFor(harness), client, citizen);
    expect(outcome.pages).to.deep.equal(['mobile', 'code', 'identity', 'consent']);
    expect(outcome.atCallback, outcome.last.html.slice(0, 500)).to.equal(true);
    const tokens = await redeem(client, outcome.request, outcome.last);
    const claims = tokens.claims()!;
    expect(claims).to.include({
      given_name: citizen.person.firstName,
      family_name: citizen.person.lastName,
      gender: citizen.person.gender,
      birthdate_jalali: citizen.person.birthDate,
      birthdate: '1991-08-05',
      phone_number: `+98${citizen.mobile.slice(1)}`,
      phone_number_verified: true,
      national_code: citizen.nationalCode,
      father_name: citizen.person.fatherName,
    });
    expect(claims.name).to.include(citizen.person.firstName).and.include(citizen.person.lastName);
    expect(claims.sub).to.not.include(citizen.nationalCode.slice(0, 7));
    expect(claims.amr).to.deep.equal(['sms', 'otp']);
    const userinfo = await oidc.fetchUserInfo(client.config, tokens.access_token, claims.sub);
    expect(userinfo.national_code).to.equal(citizen.nationalCode);
    expect(userinfo.phone_number).to.equal(claims.phone_number);
  });
});
