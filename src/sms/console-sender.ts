/**
 * Development sender: prints the code to the console instead of sending it. This is the one place
 * a code is printed, on purpose and to stdout only, never into the JSON log. The configuration
 * refuses this sender in production.
 */
import type { SmsSender } from './sms-sender.js';

export interface ConsoleSenderOptions {
  /** Where the line goes. Default: stdout. */
  write?: (line: string) => void;
}

export function createConsoleSender(options: ConsoleSenderOptions = {}): SmsSender {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  return {
    async send(mobile, code) {
      write(`[SMS, development only] to ${mobile.masked}: sign-in code ${code}\n`);
    },
  };
}
