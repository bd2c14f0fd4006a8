/**
 * Pure statistics of the benchmark (unit-tested in tests/unit/bench-stats.test.ts).
 *
 * - Percentiles use the nearest-rank method on the sorted sample: p-th percentile = the smallest value such that at
 *   least p % of the sample is ≤ it (sorted[ceil(p/100 · n) − 1]). No interpolation, so every reported latency is
 *   one that a real request had.
 * - Ratios are "how many times worse than the baseline": > 1 means PinPoint is slower. For throughput that is
 *   baseline rps / our rps, for latency our ms / baseline ms. The goal is ≤ 1.5.
 */

/** Nearest-rank percentile of an ascending-sorted sample; NaN for an empty sample. `p` in [0, 100]. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  if (p === 0) return sorted[0];
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

/** Nearest-rank percentile of an unsorted sample (does not modify it). */
export function percentile(values: ArrayLike<number>, p: number): number {
  return percentileSorted(sortNumbers(values), p);
}

export function sortNumbers(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values as ArrayLike<number>);
  copy.sort();
  return copy;
}

export interface LatencySummary {
  count: number;
  /** Completed requests per second over the measured window. */
  rps: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Summary of the latencies (ms) of the requests completed during a measured window of `windowMs`. */
export function summarize(latenciesMs: ArrayLike<number>, windowMs: number): LatencySummary {
  const sorted = sortNumbers(latenciesMs);
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    count: n,
    rps: windowMs > 0 ? n / (windowMs / 1000) : Number.NaN,
    mean: n ? sum / n : Number.NaN,
    p50: percentileSorted(sorted, 50),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    max: n ? sorted[n - 1] : Number.NaN,
  };
}

/** Throughput slowdown: baseline rps ÷ our rps (2 = we serve half as many requests per second). */
export function throughputRatio(oursRps: number, baselineRps: number): number {
  if (!(oursRps > 0) || !(baselineRps > 0)) return Number.NaN;
  return baselineRps / oursRps;
}

/** Latency slowdown: our latency ÷ baseline latency (2 = our requests take twice as long). */
export function latencyRatio(oursMs: number, baselineMs: number): number {
  if (!(oursMs > 0) || !(baselineMs > 0)) return Number.NaN;
  return oursMs / baselineMs;
}

/** True when a slowdown ratio meets the goal (default 1.5×). NaN never does. */
export function withinGoal(ratio: number, goal = 1.5): boolean {
  return Number.isFinite(ratio) && ratio <= goal;
}

/** Rows per second and the remaining time of a progress bar; ETA is null until something was done. */
export function rateAndEta(
  done: number,
  total: number,
  elapsedMs: number,
): { rowsPerSecond: number; etaMs: number | null } {
  const rowsPerSecond = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  if (done <= 0 || rowsPerSecond <= 0) return { rowsPerSecond, etaMs: null };
  const remaining = Math.max(0, total - done);
  return { rowsPerSecond, etaMs: (remaining / rowsPerSecond) * 1000 };
}

/** "1.23×" / "—" for ratios. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "—";
}

/** Milliseconds with a precision that suits the magnitude. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toString();
}

/** "1 h 02 min", "3 min 05 s", "12.3 s", "850 ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  return `${m} min ${String(sec).padStart(2, "0")} s`;
}

/** 1234567 → "1,234,567". */
export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return "—";
  return Math.round(n).toLocaleString("en-US");
}
