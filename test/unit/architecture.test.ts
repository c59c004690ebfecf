import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect } from 'chai';

/**
 * The dependency rules of src/, checked on the import statements themselves:
 *
 * 1. Domain code never imports Koa, @koa/router, ioredis or oidc-provider. Domain code is the
 *    domain folders, and the service side of the mixed folders (every file there but their
 *    adapters), so a new service file is checked without anyone listing it.
 * 2. Only the composition root (src/composition/) imports a concrete adapter; everything else
 *    gets it through an interface.
 *
 * Each allowed exception is listed below with its reason.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

const FRAMEWORKS = ['koa', '@koa/router', 'ioredis', 'oidc-provider'];

/** Folders that are domain code through and through. */
const DOMAIN_FOLDERS = [
  'accounts',
  'otp',
  'captcha',
  'limits',
  'validation',
  'i18n',
  'passkeys',
  'crypto',
  'time',
];

/**
 * Folders that hold a service next to its adapters: every file is domain code except these
 * (paths under src/; a path ending in "/" is a whole subfolder).
 */
const MIXED_FOLDERS: Record<string, string[]> = {
  // admin.ts assembles the registry with its adapters for the composition root and the CLI.
  admin: ['admin/admin.ts', 'admin/http/', 'admin/provider/'],
  // The admin console: allow list, site form, audit view, health series and charts; its pages in http/.
  'admin-console': ['admin-console/http/'],
  audit: ['audit/provider/'],
  metrics: ['metrics/http/', 'metrics/provider/'],
  identity: ['identity/http-identity-client.ts', 'identity/simulator.ts'],
  sms: ['sms/kavenegar-sender.ts', 'sms/console-sender.ts'],
};

/**
 * Concrete adapters (paths under src/), with the exported names that make up the adapter; `*`: the
 * whole module. store-adapter.ts also exports a type (PayloadSealer) and the grant revocation
 * that the OidcRecords port (src/oidc/oidc-records.ts) is built on; only its class is the adapter.
 */
const CONCRETE_ADAPTERS: Record<string, string[]> = {
  'store/redis-store.ts': ['*'],
  'store/memory-store.ts': ['*'],
  'sms/kavenegar-sender.ts': ['*'],
  'sms/console-sender.ts': ['*'],
  'identity/http-identity-client.ts': ['*'],
  'identity/simulator.ts': ['*'],
  'oidc/store-adapter.ts': ['StoreAdapter'],
};

/** Allowed exceptions to rule 2: `<importer> -> <adapter>` and why. */
const ADAPTER_EXCEPTIONS: Record<string, string> = {};

interface Import {
  /** The file that imports, relative to src/ with forward slashes. */
  from: string;
  /** A package name, or a path under src/ for a relative import. */
  target: string;
  relative: boolean;
  typeOnly: boolean;
  /** Imported names: `default`, `*` for a namespace or a side-effect import, else the exported names. */
  names: string[];
}

const posix = (path: string) => path.split(sep).join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// `import x, { a, type b } from '…'`, `import type { … } from '…'`, `import * as n from '…'`,
// `export { … } from '…'`, `export * from '…'`; the clause holds no quote or semicolon.
const FROM_CLAUSE = /^[ \t]*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importedNames(clause: string): { names: string[]; typeOnly: boolean } {
  const names: string[] = [];
  let allTypes = true;
  const braces = /\{([^}]*)\}/.exec(clause);
  const outside = clause
    .replace(/\{[^}]*\}/, '')
    .replace(/,/g, ' ')
    .trim();
  if (outside.startsWith('*')) {
    names.push('*');
    allTypes = false;
  } else if (outside) {
    names.push('default');
    allTypes = false;
  }
  for (const raw of braces?.[1]?.split(',') ?? []) {
    const specifier = raw.trim();
    if (!specifier) continue;
    if (specifier.startsWith('type ')) continue;
    allTypes = false;
    names.push(specifier.split(/\s+as\s+/)[0]!.trim());
  }
  return { names, typeOnly: allTypes };
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const from = posix(relative(SRC, file));
  const found: Array<{ spec: string; typeOnly: boolean; names: string[] }> = [];
  for (const match of text.matchAll(FROM_CLAUSE)) {
    const [, , typeKeyword, clause = '', spec = ''] = match;
    const parsed = importedNames(clause);
    found.push({ spec, typeOnly: Boolean(typeKeyword) || parsed.typeOnly, names: parsed.names });
  }
  for (const match of text.matchAll(SIDE_EFFECT))
    found.push({ spec: match[1]!, typeOnly: false, names: ['*'] });
  for (const match of text.matchAll(DYNAMIC)) found.push({ spec: match[1]!, typeOnly: false, names: ['*'] });
  return found.map(({ spec, typeOnly, names }) => {
    const isRelative = spec.startsWith('.');
    const target = isRelative
      ? posix(relative(SRC, resolve(dirname(file), spec))).replace(/\.js$/, '.ts')
      : spec;
    return { from, target, relative: isRelative, typeOnly, names };
  });
}

const isUnder = (path: string, entry: string) =>
  entry.endsWith('/') ? path.startsWith(entry) : path === entry;

function isDomainFile(path: string): boolean {
  const folder = path.split('/')[0]!;
  if (DOMAIN_FOLDERS.includes(folder)) return true;
  const adapters = MIXED_FOLDERS[folder];
  return adapters !== undefined && !adapters.some((entry) => isUnder(path, entry));
}

const usesFramework = (target: string) =>
  FRAMEWORKS.find((name) => target === name || target.startsWith(`${name}/`));

function adapterNamesUsed(use: Import): string[] {
  const exported = CONCRETE_ADAPTERS[use.target];
  if (!use.relative || !exported || use.typeOnly) return [];
  if (exported.includes('*') || use.names.includes('*')) return use.names;
  return use.names.filter((name) => exported.includes(name));
}

describe('architecture: who may import what', () => {
  const imports = sourceFiles(SRC).flatMap(importsOf);

  it('reads the import statements it checks (the parser sees what the rules are about)', () => {
    const seen = (from: string, target: string) =>
      imports.some((use) => use.from === from && use.target === target);
    expect(seen('composition/adapters.ts', 'store/redis-store.ts')).to.equal(true);
    expect(seen('admin/http/admin-router.ts', 'koa')).to.equal(true);
    expect(seen('oidc/provider.ts', 'oidc-provider')).to.equal(true);
    const composition = imports.find(
      (use) => use.from === 'composition/app.ts' && use.target === 'oidc/store-adapter.ts',
    );
    expect(composition?.names).to.include('StoreAdapter');
    expect(importedNames('{ type A, B as C }')).to.deep.equal({ names: ['B'], typeOnly: false });
    expect(importedNames('{ type A }')).to.deep.equal({ names: [], typeOnly: true });
    expect(importedNames('Router, { type Middleware }')).to.deep.equal({
      names: ['default'],
      typeOnly: false,
    });
  });

  it('every listed adapter and mixed folder exists (the lists stay true)', () => {
    for (const path of Object.keys(CONCRETE_ADAPTERS))
      expect(existsSync(join(SRC, path)), path).to.equal(true);
    for (const entries of Object.values(MIXED_FOLDERS))
      for (const entry of entries) expect(existsSync(join(SRC, entry)), entry).to.equal(true);
    for (const folder of DOMAIN_FOLDERS) expect(existsSync(join(SRC, folder)), folder).to.equal(true);
  });

  it('domain code imports no web framework, Redis client or oidc-provider', () => {
    const violations = imports
      .filter((use) => !use.relative && isDomainFile(use.from) && usesFramework(use.target))
      .map((use) => `${use.from} imports ${use.target}`);
    expect(violations).to.deep.equal([]);
  });

  it('only the composition root imports a concrete adapter', () => {
    const violations = imports
      .filter((use) => !use.from.startsWith('composition/') && use.from !== use.target)
      .filter((use) => adapterNamesUsed(use).length > 0)
      .filter((use) => !ADAPTER_EXCEPTIONS[`${use.from} -> ${use.target}`])
      .map((use) => `${use.from} imports ${adapterNamesUsed(use).join(', ')} from ${use.target}`);
    expect(violations).to.deep.equal([]);
  });

  it('every listed exception is still needed', () => {
    for (const exception of Object.keys(ADAPTER_EXCEPTIONS)) {
      const [from, target] = exception.split(' -> ');
      const still = imports.some(
        (use) => use.from === from && use.target === target && adapterNamesUsed(use).length > 0,
      );
      expect(still, exception).to.equal(true);
    }
  });
});
