import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type Provider from 'oidc-provider';
import pino from 'pino';
import {
  attachBackchannelDelivery,
  type BackchannelOutcome,
  failureReason,
} from '../../../src/oidc/backchannel-delivery.js';

describe('back-channel logout delivery', () => {
  it('names failures in a word: HTTP status, timeout, socket error code, anything else', () => {
    expect(
      failureReason(Object.assign(new Error('expected 200 OK'), { response: { status: 502 } })),
    ).to.equal('http_502');
    expect(failureReason(new DOMException('timed out', 'TimeoutError'))).to.equal('timeout');
    expect(failureReason(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).to.equal(
      'econnrefused',
    );
    expect(failureReason(new TypeError('fetch failed', { cause: { code: 'not a code; rm -rf' } }))).to.equal(
      'network_error',
    );
    expect(failureReason(undefined)).to.equal('network_error');
  });

  /** A stand-in for oidc-provider: its events, and a client whose deliveries always fail. */
  function fakeProvider() {
    const emitter = new EventEmitter();
    let calls = 0;
    const client = {
      clientId: 'rp',
      backchannelLogoutUri: 'https://rp.example/bcl',
      async backchannelLogout() {
        calls++;
        throw Object.assign(new Error('no'), { response: { status: 500 } });
      },
    };
    const provider = Object.assign(emitter, { Client: { find: async () => client } });
    return { provider: provider as unknown as Provider, emitter, client, calls: () => calls };
  }

  const deps = (provider: Provider, outcomes: BackchannelOutcome[], maxPending?: number) => ({
    provider,
    status: { recordSuccess: async () => {}, recordFailure: async () => {} },
    logger: pino({ level: 'silent' }),
    audit: () => {},
    count: (outcome: BackchannelOutcome) => outcomes.push(outcome),
    retryDelaysMs: [5, 5, 5],
    ...(maxPending === undefined ? {} : { maxPending }),
  });

  it('holds at most maxPending retries; the rest are counted as dropped', () => {
    const { provider, emitter, client } = fakeProvider();
    const outcomes: BackchannelOutcome[] = [];
    const delivery = attachBackchannelDelivery(deps(provider, outcomes, 2));
    for (let i = 0; i < 5; i++)
      emitter.emit('backchannel.error', { state: {} }, new Error('x'), client, 'sub', `sid${i}`);
    expect(delivery.pending()).to.equal(2);
    expect(outcomes.filter((o) => o === 'dropped')).to.have.length(3);
    delivery.stop();
    expect(delivery.pending()).to.equal(0);
  });

  it('gives up after the last delay; stop() cancels waiting retries', async () => {
    const { provider, emitter, client, calls } = fakeProvider();
    const outcomes: BackchannelOutcome[] = [];
    const delivery = attachBackchannelDelivery(deps(provider, outcomes));
    emitter.emit('backchannel.error', { state: {} }, new Error('x'), client, 'sub', 'sid');
    for (let waited = 0; !outcomes.includes('abandoned') && waited < 2000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(calls()).to.equal(3);
    expect(outcomes).to.deep.equal(['failed', 'failed', 'failed', 'failed', 'abandoned']);

    emitter.emit('backchannel.error', { state: {} }, new Error('x'), client, 'sub', 'sid');
    delivery.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls()).to.equal(3);
  });
});
