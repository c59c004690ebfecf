/**
 * Manage relying parties (OIDC clients) from the command line, through a running server's admin
 * API (/admin/api) — whatever its store, the embedded one of a development `npm start` included:
 *
 *   npm run clients -- create --name "Sales site" --redirect-uri https://sales.example.com/callback
 *   npm run clients -- list [--json]
 *   npm run clients -- --help
 *
 * The modules are in scripts/clients/ (main: the flow; api-client: HTTP; offline: --offline on
 * the shared store; commands: what each command sends and prints). docs/admin.md has the guide.
 */
import 'dotenv/config';
import { runCli } from './clients/main.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
});
