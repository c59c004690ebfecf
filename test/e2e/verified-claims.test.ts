/**
 * Verified claims (OpenID Connect for Identity Assurance 1.0) and assurance levels end to end,
 * over HTTP: discovery, the consent page with the site's purpose, release only after consent,
 * re-verification when the site wants a more recent check than the account's, the acr levels,
 * and invalid requests. Every verified_claims that leaves is checked against the spec's schema.
 */
import { expect } from 'chai';
import type { ClientMetadata } from 'oidc-provider';
import { translate } from '../../src/i18n/index.js';
import { DEMO_CITIZENS } from '../../src/identity/demo-citizens.js';
import { ACR, TRUST_FRAMEWORK } from '../../src/oidc/assurance.js';
import { pageKind } from '../helpers/browser.js';
import { authorizationRequest, browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { claimsRequestErrors, verifiedClaimsErrors } from '../helpers/ida-schema.js';
import { signIn } from '../helpers/journey.js';

const ordinary = DEMO_CITIZENS.filter((c) => c.case === 'ordinary');
const DAY = 24 * 3600;
const PURPOSE = 'To write your name on the sales contract';

/** What the sales site asks at "confirm registration": registry-checked name and birth date. */
function salesRequest(maxAgeSeconds = 30 * DAY) {
  const element = {
    verification: {
      trust_framework: null,
      time: { max_age: maxAgeSeconds },
      verification_process: null,
      evidence: [{ type: { value: 'electronic_record' }, check_details: [{ check_method: null }] }],
    },
    claims: {
      given_name: { essential: true, purpose: PURPOSE },
      family_name: { essential: true },
      birthdate: null,
      national_code: null,
    },
  };
  const claims = { id_token: { verified_claims: element }, userinfo: { verified_claims: element } };
  expect(claimsRequestErrors(claims)).to.deep.equal([]);
  return JSON.stringify(claims);
}

describe('verified claims and assurance levels (OIDC4IDA, acr)', function () {
  this.timeout(90_000);
  let harness: Harness;
  let offsetMs = 0;

  before(async () => {
    const clients = (callbackBase: string): ClientMetadata[] => [
      {
        client_id: 'sales',
        client_secret: 'sales-secret-0123456789abcdef0123456789',
        client_name: 'فروش اینترنتی',
        redirect_uris: [`${callbackBase}/sales/cb`],
        grant_types: ['authorization_code'],
        scope: 'openid profile phone national_id',
      },
      {
        client_id: 'openid-only',
        client_secret: 'openid-only-secret-0123456789abcdef0123',
        client_name: 'Openid only',
        redirect_uris: [`${callbackBase}/narrow/cb`],
        scope: 'openid',
      },
    ];
    harness = await startHarness({ clients, overrides: { now: () => Date.now() + offsetMs } });
  });
  after(() => harness?.close());
  beforeEach(() => {
    offsetMs = 0;
  });

  async function userinfo(accessToken: string) {
    const client = harness.clients.sales!;
    const answer = await fetch(client.config.serverMetadata().userinfo_endpoint!, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return (await answer.json()) as Record<string, unknown>;
  }

  it('advertises verified claims, the trust framework, evidence and the acr levels in discovery', async () => {
    const metadata = (await (
      await fetch(`${harness.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata).to.include({ verified_claims_supported: true, claims_parameter_supported: true });
    expect(metadata.trust_frameworks_supported).to.deep.equal([TRUST_FRAMEWORK]);
    expect(metadata.evidence_supported).to.deep.equal(['electronic_record']);
    expect(metadata.claims_in_verified_claims_supported).to.include.members([
      'given_name',
      'family_name',
      'birthdate',
      'gender',
      'national_code',
      'father_name',
    ]);
    expect(metadata.acr_values_supported).to.deep.equal([ACR.sms, ACR.passkey, ACR.registryVerified]);
    expect(metadata.claims_supported).to.include.members(['verified_claims', 'acr', 'amr']);
  });

  it('a new person: consent shows the verified data and the purpose; the ID token and userinfo carry schema-valid verified_claims', async () => {
    const citizen = ordinary[0]!;
    const browser = browserFor(harness, '198.51.100.61');
    const request = await authorizationRequest(harness.clients.sales!, {
      scope: 'openid',
      claims: salesRequest(),
    });
    let page = await browser.get(request.url.toString());
    page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
    page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
    page = await browser.submit(page, {
      national_code: citizen.nationalCode,
      birth_date: citizen.person.birthDate,
    });
    expect(pageKind(page)).to.equal('consent');
    expect(page.html).to.include(translate('fa', 'consent.verifiedHeading'));
    expect(page.html).to.include(PURPOSE);
    expect(page.html).to.include(translate('fa', 'claim.national_code'));
    const callback = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
    const tokens = await redeem(harness.clients.sales!, request, callback);
    const id = tokens.claims()! as Record<string, unknown>;

    expect(id.acr).to.equal(ACR.registryVerified);
    expect(id.amr).to.deep.equal(['sms', 'otp']);
    expect(verifiedClaimsErrors(id)).to.deep.equal([]);
    const verified = id.verified_claims as {
      verification: {
        trust_framework: string;
        time: string;
        verification_process: string;
        evidence: unknown[];
      };
      claims: Record<string, string>;
    };
    expect(verified.verification.trust_framework).to.equal(TRUST_FRAMEWORK);
    expect(Date.now() - Date.parse(verified.verification.time)).to.be.within(0, 60_000);
    expect(verified.verification.verification_process).to.be.a('string');
    expect(verified.verification.evidence).to.have.length(2);
    expect(verified.claims).to.deep.equal({
      given_name: citizen.person.firstName,
      family_name: citizen.person.lastName,
      birthdate: verified.claims.birthdate,
      national_code: citizen.nationalCode,
    });
    // Scope was only openid: none of this leaves outside verified_claims.
    expect(id).to.not.have.any.keys('given_name', 'national_code', 'birthdate');

    const info = await userinfo(tokens.access_token);
    expect(verifiedClaimsErrors(info)).to.deep.equal([]);
    expect(info.verified_claims).to.deep.equal(id.verified_claims);
  });

  it('a returning person whose verification is older than max_age goes through the identity step again (same account), then gets the new time', async () => {
    const citizen = ordinary[1]!;
    const client = harness.clients.sales!;
    const first = await signIn(harness, browserFor(harness, '198.51.100.62'), client, citizen, {
      params: { scope: 'openid', claims: salesRequest() },
    });
    const firstId = (await redeem(client, first.request, first.last)).claims()! as Record<string, unknown>;

    // Ten days later, without max_age: mobile and code only, acr says so.
    offsetMs = 10 * DAY * 1000;
    const plain = await signIn(harness, browserFor(harness, '198.51.100.63'), client, citizen, {
      params: { scope: 'openid profile' },
    });
    expect(plain.pages).to.deep.equal(['mobile', 'code', 'consent']);
    expect((await redeem(client, plain.request, plain.last)).claims()!.acr).to.equal(ACR.sms);

    // Asking for a check at most 5 days old: the identity step again, no new consent needed.
    const strict = await signIn(harness, browserFor(harness, '198.51.100.64'), client, citizen, {
      params: { scope: 'openid', claims: salesRequest(5 * DAY) },
    });
    expect(strict.pages).to.deep.equal(['mobile', 'code', 'identity']);
    const id = (await redeem(client, strict.request, strict.last)).claims()! as Record<string, unknown>;
    expect(id.sub).to.equal(firstId.sub);
    expect(id.acr).to.equal(ACR.registryVerified);
    expect(verifiedClaimsErrors(id)).to.deep.equal([]);
    const time = (id.verified_claims as { verification: { time: string } }).verification.time;
    expect(Date.parse(time) - Date.now()).to.be.within(10 * DAY * 1000 - 60_000, 10 * DAY * 1000 + 60_000);
  });

  it('a live session with an old verification is sent through the sign-in with the identity step before release', async () => {
    const citizen = ordinary[2]!;
    const client = harness.clients.sales!;
    const browser = browserFor(harness, '198.51.100.65');
    const first = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid', claims: salesRequest() },
    });
    expect(first.atCallback).to.equal(true);
    // Same browser, same session: without max_age no step at all.
    const again = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid', claims: salesRequest() },
    });
    expect(again.pages).to.deep.equal([]);
    offsetMs = 3 * DAY * 1000;
    const stale = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid', claims: salesRequest(DAY) },
    });
    expect(stale.pages).to.deep.equal(['mobile', 'code', 'identity']);
    const id = (await redeem(client, stale.request, stale.last)).claims()! as Record<string, unknown>;
    expect(id.verified_claims).to.be.an('object');
  });

  it('denied consent: the site gets access_denied and nothing', async () => {
    const citizen = ordinary[3]!;
    const outcome = await signIn(
      harness,
      browserFor(harness, '198.51.100.66'),
      harness.clients.sales!,
      citizen,
      {
        params: { scope: 'openid', claims: salesRequest() },
        decision: 'deny',
      },
    );
    expect(outcome.atCallback).to.equal(true);
    const back = new URL(outcome.last.url);
    expect(back.searchParams.get('error')).to.equal('access_denied');
    expect(back.searchParams.get('code')).to.equal(null);
  });

  it('a site allowed only openid cannot get the verified national code through verified_claims', async () => {
    const citizen = ordinary[0]!;
    const client = harness.clients['openid-only']!;
    const claims = JSON.stringify({
      id_token: {
        verified_claims: {
          verification: { trust_framework: null },
          claims: { national_code: null, given_name: null },
        },
      },
      userinfo: {
        verified_claims: { verification: { trust_framework: null }, claims: { national_code: null } },
      },
    });
    const outcome = await signIn(harness, browserFor(harness, '198.51.100.67'), client, citizen, {
      params: { scope: 'openid', claims },
    });
    expect(outcome.pages).to.include('consent');
    const tokens = await redeem(client, outcome.request, outcome.last);
    const id = tokens.claims()! as Record<string, unknown>;
    expect(id).to.not.have.property('verified_claims');
    const answer = await fetch(client.config.serverMetadata().userinfo_endpoint!, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const body = await answer.text();
    expect(body).to.not.include(citizen.nationalCode);
    expect(JSON.stringify(id)).to.not.include(citizen.nationalCode);
  });

  it('asking for more verified claims later shows the consent page again; plain consent does not cover verified claims', async () => {
    const citizen = ordinary[0]!;
    const client = harness.clients.sales!;
    const browser = browserFor(harness, '198.51.100.68');
    const only = (claim: string) =>
      JSON.stringify({
        userinfo: { verified_claims: { verification: { trust_framework: null }, claims: { [claim]: null } } },
      });
    const plain = await signIn(harness, browser, client, citizen, { params: { scope: 'openid profile' } });
    expect(plain.pages).to.include('consent');
    const first = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid', claims: only('gender') },
    });
    expect(first.pages).to.deep.equal(['consent']);
    const same = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid', claims: only('gender') },
    });
    expect(same.pages).to.deep.equal([]);
    const more = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid', claims: only('father_name') },
    });
    expect(more.pages).to.deep.equal(['consent']);
    const tokens = await redeem(client, more.request, more.last);
    const info = await userinfo(tokens.access_token);
    expect(info.verified_claims).to.deep.equal({
      verification: { trust_framework: TRUST_FRAMEWORK },
      claims: { father_name: citizen.person.fatherName },
    });
  });

  it('acr_values or an essential acr claim for the registry-verified level sends an SMS-only session through the identity step', async () => {
    const citizen = ordinary[1]!;
    const client = harness.clients.sales!;
    const browser = browserFor(harness, '198.51.100.69');
    // Verified earlier (previous test); this sign-in is mobile + code only.
    const sms = await signIn(harness, browser, client, citizen, { params: { scope: 'openid profile' } });
    expect(sms.pages).to.deep.equal(['mobile', 'code']);
    expect((await redeem(client, sms.request, sms.last)).claims()!.acr).to.equal(ACR.sms);

    // Either level will do: the session is enough.
    const either = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid profile', acr_values: `${ACR.registryVerified} ${ACR.sms}` },
    });
    expect(either.pages).to.deep.equal([]);

    const stepUp = await signIn(harness, browser, client, citizen, {
      params: { scope: 'openid profile', acr_values: ACR.registryVerified },
    });
    expect(stepUp.pages).to.deep.equal(['mobile', 'code', 'identity']);
    expect((await redeem(client, stepUp.request, stepUp.last)).claims()!.acr).to.equal(ACR.registryVerified);

    // A fresh browser asking with an essential acr claim.
    const essential = await signIn(harness, browserFor(harness, '198.51.100.70'), client, citizen, {
      params: {
        scope: 'openid profile',
        claims: JSON.stringify({ id_token: { acr: { essential: true, value: ACR.registryVerified } } }),
      },
    });
    expect(essential.pages).to.deep.equal(['mobile', 'code', 'identity']);
    expect((await redeem(client, essential.request, essential.last)).claims()!.acr).to.equal(
      ACR.registryVerified,
    );
  });

  it('bad verified_claims requests get invalid_request naming the problem', async () => {
    const client = harness.clients.sales!;
    const cases: Array<[object, string]> = [
      [{ userinfo: { verified_claims: { claims: { given_name: null } } } }, 'verification is required'],
      [
        { userinfo: { verified_claims: { verification: {}, claims: { given_name: null } } } },
        'verification.trust_framework is required',
      ],
      [
        { id_token: { verified_claims: { verification: { trust_framework: null }, claims: {} } } },
        'claims is required',
      ],
      [
        {
          userinfo: {
            verified_claims: {
              verification: { trust_framework: null },
              claims: { given_name: { purpose: 'no' } },
            },
          },
        },
        'purpose must be 3 to 300 characters',
      ],
      [
        {
          userinfo: {
            verified_claims: {
              verification: { trust_framework: null, time: { max_age: 'soon' } },
              claims: { given_name: null },
            },
          },
        },
        'max_age must be a non-negative integer',
      ],
    ];
    for (const [claims, message] of cases) {
      const request = await authorizationRequest(client, { scope: 'openid', claims: JSON.stringify(claims) });
      const answer = await fetch(request.url, { redirect: 'manual' });
      expect(answer.status, message).to.equal(303);
      const location = new URL(answer.headers.get('location')!);
      expect(location.origin).to.equal(harness.callbackBase);
      expect(location.searchParams.get('error')).to.equal('invalid_request');
      expect(location.searchParams.get('error_description')).to.include(message);
    }
  });
  it("the request's own purpose (OIDC4IDA's purpose parameter) is on the consent page as text; a bad one is invalid_request", async () => {
    const citizen = ordinary[2]!;
    const browser = browserFor(harness, '198.51.100.69');
    const purpose = '<b>To register the car</b> in your name';
    const request = await authorizationRequest(harness.clients.sales!, {
      scope: 'openid profile',
      prompt: 'consent',
      purpose,
    });
    let page = await browser.get(request.url.toString());
    for (let step = 0; step < 4 && pageKind(page) !== 'consent'; step++) {
      const kind = pageKind(page);
      if (kind === 'mobile') page = await browser.submit(page, { mobile: citizen.mobile, captcha: '' });
      else if (kind === 'code')
        page = await browser.submit(page, { code: harness.sms.lastCodeFor(citizen.mobile)! });
      else
        page = await browser.submit(page, {
          national_code: citizen.nationalCode,
          birth_date: citizen.person.birthDate,
        });
    }
    expect(pageKind(page)).to.equal('consent');
    expect(page.html).to.include(translate('fa', 'consent.purposesHeading', { client: 'فروش اینترنتی' }));
    expect(page.html).to.include('&lt;b&gt;To register the car&lt;/b&gt; in your name');
    expect(page.html).to.not.include('<b>To register');
    const callback = await browser.submit(page, {}, { name: 'decision', value: 'grant' });
    expect((await redeem(harness.clients.sales!, request, callback)).claims()!.given_name).to.equal(
      citizen.person.firstName,
    );

    for (const bad of ['no', 'x'.repeat(301)]) {
      const refused = await authorizationRequest(harness.clients.sales!, { scope: 'openid', purpose: bad });
      const answer = await fetch(refused.url, { redirect: 'manual' });
      const location = new URL(answer.headers.get('location')!);
      expect(location.origin).to.equal(harness.callbackBase);
      expect(location.searchParams.get('error')).to.equal('invalid_request');
      expect(location.searchParams.get('error_description')).to.include(
        'purpose must be 3 to 300 characters',
      );
    }
  });
  it('value/values on a claim inside verified_claims: released only with that value', async () => {
    const citizen = ordinary[0]!;
    const element = {
      verification: { trust_framework: null },
      claims: {
        given_name: { value: 'not-the-name' },
        family_name: { values: ['another', citizen.person.lastName] },
      },
    };
    const outcome = await signIn(
      harness,
      browserFor(harness, '198.51.100.70'),
      harness.clients.sales!,
      citizen,
      {
        params: { scope: 'openid', claims: JSON.stringify({ id_token: { verified_claims: element } }) },
      },
    );
    expect(outcome.atCallback, outcome.pages.join(' ')).to.equal(true);
    const tokens = await redeem(harness.clients.sales!, outcome.request, outcome.last);
    const verified = (tokens.claims() as { verified_claims?: { claims: object } }).verified_claims;
    expect(verified?.claims).to.deep.equal({ family_name: citizen.person.lastName });
  });
});
