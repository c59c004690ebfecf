/**
 * Runs the provider as its own process, the way production does (`node dist/src/main.js`), or
 * from the TypeScript sources through tsx when the caller itself runs from sources (tests), so
 * no build is needed there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjectRoot } from '../../src/composition/project-root.js';
import { waitUntil } from './ports.js';

/** The checkout's root, from scripts/lib (sources) or dist/scripts/lib (built). */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const RUNNING_FROM_SOURCES = import.meta.url.endsWith('.ts');

export type ProviderRuntime = 'dist' | 'tsx';

/**
 * Node flags every provider process runs with, as `npm start` does: AsyncLocalStorage on async
 * context frames instead of promise hooks (oidc-provider and the request context both use it; the
 * hooks cost about a quarter of a sign-in's CPU on Node 22, where frames are still opt-in).
 */
export const PROVIDER_NODE_FLAGS = ['--experimental-async-context-frame'];

export interface ProviderProcessOptions {
  port: number;
  host?: string;
  env: Record<string, string>;
  /** `dist`: node dist/src/main.js (needs `npm run build`); `tsx`: src/main.ts. Default: like the caller. */
  runtime?: ProviderRuntime;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Keeps stdout/stderr (the last 64 KB) for error messages. Default true. */
  captureOutput?: boolean;
  /** Passes the output through to this process's stderr. */
  inheritOutput?: boolean;
  /** Writes stdout and stderr to this file descriptor instead (e.g. a log file); no capture. */
  outputFd?: number;
  label?: string;
}

export interface ProviderProcess {
  readonly url: string;
  readonly port: number;
  readonly label: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Recent output of the process (for error messages). */
  output(): string;
  alive(): boolean;
  /** Resolves when /readyz answers 200. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends a signal and waits for the exit; resolves with the exit code (or signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string | null>;
  /** Resolves on exit, with the exit code or signal. */
  exited: Promise<number | string | null>;
}

export function spawnProvider(options: ProviderProcessOptions): ProviderProcess {
  const runtime = options.runtime ?? (RUNNING_FROM_SOURCES ? 'tsx' : 'dist');
  const entry =
    runtime === 'dist' ? [join(PROJECT_ROOT, 'dist/src/main.js')] : ['--import', 'tsx', 'src/main.ts'];
  if (runtime === 'dist' && !existsSync(entry[0] as string)) {
    throw new Error(`${entry[0]} is missing: run \`npm run build\` first`);
  }
  const host = options.host ?? '127.0.0.1';
  const label = options.label ?? `provider:${options.port}`;
  const child = spawn(process.execPath, [...PROVIDER_NODE_FLAGS, ...(options.nodeArgs ?? []), ...entry], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(options.port),
      HOST: host,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio:
      options.outputFd === undefined
        ? ['ignore', 'pipe', 'pipe']
        : ['ignore', options.outputFd, options.outputFd],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    if (options.inheritOutput) process.stderr.write(chunk);
    if (options.captureOutput === false) return;
    output += chunk.toString('utf8');
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = `http://${host}:${options.port}`;
  const alive = () => child.exitCode === null && child.signalCode === null;

  return {
    url,
    port: options.port,
    label,
    child,
    pid: child.pid ?? 0,
    output: () => output,
    alive,
    exited,
    async ready(timeoutMs = 30_000) {
      await waitUntil(
        `${label} /readyz`,
        async () => {
          if (!alive()) throw new Error(`${label} exited early:\n${output.slice(-4000)}`);
          const response = await fetch(`${url}/readyz`);
          await response.arrayBuffer();
          return response.ok;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (!alive()) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
