#!/usr/bin/env node
/**
 * `npm test`'s first step: the programs the suite needs that npm cannot install, checked before
 * anything runs, so that a missing one stops the run with the one command that installs it
 * (instead of a browser or interop suite quietly skipping). Running a single test file with
 * mocha still skips what is missing, with the same command in its message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const apache = process.env.APACHE_PATH ?? '/usr/sbin/apache2';
const apacheModules = process.env.APACHE_MODULES ?? '/usr/lib/apache2/modules';
const python = process.env.AUTHLIB_PYTHON ?? '/usr/bin/python3';

const runs = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** [what, present?, Debian packages] */
const needs = [
  ['redis-server (integration tests)', runs('redis-server', ['--version']), ['redis-server']],
  [`Chromium at ${chromium} (browser tests)`, existsSync(chromium), ['chromium']],
  [
    `Apache with mod_auth_openidc at ${apache} (interop test)`,
    existsSync(apache) && existsSync(join(apacheModules, 'mod_auth_openidc.so')),
    ['apache2', 'libapache2-mod-auth-openidc'],
  ],
  [
    `Authlib and Flask for ${python} (interop test)`,
    runs(python, ['-c', 'import authlib, flask, requests']),
    ['python3-authlib', 'python3-flask', 'python3-requests'],
  ],
];

const missing = needs.filter(([, present]) => !present);
if (missing.length > 0) {
  console.error('npm test: missing what npm cannot install:');
  for (const [what] of missing) console.error(`  - ${what}`);
  const packages = missing.flatMap(([, , debian]) => debian).join(' ');
  console.error(`Install it with (as root):\n  apt-get update && apt-get install -y ${packages}`);
  process.exit(1);
}
