import { expect } from 'chai';
import * as oidc from 'openid-client';
import { DEMO_CITIZENS } from '../../../src/identity/demo-citizens.js';
import {
  browserFor,
  type Harness,
  startHarness,
  type TestClient,
  tokenRequest,
} from '../../helpers/harness.js';
import { signIn } from '../../helpers/journey.js';

const citizen = DEMO_CITIZENS.find((c) => c.case === 'ordinary')!;

async function userinfoStatus(harness: Harness, accessToken: string): Promise<number> {
  const response = await fetch(`${harness.issuer}/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status;
}

for (const store of ['redis', 'memory'] as const) {
  describe(`token endpoint on the ${store} store`, function () {
    this.timeout(60_000);
    let harness: Harness;
    let client: TestClient;
    before(async () => {
      harness = await startHarness({ store });
      client = harness.clients.sales!;
    });
    after(async () => harness?.close());

    async function freshCode(scope = 'openid profile offline_access') {
      const outcome = await signIn(harness, browserFor(harness), client, citizen, {
        params: { scope, prompt: 'consent' },
      });
      const code = new URL(outcome.last.url).searchParams.get('code');
      expect(code, outcome.last.url).to.be.a('string');
      return { code: code as string, verifier: outcome.request.verifier };
    }

    const codeGrant = (code: string, verifier: string) => ({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: client.metadata.redirect_uris![0]!,
    });
    const exchange = (code: string, verifier: string) =>
      tokenRequest(harness, client, codeGrant(code, verifier));

    it('of 20 concurrent token requests with one authorization code one wins the code; the replays revoke its tokens', async () => {
      const { code, verifier } = await freshCode();
      const params = codeGrant(code, verifier);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => tokenRequest(harness, client, params)),
      );
      // The adapter lets exactly one request consume the code (test/integration/oidc/store-adapter
      // .test.ts). Each of the 19 others is a replay, which revokes the grant (RFC 9700 §4.5.3:
      // "SHOULD revoke all tokens previously issued based on that authorization code"), so the
      // winner's tokens are dead by the end — or, when a revocation lands before the winner has
      // finished, the winner is refused too. Never two sets of tokens, never a live one.
      const winners = results.filter((result) => result.status === 200);
      expect(winners.length, JSON.stringify(results.map((r) => r.status))).to.be.at.most(1);
      for (const loser of results.filter((result) => result.status !== 200)) {
        expect(loser.status).to.equal(400);
        expect(loser.body.error).to.equal('invalid_grant');
      }
      const replay = await tokenRequest(harness, client, params);
      expect(replay.body.error).to.equal('invalid_grant');
      for (const winner of winners) {
        expect(await userinfoStatus(harness, winner.body.access_token!)).to.equal(401);
        const refreshed = await tokenRequest(harness, client, {
          grant_type: 'refresh_token',
          refresh_token: winner.body.refresh_token!,
        });
        expect(refreshed.body.error).to.equal('invalid_grant');
      }
    });

    it('refresh tokens rotate; a replayed refresh token revokes the whole grant', async () => {
      const { code, verifier } = await freshCode();
      const first = await exchange(code, verifier);
      expect(first.body.refresh_token).to.be.a('string');
      const rotated = await tokenRequest(harness, client, {
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token!,
      });
      expect(rotated.status).to.equal(200);
      expect(rotated.body.refresh_token).to.be.a('string').and.not.equal(first.body.refresh_token);
      expect(await userinfoStatus(harness, rotated.body.access_token!)).to.equal(200);

      const replay = await tokenRequest(harness, client, {
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token!,
      });
      expect(replay.status).to.equal(400);
      expect(replay.body.error).to.equal('invalid_grant');
      const afterReplay = await tokenRequest(harness, client, {
        grant_type: 'refresh_token',
        refresh_token: rotated.body.refresh_token!,
      });
      expect(afterReplay.body.error).to.equal('invalid_grant');
      expect(await userinfoStatus(harness, rotated.body.access_token!)).to.equal(401);
    });

    it('of 20 concurrent refreshes with one refresh token exactly one wins', async () => {
      const { code, verifier } = await freshCode();
      const first = await exchange(code, verifier);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          tokenRequest(harness, client, {
            grant_type: 'refresh_token',
            refresh_token: first.body.refresh_token!,
          }),
        ),
      );
      expect(results.filter((result) => result.status === 200)).to.have.length(1);
    });

    it('revocation of a refresh token revokes the grant’s tokens', async () => {
      const { code, verifier } = await freshCode();
      const tokens = await exchange(code, verifier);
      await oidc.tokenRevocation(client.config, tokens.body.refresh_token!, {
        token_type_hint: 'refresh_token',
      });
      expect(await userinfoStatus(harness, tokens.body.access_token!)).to.equal(401);
    });

    it('a token request without PKCE is refused at the authorization endpoint', async () => {
      const url = new URL(`${harness.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: client.metadata.client_id,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: client.metadata.redirect_uris![0]!,
        state: 's',
      }).toString();
      const page = await browserFor(harness).get(url.toString());
      const callback = new URL(page.url);
      expect(callback.searchParams.get('error')).to.equal('invalid_request');
      expect(callback.searchParams.get('iss')).to.equal(harness.issuer);
    });
  });
}
