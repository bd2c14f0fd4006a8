/** Runs the load generator (bench/load-worker.mjs) in a worker thread and summarizes what it measured. */
import http from "node:http";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { summarize, type LatencySummary } from "./stats";

export interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  port: number;
  requests: RequestSpec[];
  expectStatus: number[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Hard cap on requests sent (warm-up included). */
  maxRequests?: number;
  timeoutMs?: number;
}

export interface LoadResult extends LatencySummary {
  statusCounts: Record<string, number>;
  /** Average response size (bytes) in the measured window. */
  avgBytes: number;
  errors: number;
  unexpected: number;
  samples: { status: number; path: string; body: string }[];
  sent: number;
  /** Length of the measured window(s), ms. */
  windowMs: number;
  /** 1-minute load average of the machine at the end of the run (mean over pooled runs). */
  loadAvg: number;
  /** The raw latencies (ms); not kept in the JSON results. */
  latencies?: number[];
}

/** Pools several runs of the same server (e.g. A-B-B-A order): throughput over the summed windows, exact percentiles. */
export function mergeLoadResults(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies ?? []);
  const windowMs = runs.reduce((a, r) => a + r.windowMs, 0);
  const summary = summarize(latencies, windowMs);
  const statusCounts: Record<string, number> = {};
  for (const r of runs)
    for (const [k, v] of Object.entries(r.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + v;
  const bytes = runs.reduce((a, r) => a + r.avgBytes * r.count, 0);
  return {
    ...summary,
    statusCounts,
    avgBytes: summary.count ? bytes / summary.count : 0,
    errors: runs.reduce((a, r) => a + r.errors, 0),
    unexpected: runs.reduce((a, r) => a + r.unexpected, 0),
    samples: runs.flatMap((r) => r.samples).slice(0, 3),
    sent: runs.reduce((a, r) => a + r.sent, 0),
    windowMs,
    loadAvg: runs.reduce((a, r) => a + r.loadAvg, 0) / Math.max(1, runs.length),
    latencies,
  };
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), {
    workerData: {
      port: opts.port,
      concurrency: opts.concurrency,
      warmupMs: opts.warmupMs,
      durationMs: opts.durationMs,
      requests: opts.requests,
      expectStatus: opts.expectStatus,
      maxRequests: opts.maxRequests ?? 500_000,
      timeoutMs: opts.timeoutMs ?? 30_000,
    },
    // The worker is plain JavaScript: no TypeScript loader needed.
    execArgv: [],
  });
  const message = await new Promise<{
    latencies: number[];
    windowMs: number;
    statusCounts: Record<string, number>;
    measuredBytes: number;
    errors: number;
    unexpected: number;
    samples: { status: number; path: string; body: string }[];
    sent: number;
  }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
  await worker.terminate();
  const summary = summarize(message.latencies, message.windowMs);
  return {
    ...summary,
    statusCounts: message.statusCounts,
    avgBytes: summary.count ? message.measuredBytes / summary.count : 0,
    errors: message.errors,
    unexpected: message.unexpected,
    samples: message.samples,
    sent: message.sent,
    windowMs: message.windowMs,
    loadAvg: os.loadavg()[0],
    latencies: message.latencies,
  };
}

/** One request at a time (statement counts, login, smoke checks). node:http, so a Host header can be set. */
export function sendOnce(
  port: number,
  spec: RequestSpec,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const body = spec.body == null ? null : Buffer.from(spec.body, "utf8");
    const headers: Record<string, string> = { ...spec.headers };
    if (body) headers["content-length"] = String(body.length);
    const req = http.request(
      { host: "127.0.0.1", port, method: spec.method, path: spec.path, headers, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}
