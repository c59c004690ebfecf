/**
 * Two ways to load a server. Closed loop: `concurrency` workers each run the operation again
 * as soon as it finishes (finds the peak). Open loop: operations start at a fixed rate whatever
 * the answers (what real users do; shows latency at a given load), with a cap on in-flight ones.
 */
export interface LoadResult {
  ops: number;
  errors: number;
  seconds: number;
  opsPerSecond: number;
  /** Whole-operation latencies, ms. */
  latencies: number[];
  firstError?: string;
}

export type Operation = (worker: number, iteration: number) => Promise<void>;

export async function closedLoop(options: {
  concurrency: number;
  durationMs: number;
  operation: Operation;
  /** Stop early after this many operations. */
  maxOps?: number;
}): Promise<LoadResult> {
  const deadline = performance.now() + options.durationMs;
  const latencies: number[] = [];
  let ops = 0;
  let errors = 0;
  let started = 0;
  let firstError: string | undefined;
  const begin = performance.now();
  const worker = async (index: number) => {
    let iteration = 0;
    while (performance.now() < deadline && (options.maxOps === undefined || started < options.maxOps)) {
      started += 1;
      const t = performance.now();
      try {
        await options.operation(index, iteration++);
        ops += 1;
        latencies.push(performance.now() - t);
      } catch (error) {
        errors += 1;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - begin) / 1000;
  return { ops, errors, seconds, opsPerSecond: ops / seconds, latencies, firstError };
}

export async function openLoop(options: {
  ratePerSecond: number;
  durationMs: number;
  maxInFlight: number;
  /** Worker slots; an operation gets a free slot index (so per-slot state can be reused). */
  operation: Operation;
}): Promise<LoadResult & { dropped: number }> {
  const latencies: number[] = [];
  const free: number[] = Array.from({ length: options.maxInFlight }, (_, index) => index);
  const iterations = new Array<number>(options.maxInFlight).fill(0);
  let ops = 0;
  let errors = 0;
  let dropped = 0;
  let firstError: string | undefined;
  const inFlight = new Set<Promise<void>>();
  const begin = performance.now();
  const interval = 1000 / options.ratePerSecond;
  let scheduled = 0;
  while (performance.now() - begin < options.durationMs) {
    const due = begin + scheduled * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    scheduled += 1;
    const slot = free.pop();
    if (slot === undefined) {
      dropped += 1;
      continue;
    }
    const t = performance.now();
    const iteration = iterations[slot] ?? 0;
    iterations[slot] = iteration + 1;
    const run = options
      .operation(slot, iteration)
      .then(
        () => {
          ops += 1;
          latencies.push(performance.now() - t);
        },
        (error: Error) => {
          errors += 1;
          firstError ??= error.message;
        },
      )
      .finally(() => {
        free.push(slot);
        inFlight.delete(run);
      });
    inFlight.add(run);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - begin) / 1000;
  return { ops, errors, dropped, seconds, opsPerSecond: ops / seconds, latencies, firstError };
}
