/**
 * A fake of Zibal's facility inquiries built from the documented shapes (docs/operations.md,
 * Zibal): static Bearer token, `POST /v1/facility/shahkarInquiry` and
 * `POST /v1/facility/nationalIdentityInquiry`, `{result, message, data}` with `result == 1`.
 */
import { defaultCitizens, type FakeCitizen, findCitizen } from './citizens.js';
import { type FakeServer, startFakeServer } from './fake-server.js';

export interface FakeZibalOptions {
  token: string;
  citizens?: readonly FakeCitizen[];
}

const result = (code: number, status = 200) => ({
  status,
  body: { result: code, message: 'خطا' },
  service: true,
});

export async function startFakeZibal(options: FakeZibalOptions): Promise<FakeServer> {
  const citizens = options.citizens ?? defaultCitizens;
  return startFakeServer((request) => {
    if (request.headers.authorization !== `Bearer ${options.token}`) return result(3, 403);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const nationalCode = String(body.nationalCode ?? '');
    const path = request.path.replace(/\/$/, '');
    if (request.method !== 'POST') return { status: 404, body: {}, service: false };
    if (path !== '/v1/facility/shahkarInquiry' && path !== '/v1/facility/nationalIdentityInquiry') {
      return { status: 404, body: {}, service: false };
    }
    if (!/^\d{10}$/.test(nationalCode)) return result(6, 400);
    const citizen = findCitizen(citizens, nationalCode);
    if (citizen?.simulateUpstreamFailure) return result(45);
    const ok = (data: unknown) => ({
      status: 200,
      body: { result: 1, message: 'موفق', data },
      service: true,
    });
    if (path === '/v1/facility/shahkarInquiry') {
      const mobile = String(body.mobile ?? '');
      if (!/^09\d{9}$/.test(mobile)) return result(6, 400);
      return ok({ matched: Boolean(citizen && citizen.mobile === mobile && citizen.ownsMobile) });
    }
    const birthDate = String(body.birthDate ?? '');
    if (!/^\d{4}\/\d{2}\/\d{2}$/.test(birthDate)) return result(6, 400);
    if (!citizen || citizen.person.birthDate !== birthDate) return ok({ matched: false });
    const { person } = citizen;
    return ok({
      matched: true,
      firstName: person.firstName,
      lastName: person.lastName,
      fatherName: person.fatherName,
      alive: person.alive,
      ...(body.genderInquiry === true ? { gender: person.gender === 'male' ? '1' : '2' } : {}),
    });
  });
}
