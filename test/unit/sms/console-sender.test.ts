import { expect } from 'chai';
import { createConsoleSender } from '../../../src/sms/console-sender.js';
import { Mobile } from '../../../src/validation/mobile.js';

describe('console SMS sender', () => {
  it('prints the code with a masked number, never the full number', async () => {
    const lines: string[] = [];
    await createConsoleSender({ write: (line) => lines.push(line) }).send(
      Mobile.parse('09121234567') as Mobile,
      '482913',
    );
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('…4567').and.to.contain('482913');
    expect(lines[0]).not.to.contain('1234567');
    expect(lines[0]).to.match(/\n$/);
  });
});
