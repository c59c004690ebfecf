/**
 * A fake of Jibit Identicator built from the documented shapes (docs/operations.md, Jibit):
 * token generate/refresh, `GET /v1/services/matching` and `GET /v1/services/identity`, with the
 * `{code, message}` error bodies. Tokens really expire (`accessTtlMs`), and `revokeTokens()` makes
 * every issued token fail with 403 `forbidden`, as a lapsed one does.
 */
import { defaultCitizens, type FakeCitizen, fakeJwt, findCitizen } from './citizens.js';
import { type FakeServer, startFakeServer, withExtras } from './fake-server.js';

export interface FakeJibit extends FakeServer {
  readonly tokenCalls: number;
  readonly refreshCalls: number;
  /** `X-TRACK-ID` of every service call. */
  readonly trackIds: string[];
  revokeTokens(): void;
}

export interface FakeJibitOptions {
  apiKey: string;
  secretKey: string;
  accessTtlMs?: number;
  citizens?: readonly FakeCitizen[];
}

const error = (status: number, code: string) => ({ status, body: { code, message: 'خطا' }, service: true });

export async function startFakeJibit(options: FakeJibitOptions): Promise<FakeJibit> {
  const citizens = options.citizens ?? defaultCitizens;
  const live = new Map<string, { expiresAt: number; refresh: string }>();
  let tokenCalls = 0;
  let refreshCalls = 0;
  let issued = 0;
  const trackIds: string[] = [];

  const issue = () => {
    issued += 1;
    const expiresAt = Date.now() + (options.accessTtlMs ?? 3600_000);
    const accessToken = fakeJwt(expiresAt, issued);
    const refreshToken = `refresh-${issued}`;
    live.set(accessToken, { expiresAt, refresh: refreshToken });
    return { status: 200, body: { accessToken, refreshToken }, service: false };
  };

  const server = await startFakeServer((request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.method === 'POST' && request.path === '/v1/tokens/generate') {
      tokenCalls += 1;
      if (body.apiKey !== options.apiKey || body.secretKey !== options.secretKey) {
        return { status: 403, body: { code: 'invalid.credentials', message: '' }, service: false };
      }
      return issue();
    }
    if (request.method === 'POST' && request.path === '/v1/tokens/refresh') {
      refreshCalls += 1;
      const pair = live.get(String(body.accessToken));
      if (!pair || pair.refresh !== body.refreshToken) {
        return { status: 400, body: { code: 'invalid.token_pairs', message: '' }, service: false };
      }
      live.delete(String(body.accessToken));
      return issue();
    }
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    const grant = live.get(token);
    if (!grant || grant.expiresAt <= Date.now()) return error(403, 'forbidden');
    trackIds.push(String(request.headers['x-track-id'] ?? ''));
    const nationalCode = request.query.get('nationalCode') ?? '';
    if (!/^\d{10}$/.test(nationalCode)) return error(400, 'nationalCode.not_valid');
    const citizen = findCitizen(citizens, nationalCode);
    if (citizen?.simulateUpstreamFailure) return error(503, 'providers.not_available');

    if (request.method === 'GET' && request.path === '/v1/services/matching') {
      const mobile = request.query.get('mobileNumber') ?? '';
      if (!/^09\d{9}$/.test(mobile)) return error(400, 'mobileNumber.not_valid');
      const matched = Boolean(citizen && citizen.mobile === mobile && citizen.ownsMobile);
      return { status: 200, body: { matched }, service: true };
    }
    if (request.method === 'GET' && request.path === '/v1/services/identity') {
      const birthDate = request.query.get('birthDate') ?? '';
      if (!/^\d{8}$/.test(birthDate)) return error(400, 'birthDate.not_valid');
      if (!citizen || citizen.person.birthDate.replaceAll('/', '') !== birthDate) {
        return error(404, 'identity_info.not_found');
      }
      const { person } = citizen;
      return {
        status: 200,
        body: {
          nationalCode,
          birthDate,
          identityInfo: {
            nationalCode,
            firstName: person.firstName,
            lastName: person.lastName,
            fatherName: person.fatherName,
            birthDate,
            gender: person.gender === 'male' ? 'MALE' : 'FEMALE',
            alive: person.alive,
            deathDate: person.alive ? null : '14000101',
            providerTrackerId: 'p-1',
          },
        },
        service: true,
      };
    }
    return { status: 404, body: { code: 'not.found' }, service: false };
  });

  return withExtras(server, {
    get tokenCalls() {
      return tokenCalls;
    },
    get refreshCalls() {
      return refreshCalls;
    },
    trackIds,
    revokeTokens() {
      live.clear();
    },
  });
}
