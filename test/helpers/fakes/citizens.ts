/** What every identity-vendor fake knows: the demo citizens, looked up as the vendors would. */
import { DEMO_CITIZENS, type DemoCitizen } from '../../../src/identity/demo-citizens.js';

export type FakeCitizen = Pick<
  DemoCitizen,
  'nationalCode' | 'mobile' | 'person' | 'ownsMobile' | 'simulateUpstreamFailure'
>;

export function findCitizen(citizens: readonly FakeCitizen[], nationalCode: string): FakeCitizen | undefined {
  return citizens.find((citizen) => citizen.nationalCode === nationalCode);
}

export const defaultCitizens: readonly FakeCitizen[] = DEMO_CITIZENS;

/** A fake JWT (unsigned; our clients only read `exp`). */
export function fakeJwt(expiresAtMs: number, id: number): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ exp: Math.floor(expiresAtMs / 1000), jti: id })}.sig`;
}
