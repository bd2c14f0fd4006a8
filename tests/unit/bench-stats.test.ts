import { describe, expect, it } from "vitest";
import {
  formatDuration,
  formatRatio,
  latencyRatio,
  percentile,
  percentileSorted,
  rateAndEta,
  summarize,
  throughputRatio,
  withinGoal,
} from "../../bench/stats";

describe("bench statistics: nearest-rank percentiles", () => {
  it("returns real sample values (no interpolation)", () => {
    const sample = [15, 20, 35, 40, 50];
    expect(percentile(sample, 5)).toBe(15);
    expect(percentile(sample, 30)).toBe(20);
    expect(percentile(sample, 40)).toBe(20);
    expect(percentile(sample, 50)).toBe(35);
    expect(percentile(sample, 100)).toBe(50);
    expect(percentile(sample, 0)).toBe(15);
  });

  it("sorts numerically, not as strings, and leaves the input alone", () => {
    const sample = [100, 9, 25, 1000, 3];
    expect(percentile(sample, 50)).toBe(25);
    expect(percentile(sample, 99)).toBe(1000);
    expect(sample).toEqual([100, 9, 25, 1000, 3]);
  });

  it("p50/p95/p99 of 1..100 and 1..1000", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    const thousand = Array.from({ length: 1000 }, (_, i) => 1000 - i); // reversed on purpose
    expect(percentile(thousand, 50)).toBe(500);
    expect(percentile(thousand, 95)).toBe(950);
    expect(percentile(thousand, 99)).toBe(990);
  });

  it("a single value is every percentile; an empty sample is NaN; p outside [0,100] throws", () => {
    expect(percentileSorted([7], 1)).toBe(7);
    expect(percentileSorted([7], 99)).toBe(7);
    expect(percentileSorted([], 50)).toBeNaN();
    expect(() => percentileSorted([1, 2], 101)).toThrow(RangeError);
    expect(() => percentileSorted([1, 2], -1)).toThrow(RangeError);
  });
});

describe("bench statistics: summary", () => {
  it("requests per second over the measured window, mean, max", () => {
    const latencies = Array.from({ length: 200 }, (_, i) => (i % 10) + 1); // 1..10, 20 each
    const s = summarize(latencies, 10_000);
    expect(s.count).toBe(200);
    expect(s.rps).toBe(20);
    expect(s.mean).toBeCloseTo(5.5, 10);
    expect(s.p50).toBe(5);
    expect(s.p95).toBe(10);
    expect(s.p99).toBe(10);
    expect(s.max).toBe(10);
  });

  it("empty windows give zero rps and NaN latencies", () => {
    const s = summarize([], 10_000);
    expect(s.rps).toBe(0);
    expect(s.p50).toBeNaN();
  });
});

describe("bench statistics: ratios to the baseline", () => {
  it("throughput ratio = baseline / ours; latency ratio = ours / baseline (> 1 means slower)", () => {
    expect(throughputRatio(500, 1000)).toBe(2);
    expect(throughputRatio(1000, 500)).toBe(0.5);
    expect(latencyRatio(30, 20)).toBe(1.5);
    expect(latencyRatio(10, 20)).toBe(0.5);
  });

  it("zero or missing figures give NaN, which never meets the goal", () => {
    expect(throughputRatio(0, 100)).toBeNaN();
    expect(latencyRatio(10, Number.NaN)).toBeNaN();
    expect(withinGoal(Number.NaN)).toBe(false);
  });

  it("the 1.5× goal is inclusive", () => {
    expect(withinGoal(1.5)).toBe(true);
    expect(withinGoal(1.51)).toBe(false);
    expect(withinGoal(0.8)).toBe(true);
    expect(withinGoal(2.9, 3)).toBe(true);
  });

  it("formats ratios and durations", () => {
    expect(formatRatio(1.234)).toBe("1.23×");
    expect(formatRatio(Number.NaN)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(3_725_000)).toBe("1 h 02 min");
  });
});

describe("bench statistics: progress rate and ETA", () => {
  it("rows per second and remaining time", () => {
    const r = rateAndEta(2500, 10_000, 5000);
    expect(r.rowsPerSecond).toBe(500);
    expect(r.etaMs).toBe(15_000);
  });

  it("no ETA before the first row, zero ETA when done", () => {
    expect(rateAndEta(0, 100, 1000).etaMs).toBeNull();
    expect(rateAndEta(100, 100, 1000).etaMs).toBe(0);
  });
});

describe("bench statistics: pooling mirrored runs (A-B-B-A)", () => {
  it("throughput over the summed windows and exact percentiles of the pooled sample", async () => {
    const { mergeLoadResults } = await import("../../bench/load");
    const run = (latencies: number[], windowMs: number, loadAvg: number) => ({
      ...summarize(latencies, windowMs),
      statusCounts: { "200": latencies.length },
      avgBytes: 100,
      errors: 0,
      unexpected: 0,
      samples: [],
      sent: latencies.length,
      windowMs,
      loadAvg,
      latencies,
    });
    const merged = mergeLoadResults([run([1, 2, 3, 4], 1000, 1), run([5, 6, 7, 8, 9, 10], 3000, 3)]);
    expect(merged.count).toBe(10);
    expect(merged.rps).toBe(2.5); // 10 requests in 4 s — not the mean of 4 and 2 req/s
    expect(merged.p50).toBe(5);
    expect(merged.p99).toBe(10);
    expect(merged.statusCounts).toEqual({ "200": 10 });
    expect(merged.loadAvg).toBe(2);
  });
});
