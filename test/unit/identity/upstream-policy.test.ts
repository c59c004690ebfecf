/**
 * The identity service's call policy (cockatiel, configured): breaker states as metrics see them,
 * retries of transient failures only, and the time budget. Real timers with short settings.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { BrokenCircuitError } from 'cockatiel';
import {
  type BreakerState,
  createUpstreamPolicy,
  UPSTREAM_POLICY_DEFAULTS,
  type UpstreamPolicyOptions,
} from '../../../src/identity/upstream-policy.js';

class Transient extends Error {}
class Definite extends Error {}

const ok = () => Promise.resolve('ok');
const down = () => Promise.reject(new Transient('upstream down'));

function policyWith(options: Partial<UpstreamPolicyOptions> = {}) {
  const transitions: string[] = [];
  const policy = createUpstreamPolicy({
    timeoutMs: 200,
    retries: 0,
    backoffMs: 5,
    failureThreshold: 3,
    cooldownMs: 150,
    isFailure: (error) => error instanceof Transient || error instanceof Definite,
    isTransient: (error) => error instanceof Transient,
    onStateChange: (from: BreakerState, to: BreakerState) => transitions.push(`${from}>${to}`),
    ...options,
  });
  return { policy, transitions };
}

async function failTimes(policy: ReturnType<typeof policyWith>['policy'], n: number) {
  for (let i = 0; i < n; i++) await policy.execute(down).catch(() => undefined);
}

describe('upstream policy', () => {
  describe('circuit breaker', () => {
    it('defaults to 5 failed calls', async () => {
      const { policy } = policyWith({ failureThreshold: undefined, cooldownMs: undefined });
      expect(UPSTREAM_POLICY_DEFAULTS.failureThreshold).to.equal(5);
      await failTimes(policy, 4);
      expect(policy.state).to.equal('closed');
      await failTimes(policy, 1);
      expect(policy.state).to.equal('open');
    });

    it('stays closed and passes results and errors through below the threshold', async () => {
      const { policy } = policyWith();
      expect(await policy.execute(ok)).to.equal('ok');
      await failTimes(policy, 2);
      expect(policy.state).to.equal('closed');
      const error = await policy.execute(down).catch((e: unknown) => e);
      expect((error as Error).message).to.equal('upstream down');
    });

    it('counts only consecutive failures: a success resets the count', async () => {
      const { policy } = policyWith();
      await failTimes(policy, 2);
      await policy.execute(ok);
      await failTimes(policy, 2);
      expect(policy.state).to.equal('closed');
    });

    it('does not count an error that is no upstream failure (a bug)', async () => {
      const { policy } = policyWith();
      for (let i = 0; i < 5; i++) {
        await policy.execute(() => Promise.reject(new TypeError('bug'))).catch(() => undefined);
      }
      expect(policy.state).to.equal('closed');
    });

    it('opens after N consecutive failures and rejects without calling', async () => {
      const { policy, transitions } = policyWith();
      await failTimes(policy, 3);
      expect(policy.state).to.equal('open');
      let called = false;
      const error = await policy
        .execute(async () => {
          called = true;
          return 'x';
        })
        .catch((e: unknown) => e);
      expect(called).to.equal(false);
      expect(error).to.be.instanceOf(BrokenCircuitError);
      expect(transitions).to.deep.equal(['closed>open']);
    });

    it('reports half-open once the cooldown is over; one trial reaches the upstream, success closes', async () => {
      const { policy, transitions } = policyWith();
      await failTimes(policy, 3);
      await sleep(100);
      expect(policy.state).to.equal('open');
      await sleep(60);
      expect(policy.state).to.equal('half-open');

      let calls = 0;
      let release!: (value: string) => void;
      const trial = policy.execute(() => {
        calls += 1;
        return new Promise<string>((resolve) => (release = resolve));
      });
      // A second call meanwhile does not reach the upstream while the trial is in flight.
      const second = policy.execute(async () => {
        calls += 1;
        return 'second';
      });
      await sleep(20);
      expect(calls).to.equal(1);

      release('trial ok');
      expect(await trial).to.equal('trial ok');
      expect(await second).to.equal('second');
      expect(policy.state).to.equal('closed');
      expect(transitions).to.deep.equal(['closed>open', 'open>half-open', 'half-open>closed']);
    });

    it('re-opens for a full cooldown when the trial fails', async () => {
      const { policy } = policyWith();
      await failTimes(policy, 3);
      await sleep(160);
      await policy.execute(down).catch(() => undefined);
      expect(policy.state).to.equal('open');
      await sleep(100);
      expect(policy.state).to.equal('open');
      await sleep(60);
      expect(policy.state).to.equal('half-open');
    });

    it('refuses nonsensical settings', () => {
      expect(() => policyWith({ failureThreshold: 0 })).to.throw(RangeError);
      expect(() => policyWith({ cooldownMs: -1 })).to.throw(RangeError);
      expect(() => policyWith({ timeoutMs: 0 })).to.throw(RangeError);
      expect(() => policyWith({ retries: 1.5 })).to.throw(RangeError);
    });
  });

  describe('retries', () => {
    it('retries a transient failure, up to the retries allowed', async () => {
      const { policy } = policyWith({ retries: 2 });
      let attempts = 0;
      await policy
        .execute(async () => {
          attempts += 1;
          throw new Transient('503');
        })
        .catch(() => undefined);
      expect(attempts).to.equal(3);
    });

    it('never retries a definite answer or a definite failure', async () => {
      const { policy } = policyWith({ retries: 2 });
      let attempts = 0;
      expect(
        await policy.execute(async () => {
          attempts += 1;
          return { matched: false };
        }),
      ).to.deep.equal({ matched: false });
      const error = await policy
        .execute(async () => {
          attempts += 1;
          throw new Definite('401');
        })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(Definite);
      expect(attempts).to.equal(2);
    });

    it('recovers when a later attempt succeeds', async () => {
      const { policy } = policyWith({ retries: 2 });
      let attempts = 0;
      const result = await policy.execute(async () => {
        attempts += 1;
        if (attempts < 3) throw new Transient('flaky');
        return 'ok';
      });
      expect(result).to.equal('ok');
    });

    it('waits between attempts, with jitter: 50–100 % of each doubling step', async () => {
      const { policy } = policyWith({ retries: 2, backoffMs: 40 });
      const at: number[] = [];
      await policy
        .execute(async () => {
          at.push(performance.now());
          throw new Transient('down');
        })
        .catch(() => undefined);
      const [first, second, third] = at as [number, number, number];
      expect(second - first).to.be.within(19, 60);
      expect(third - second).to.be.within(39, 100);
    });
  });

  describe('time budget', () => {
    it('aborts each attempt after timeoutMs and the whole call within timeoutMs × attempts', async () => {
      const { policy } = policyWith({ timeoutMs: 100, retries: 1, backoffMs: 5 });
      const aborted: number[] = [];
      const started = performance.now();
      const error = await policy
        .execute(
          (signal) =>
            new Promise((_resolve, reject) => {
              signal.addEventListener('abort', () => {
                aborted.push(performance.now() - started);
                reject(new Transient('timed out'));
              });
            }),
        )
        .catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).to.be.instanceOf(Transient);
      expect(aborted).to.have.length(2);
      expect(aborted[0]).to.be.within(95, 150);
      expect(elapsed).to.be.within(190, 260);
    });

    it('ends with the last real failure when the budget runs out during a backoff', async () => {
      // Budget 100 ms; the first attempt ignores its abort and fails at 90 ms, the backoff
      // (25–50 ms) outlasts the budget: no second attempt starts, the 503 is the answer.
      const { policy } = policyWith({ timeoutMs: 50, retries: 1, backoffMs: 50 });
      let attempts = 0;
      const error = await policy
        .execute(async () => {
          attempts += 1;
          await sleep(90);
          throw new Transient(`503 #${attempts}`);
        })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(Transient);
      expect((error as Error).message).to.equal('503 #1');
      expect(attempts).to.equal(1);
    });
  });
});
