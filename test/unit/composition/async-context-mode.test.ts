import { expect } from 'chai';
import { asyncContextMode } from '../../../src/composition/startup-summary.js';

describe('startup summary: how AsyncLocalStorage runs', () => {
  const FLAG = '--experimental-async-context-frame';

  it('frames when node got the flag, in its arguments or in NODE_OPTIONS', () => {
    expect(asyncContextMode([FLAG], '', 22)).to.equal('frames');
    expect(asyncContextMode([], `--max-old-space-size=512 ${FLAG}`, 22)).to.equal('frames');
  });

  it('frames on Node 24 and later without the flag (their default)', () => {
    expect(asyncContextMode([], '', 24)).to.equal('frames');
  });

  it('promise hooks on Node 22 without the flag, and says which flag to add', () => {
    expect(asyncContextMode(['--cpu-prof'], '--inspect', 22)).to.match(
      /^promise hooks .*--experimental-async-context-frame/,
    );
    expect(asyncContextMode([], `${FLAG}-typo`, 22)).to.match(/^promise hooks/);
  });

  it('this test run has frames: .mocharc passes the flag, so the suite runs as production does', () => {
    expect(asyncContextMode()).to.equal('frames');
  });
});
