import { parseArgs } from 'node:util';
import { adminApiBackend } from './api-client.js';
import type { ClientsBackend } from './backend.js';
import { COMMANDS } from './commands.js';
import { resolveConnection } from './connection.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { offlineBackend } from './offline.js';
import { type Flags, OPTIONS, USAGE } from './options.js';
import { createOutput } from './output.js';

/** The process around the command line, injectable so tests run it in-process. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

/** Runs one command; returns the exit status (scripts/clients/errors.ts EXIT). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let flags: Flags;
  let positionals: string[];
  try {
    ({ values: flags, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const [name, ...args] = positionals;
  if (flags.help || !name || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return name || flags.help ? EXIT.done : EXIT.usage;
  }
  const out = createOutput(Boolean(flags.json), io.stdout);
  let backend: ClientsBackend | undefined;
  try {
    const command = COMMANDS[name];
    if (!command || !Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command "${name}"`);
    if (flags.offline && (flags.server || flags['token-file']))
      throw new UsageError('--offline uses the store, not a server: leave out --server and --token-file');
    backend = flags.offline
      ? await offlineBackend(io.env)
      : adminApiBackend(
          await resolveConnection(
            { server: flags.server, tokenFile: flags['token-file'], allowHttp: flags['allow-http'] },
            io.env,
          ),
        );
    await command({ backend, out, flags, args, readStdin: io.readStdin });
    return EXIT.done;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const body = { error: error.error, error_description: error.description };
    if (out.json) out.document(body);
    else if (error instanceof UsageError)
      io.stderr(`${error.description}\n\nRun "npm run clients -- --help" for the commands.\n`);
    else io.stderr(`error: ${error.description}${error.error === 'not_found' ? '' : ` (${error.error})`}\n`);
    return error.exitCode;
  } finally {
    await backend?.close();
  }
}
