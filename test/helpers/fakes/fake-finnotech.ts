/**
 * A fake of Finnotech built from the documented shapes (docs/operations.md, Finnotech): the
 * client-credential token (Basic auth, `nid`, scopes; `lifeTime` in ms; refresh), Shahkar
 * (`/facility/v2/clients/{id}/shahkar/verify`) and identificationInquiry, in the
 * `{responseCode, trackId, status, result | error}` envelope.
 */
import { defaultCitizens, type FakeCitizen, findCitizen } from './citizens.js';
import { type FakeServer, startFakeServer, withExtras } from './fake-server.js';

export interface FakeFinnotech extends FakeServer {
  readonly tokenCalls: number;
  readonly trackIds: string[];
  revokeTokens(): void;
}

export interface FakeFinnotechOptions {
  clientId: string;
  clientSecret: string;
  nid: string;
  lifeTimeMs?: number;
  citizens?: readonly FakeCitizen[];
}

const failed = (status: number, code: string, message: string) => ({
  status,
  body: {
    responseCode: `FN-FAKE-${status}00000000`,
    trackId: 't',
    status: 'FAILED',
    error: { code, message },
  },
  service: true,
});

export async function startFakeFinnotech(options: FakeFinnotechOptions): Promise<FakeFinnotech> {
  const citizens = options.citizens ?? defaultCitizens;
  const live = new Map<string, { expiresAt: number; scopes: string[]; refresh: string }>();
  let tokenCalls = 0;
  let issued = 0;
  const trackIds: string[] = [];
  const basic = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;

  const issue = (scopes: string[]) => {
    issued += 1;
    const lifeTime = options.lifeTimeMs ?? 864_000_000;
    const value = `finnotech-token-${issued}`;
    live.set(value, { expiresAt: Date.now() + lifeTime, scopes, refresh: `r-${issued}` });
    return {
      status: 200,
      body: {
        result: { value, scopes, lifeTime, creationDate: '14030101120000', refreshToken: `r-${issued}` },
        status: 'DONE',
      },
      service: false,
    };
  };

  const server = await startFakeServer((request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.path === '/dev/v2/oauth2/token') {
      tokenCalls += 1;
      if (request.headers.authorization !== basic)
        return { ...failed(401, 'UNAUTHORIZED', 'bad client'), service: false };
      if (body.grant_type === 'client_credentials' && body.nid === options.nid) {
        return issue(String(body.scopes ?? '').split(','));
      }
      if (body.grant_type === 'refresh_token') {
        const entry = [...live.entries()].find(([, grant]) => grant.refresh === body.refresh_token);
        if (!entry) return { ...failed(400, 'INVALID_REFRESH', 'invalid refresh token'), service: false };
        live.delete(entry[0]);
        return issue(entry[1].scopes);
      }
      return { ...failed(400, 'VALIDATION_ERROR', 'bad grant'), service: false };
    }
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    const grant = live.get(token);
    if (!grant || grant.expiresAt <= Date.now()) return failed(403, 'FORBIDDEN', 'invalid token');
    const trackId = request.query.get('trackId') ?? '';
    trackIds.push(trackId);
    if (!/^[A-Za-z0-9-]{1,40}$/.test(trackId)) return failed(400, 'VALIDATION_ERROR', 'invalid trackId');
    const nationalCode = request.query.get('nationalCode') ?? '';
    if (!/^\d{10}$/.test(nationalCode)) return failed(400, 'VALIDATION_ERROR', 'invalid nationalCode');
    const citizen = findCitizen(citizens, nationalCode);
    if (citizen?.simulateUpstreamFailure) return failed(500, 'INTERNAL', 'provider unavailable');
    const done = (result: unknown) => ({
      status: 200,
      body: { responseCode: 'FN-FAKE-20000000000', trackId, status: 'DONE', result },
      service: true,
    });

    if (request.path === `/facility/v2/clients/${options.clientId}/shahkar/verify`) {
      if (!grant.scopes.includes('facility:shahkar:get')) return failed(403, 'FORBIDDEN', 'scope');
      const mobile = request.query.get('mobile') ?? '';
      if (!/^09\d{9}$/.test(mobile)) return failed(400, 'VALIDATION_ERROR', 'invalid mobile');
      return done({ isValid: Boolean(citizen && citizen.mobile === mobile && citizen.ownsMobile) });
    }
    if (request.path === `/kyc/v2/clients/${options.clientId}/identificationInquiry`) {
      if (!grant.scopes.includes('kyc:identification-inquiry:get')) return failed(403, 'FORBIDDEN', 'scope');
      const birthDate = request.query.get('birthDate') ?? '';
      if (!/^\d{4}\/\d{2}\/\d{2}$/.test(birthDate))
        return failed(400, 'VALIDATION_ERROR', 'invalid birthdate');
      if (!citizen || citizen.person.birthDate !== birthDate) {
        return failed(400, 'VALIDATION_ERROR', 'کد ملی یا تاریخ تولد اشتباه است');
      }
      const { person } = citizen;
      return done({
        nationalId: nationalCode,
        firstName: person.firstName,
        lastName: person.lastName,
        fatherName: person.fatherName,
        birthDate: person.birthDate,
        gender: person.gender === 'male' ? 'مرد' : 'زن',
        deathStatus: person.alive ? 'زنده' : 'مرده',
      });
    }
    return { status: 404, body: '', service: false };
  });

  return withExtras(server, {
    get tokenCalls() {
      return tokenCalls;
    },
    trackIds,
    revokeTokens() {
      live.clear();
    },
  });
}
