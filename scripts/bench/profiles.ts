/** Where a provider's CPU time went, from the V8 profiles `--cpu-prof` leaves behind. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/provider-process.js';

export interface ProfileLine {
  selfPercent: number;
  selfMs: number;
  where: string;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** The top modules and functions by self time of each profile in `<dir>/profile-<label>`. */
export async function profiles(dir: string, label: string): Promise<Record<string, ProfileLine[]>> {
  const folder = join(dir, `profile-${label}`);
  const files = (await readdir(folder).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.cpuprofile'),
  );
  const result: Record<string, ProfileLine[]> = {};
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as CpuProfile;
    const { byModule, byFunction, total } = selfTimes(profile);
    result[`${label} by module`] = topLines(byModule, total, 20);
    result[`${label} by function`] = topLines(byFunction, total, 30);
  }
  return result;
}

interface SelfTimes {
  byModule: Map<string, number>;
  byFunction: Map<string, number>;
  total: number;
}

function selfTimes(profile: CpuProfile): SelfTimes {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const times: SelfTimes = { byModule: new Map(), byFunction: new Map(), total: 0 };
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    times.total += delta;
    const file = frame.url.replace(/^file:\/\//, '').replace(PROJECT_ROOT, '');
    const where =
      `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
    times.byFunction.set(where, (times.byFunction.get(where) ?? 0) + delta);
    const module = moduleOf(file, frame.functionName);
    times.byModule.set(module, (times.byModule.get(module) ?? 0) + delta);
  });
  return times;
}

function topLines(map: Map<string, number>, total: number, top: number): ProfileLine[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, micros]) => ({ selfPercent: (micros / total) * 100, selfMs: micros / 1000, where }));
}

function moduleOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1] as string;
  if (file.startsWith('node:')) return file.split('/')[0] as string;
  const own = /\/(?:dist\/)?(src\/[^/]+)/.exec(file);
  return own ? (own[1] as string) : file;
}
