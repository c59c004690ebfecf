import { parseArgs } from 'node:util';

export const PHASES = ['memory', 'signin', 'passkey', 'refresh', 'bare', 'code'] as const;
export type Phase = (typeof PHASES)[number];

export interface Settings {
  users: number;
  concurrency: number;
  durationMs: number;
  phases: Set<Phase>;
  cpuProf: boolean;
  json?: string;
  keep: boolean;
  /** Extra provider environment (`--env KEY=VALUE`), e.g. LOG_LEVEL=warn for an experiment. */
  providerEnv: Record<string, string>;
}

/** The command line (see scripts/bench.ts) as settings; unknown phases and malformed --env refused. */
export function settingsFromArgs(args: string[] = process.argv.slice(2)): Settings {
  const { values } = parseArgs({
    args,
    options: {
      users: { type: 'string' },
      concurrency: { type: 'string', default: '32' },
      duration: { type: 'string' },
      phases: { type: 'string', default: PHASES.join(',') },
      'cpu-prof': { type: 'boolean', default: false },
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
    },
  });
  return {
    users: Number(values.users ?? (values.quick ? 1000 : 10_000)),
    concurrency: Number(values.concurrency),
    durationMs: Number(values.duration ?? (values.quick ? 6 : 15)) * 1000,
    phases: phasesOf(values.phases),
    cpuProf: values['cpu-prof'],
    json: values.json,
    keep: values.keep,
    providerEnv: Object.fromEntries(values.env.map(keyValue)),
  };
}

function phasesOf(list: string): Set<Phase> {
  return new Set(
    list.split(',').map((phase) => {
      if (!(PHASES as readonly string[]).includes(phase))
        throw new Error(`unknown phase ${phase}; phases: ${PHASES.join(',')}`);
      return phase as Phase;
    }),
  );
}

function keyValue(pair: string): [string, string] {
  const separator = pair.indexOf('=');
  if (separator < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
  return [pair.slice(0, separator), pair.slice(separator + 1)];
}
