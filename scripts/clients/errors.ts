/**
 * Exit statuses of `npm run clients` (docs/admin.md): a script can tell "fix your request" (1)
 * from "the server is not there" (2), "you are not allowed" (3) and "try again later" (69).
 */
export const EXIT = {
  done: 0,
  refused: 1,
  unreachable: 2,
  unauthorized: 3,
  usage: 64,
  unavailable: 69,
  configuration: 78,
} as const;

/** A failure with its exit status and an RFC 7591 style error, printed by the entry point. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** The command line itself is wrong: the usage is printed with it. */
export class UsageError extends CliError {
  constructor(description: string) {
    super(EXIT.usage, 'usage', description);
  }
}

export const notFound = (clientId: string) =>
  new CliError(EXIT.refused, 'not_found', `no client ${clientId}`);
