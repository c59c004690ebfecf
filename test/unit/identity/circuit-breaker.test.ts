import { expect } from 'chai';
import {
  CircuitBreaker,
  CircuitOpenError,
  type CircuitState,
} from '../../../src/identity/circuit-breaker.js';

const ok = () => Promise.resolve('ok');
const boom = () => Promise.reject(new Error('upstream down'));

describe('CircuitBreaker', () => {
  let clock: number;
  let transitions: string[];
  let breaker: CircuitBreaker;

  beforeEach(() => {
    clock = 1_000_000;
    transitions = [];
    breaker = new CircuitBreaker({
      failureThreshold: 3,
      cooldownMs: 10_000,
      now: () => clock,
      onStateChange: (from: CircuitState, to: CircuitState) => transitions.push(`${from}>${to}`),
    });
  });

  async function failTimes(n: number) {
    for (let i = 0; i < n; i++) await breaker.execute(boom).catch(() => undefined);
  }

  it('defaults to 5 failures and a 10 s cooldown', async () => {
    let now = 0;
    const defaults = new CircuitBreaker({ now: () => now });
    for (let i = 0; i < 4; i++) await defaults.execute(boom).catch(() => undefined);
    expect(defaults.state).to.equal('closed');
    await defaults.execute(boom).catch(() => undefined);
    expect(defaults.state).to.equal('open');
    now = 9_999;
    expect(defaults.state).to.equal('open');
    now = 10_000;
    expect(defaults.state).to.equal('half-open');
  });

  it('stays closed and passes results and errors through below the threshold', async () => {
    expect(await breaker.execute(ok)).to.equal('ok');
    await failTimes(2);
    expect(breaker.state).to.equal('closed');
    try {
      await breaker.execute(boom);
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).message).to.equal('upstream down');
    }
  });

  it('counts only consecutive failures: a success resets the count', async () => {
    await failTimes(2);
    await breaker.execute(ok);
    await failTimes(2);
    expect(breaker.state).to.equal('closed');
  });

  it('opens after N consecutive failures and rejects without calling', async () => {
    await failTimes(3);
    expect(breaker.state).to.equal('open');
    let called = false;
    const error = await breaker
      .execute(async () => {
        called = true;
        return 'x';
      })
      .catch((e: unknown) => e);
    expect(called).to.equal(false);
    expect(error).to.be.instanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).retryAfterMs).to.equal(10_000);
    expect(transitions).to.deep.equal(['closed>open']);
  });

  it('half-opens after the cooldown and lets exactly one trial through', async () => {
    await failTimes(3);
    clock += 10_000;
    expect(breaker.state).to.equal('half-open');

    let release!: (value: string) => void;
    const trial = breaker.execute(() => new Promise<string>((resolve) => (release = resolve)));
    const second = await breaker.execute(ok).catch((e: unknown) => e);
    expect(second).to.be.instanceOf(CircuitOpenError);

    release('trial ok');
    expect(await trial).to.equal('trial ok');
    expect(breaker.state).to.equal('closed');
    expect(await breaker.execute(ok)).to.equal('ok');
    expect(transitions).to.deep.equal(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('re-opens for a full cooldown when the trial fails', async () => {
    await failTimes(3);
    clock += 10_000;
    await breaker.execute(boom).catch(() => undefined);
    expect(breaker.state).to.equal('open');
    clock += 9_999;
    expect(breaker.state).to.equal('open');
    clock += 1;
    expect(breaker.state).to.equal('half-open');
  });

  it('refuses nonsensical settings', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).to.throw(RangeError);
    expect(() => new CircuitBreaker({ cooldownMs: -1 })).to.throw(RangeError);
  });
});
