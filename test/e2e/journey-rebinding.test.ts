import { expect } from 'chai';
import { browserFor, type Harness, redeem, startHarness } from '../helpers/harness.js';
import { signIn } from '../helpers/journey.js';

// A person only this test knows, so the simulator can give them a new SIM card mid-test.
const person = {
  nationalCode: '0067749828',
  mobile: '09121110000',
  person: {
    firstName: 'کاوه',
    lastName: 'آهنگر',
    fatherName: 'فریدون',
    gender: 'male' as const,
    birthDate: '1368/03/11',
    alive: true,
  },
};

describe('a national code already bound to another mobile', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
    harness.identity.upsertCitizen(person);
  });
  after(async () => harness?.close());

  it('moves the binding to the newly verified mobile instead of creating a second account', async () => {
    const client = harness.clients.sales!;
    const first = await signIn(harness, browserFor(harness), client, person);
    const original = (await redeem(client, first.request, first.last)).claims()!;
    expect(original.phone_number).to.equal('+989121110000');

    // The person now owns another number; the old one is no longer theirs.
    const moved = { ...person, mobile: '09351110000' };
    harness.identity.upsertCitizen(moved);
    const second = await signIn(harness, browserFor(harness), client, moved);
    expect(second.pages).to.deep.equal(['mobile', 'code', 'identity']);
    const after = (await redeem(client, second.request, second.last)).claims()!;
    expect(after.sub).to.equal(original.sub);
    expect(after.phone_number).to.equal('+989351110000');

    // The old number now has no verified account: it meets the identity page, and with this
    // person's national code the ownership check fails (the number is not theirs any more).
    const third = await signIn(harness, browserFor(harness), client, person);
    expect(third.pages).to.deep.equal(['mobile', 'code', 'identity']);
    expect(third.atCallback).to.equal(false);
    expect(third.last.status).to.equal(422);
  });
});
