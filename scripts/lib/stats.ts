/** Latency samples per label, with percentiles. */
export class Latencies {
  private readonly samples = new Map<string, number[]>();
  private readonly statuses = new Map<string, Map<number, number>>();

  record = (label: string, ms: number, status: number): void => {
    let list = this.samples.get(label);
    if (!list) {
      list = [];
      this.samples.set(label, list);
    }
    list.push(ms);
    let counts = this.statuses.get(label);
    if (!counts) {
      counts = new Map();
      this.statuses.set(label, counts);
    }
    counts.set(status, (counts.get(status) ?? 0) + 1);
  };

  labels(): string[] {
    return [...this.samples.keys()];
  }

  summary(label?: string): LatencySummary {
    const values = label ? (this.samples.get(label) ?? []) : [...this.samples.values()].flat();
    return summarize(values);
  }

  statusCounts(label: string): Record<string, number> {
    return Object.fromEntries(this.statuses.get(label) ?? []);
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
  };
}

export const fmt = (value: number, digits = 1) => value.toFixed(digits);
