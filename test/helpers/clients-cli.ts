import { runCli } from '../../scripts/clients/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is. */
  // biome-ignore lint/suspicious/noExplicitAny: the tests check arbitrary JSON fields with chai
  json: any;
}

/**
 * `npm run clients -- …args` in this process (the same runCli the script runs), with exactly
 * `env` as its environment: nothing of the test process's own leaks in.
 */
export async function runClients(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => input,
  });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}
