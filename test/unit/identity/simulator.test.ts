import { expect } from 'chai';
import { DEMO_CITIZENS, type DemoCase, type DemoCitizen } from '../../../src/identity/demo-citizens.js';
import { IdentityServiceUnavailableError } from '../../../src/identity/identity-service.js';
import { createIdentitySimulator } from '../../../src/identity/simulator.js';
import { birthDate, mobile, nationalCode } from '../../helpers/values.js';

function demo(kind: DemoCase): DemoCitizen {
  const found = DEMO_CITIZENS.find((c) => c.case === kind);
  if (!found) throw new Error(`no demo citizen for ${kind}`);
  return found;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('identity simulator (in-process)', () => {
  const ali = demo('ordinary');

  it('confirms ownership only of the citizen’s own mobile', async () => {
    const sim = createIdentitySimulator();
    expect(await sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(true);
    expect(await sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile('09120000000'))).to.equal(
      false,
    );
    expect(await sim.checkMobileOwnership(nationalCode('0012345679'), mobile(ali.mobile))).to.equal(false);
  });

  it('answers no for a mobile registered to someone else', async () => {
    const sara = demo('mobile-not-owned');
    expect(
      await createIdentitySimulator().checkMobileOwnership(
        nationalCode(sara.nationalCode),
        mobile(sara.mobile),
      ),
    ).to.equal(false);
  });

  it('matches the registry on national code + the right birth date only', async () => {
    const sim = createIdentitySimulator();
    expect(
      await sim.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate(ali.person.birthDate)),
    ).to.deep.equal({
      matched: true,
      person: ali.person,
    });
    expect(
      await sim.inquireCivilRegistry(nationalCode(ali.nationalCode), birthDate('1370/05/15')),
    ).to.deep.equal({ matched: false });
    expect(
      await sim.inquireCivilRegistry(nationalCode('0012345679'), birthDate(ali.person.birthDate)),
    ).to.deep.equal({
      matched: false,
    });
  });

  it('reports a deceased person as alive: false', async () => {
    const parvin = demo('deceased');
    const result = await createIdentitySimulator().inquireCivilRegistry(
      nationalCode(parvin.nationalCode),
      birthDate(parvin.person.birthDate),
    );
    expect(result.matched && result.person.alive).to.equal(false);
    expect(result.matched).to.equal(true);
  });

  it('fails every call about the upstream-failure citizen', async () => {
    const mahdi = demo('upstream-failure');
    const sim = createIdentitySimulator();
    const e1 = await rejection(
      sim.checkMobileOwnership(nationalCode(mahdi.nationalCode), mobile(mahdi.mobile)),
    );
    const e2 = await rejection(
      sim.inquireCivilRegistry(nationalCode(mahdi.nationalCode), birthDate(mahdi.person.birthDate)),
    );
    expect(e1).to.be.instanceOf(IdentityServiceUnavailableError);
    expect(e2).to.be.instanceOf(IdentityServiceUnavailableError);
  });

  it('fails at the configured rate, and can be switched at run time', async () => {
    const draws = [0.2, 0.8];
    const sim = createIdentitySimulator({ failureRate: 0.5, random: () => draws.shift() ?? 0.99 });
    await rejection(sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
    expect(await sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(true);
    sim.setFailureRate(1);
    await rejection(sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile)));
    sim.setFailureRate(0);
    expect(await sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(true);
    expect(() => sim.setFailureRate(2)).to.throw(RangeError);
  });

  it('waits the configured latency', async () => {
    const sim = createIdentitySimulator({ latencyMs: 60 });
    const started = Date.now();
    await sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile));
    expect(Date.now() - started).to.be.at.least(55);
    sim.setLatency(0);
  });

  it('knows only the citizens it is given', async () => {
    const sim = createIdentitySimulator({ citizens: [demo('deceased')] });
    expect(await sim.checkMobileOwnership(nationalCode(ali.nationalCode), mobile(ali.mobile))).to.equal(
      false,
    );
  });
});
