/** Small timing helpers: percentiles over samples in milliseconds, and formatting. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function summarise(samples: number[]): Latency {
  samples.sort((a, b) => a - b);
  const n = samples.length;
  return { n, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples[n - 1]! };
}

/**
 * Run `fn` `warmup` times, then time `n` runs one by one: wall clock, and this process's CPU time (getrusage),
 * which leaves out the time other processes held the CPU — on a shared machine that is most of the tail.
 */
export function timeEach(
  fn: () => unknown,
  n: number,
  warmup = Math.min(1000, n),
): { wall: Latency; cpu: Latency } {
  for (let i = 0; i < warmup; i++) fn();
  const wall = new Array<number>(n);
  const cpu = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall[i] = performance.now() - t;
    const used = process.cpuUsage(c);
    cpu[i] = (used.user + used.system) / 1000;
  }
  return { wall: summarise(wall), cpu: summarise(cpu) };
}

export async function timeAsync(fn: () => Promise<unknown>, n: number): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return summarise(samples);
}

export const ms = (v: number): string =>
  v >= 100 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(1)} ms` : `${(v * 1000).toFixed(0)} µs`;
