/**
 * `npm run bench`: data generation, server throughput/latency against a bare baseline, SQL statements per request,
 * EXPLAIN of the statements behind each page, cold start. Writes docs/benchmarks.md (and bench/last-run.json).
 * Loaded by bench/run.ts after the environment is set (NODE_ENV=production before React is imported).
 *
 * Flags: --scale 1 (both databases) --pglite-scale <n> (PGlite only) --only postgres|pglite --concurrency 8
 *        --warmup 2 --duration 10 (seconds) --passes 2 (runs per server and scenario, even) --count-requests 20
 *        --cold-repeats 3 --skip-cold-start --skip-lighthouse
 *        --scenarios machine,qr,list,detail,insights,report,status --out docs/benchmarks.md
 *        --render (rewrite the report from the saved JSON and bench/ANALYSIS.md, no measuring)
 * Environment: BENCH_DEBUG_SQL=1 prints the statements of each page's first request; BENCH_CANDIDATE_ROOT=<dir> also
 *        measures another checkout of the app (with its own production build) on the same data, next to ours.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import type { AddressInfo } from "node:net";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/postgres-throwaway";
import type { createHttpApp as CreateHttpApp } from "../server/app";
import { precompressDirectory } from "../server/precompressed";
import { startBaselineServer, type BaselineServer } from "./baseline";
import { preparePrivateBuild, type PrivateBuild } from "./build";
import { floorBuild } from "./floor";
import { runLighthouse } from "./lighthouse";
import { measureTransfer } from "./transfer";
import { measureColdStart, type ColdStartRun } from "./cold-start";
import { openBenchPglite, openBenchPostgres, type BenchDatabase, type RawClient } from "./db";
import { BIG_SUBDOMAIN, generateData, plan, type GeneratedData } from "./generate";
import { mergeLoadResults, runLoad, sendOnce, type LoadResult, type RequestSpec } from "./load";
import {
  writeReport,
  type BenchResults,
  type DbResults,
  type ExplainRow,
  type ScenarioResult,
  type StatementCount,
} from "./report";
import { SCENARIOS, type ScenarioContext } from "./scenarios";
import { formatDuration } from "./stats";

/**
 * PGlite generates the full size in about 3 minutes on the 2-core reference machine (measured: 1.46 M rows in 2 min
 * 48 s, 1.8 GB RSS), well under the 10-minute budget, so it runs at full size too. Lower it here (or pass
 * --pglite-scale) on a slower machine; the report prints both scales.
 */
export const DEFAULT_PGLITE_SCALE = 1;

interface Args {
  scale: number;
  pgliteScale: number;
  only: "postgres" | "pglite" | null;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  countRequests: number;
  coldRepeats: number;
  /** Runs per server and read scenario (even: A-B-B-A, A-B-B-A-A-B-B-A, …); slow scenarios and writes run twice. */
  passes: number;
  skipColdStart: boolean;
  skipLighthouse: boolean;
  /** Only these scenarios (comma-separated keys), for development. */
  scenarios: string[] | null;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
    return n;
  };
  const scale = num("--scale", 1);
  const only = get("--only");
  if (only && only !== "postgres" && only !== "pglite") throw new Error("--only must be postgres or pglite");
  return {
    scale,
    pgliteScale: num("--pglite-scale", get("--scale") ? scale : DEFAULT_PGLITE_SCALE),
    only: (only as Args["only"]) ?? null,
    concurrency: Math.round(num("--concurrency", 8)),
    warmupMs: num("--warmup", 2) * 1000,
    durationMs: num("--duration", 10) * 1000,
    passes: Math.max(2, 2 * Math.round(num("--passes", 2) / 2)),
    countRequests: Math.round(num("--count-requests", 20)),
    coldRepeats: Math.round(num("--cold-repeats", 3)),
    skipColdStart: argv.includes("--skip-cold-start"),
    skipLighthouse: argv.includes("--skip-lighthouse"),
    scenarios:
      get("--scenarios")
        ?.split(",")
        .map((x) => x.trim()) ?? null,
    out: path.resolve(get("--out") ?? "docs/benchmarks.md"),
  };
}

/** Synchronous clean-ups for Ctrl-C / SIGTERM: the throwaway cluster and the private build copies. */
const onInterrupt = new Set<() => void>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    for (const fn of onInterrupt) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
    process.exit(130);
  });
}

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function loadAverage(): string {
  return os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(", ");
}

/** The servers a scenario's load runs against. */
type Who = "app" | "candidate" | "floor" | "baseline";

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** The app under test, and optionally a candidate (another checkout, e.g. with a proposed fix) measured alongside. */
export interface AppVariant {
  who: "app" | "candidate";
  root: string;
  createHttpApp: typeof CreateHttpApp;
  build: ServerBuild;
  privateBuild: PrivateBuild;
}

export async function loadVariant(who: AppVariant["who"], root: string): Promise<AppVariant> {
  const { createHttpApp } = (await import(pathToFileURL(path.join(root, "server", "app.ts")).href)) as {
    createHttpApp: typeof CreateHttpApp;
  };
  const privateBuild = preparePrivateBuild(root, log);
  // The client assets as `npm run build` leaves them for production: with brotli and gzip variants beside them.
  await precompressDirectory(path.join(privateBuild.root, "public", "build"));
  const build = (await import(pathToFileURL(privateBuild.buildPath).href)) as ServerBuild;
  return { who, root, createHttpApp, build, privateBuild };
}

export async function startApp(
  variant: AppVariant,
  database: BenchDatabase["app"],
  build: ServerBuild = variant.build,
): Promise<RunningServer> {
  const app = variant.createHttpApp({
    build,
    database,
    mode: "production",
    publicDir: path.join(variant.privateBuild.root, "public"),
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.keepAliveTimeout = 65_000;
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function login(port: number, data: GeneratedData): Promise<string> {
  const host = `${BIG_SUBDOMAIN}.localhost:${port}`;
  const res = await sendOnce(port, {
    method: "POST",
    path: "/login",
    headers: { host, origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: data.admin.email, password: data.admin.password, redirectTo: "/" }).toString(),
  });
  const setCookie = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
  const cookie = setCookie.map((c) => c.split(";")[0]).find((c) => /pinpoint_session=/.test(c));
  if (res.status !== 302 || !cookie) throw new Error(`login failed: ${res.status} ${res.text.slice(0, 300)}`);
  return cookie;
}

/** pg_stat_statements total calls (PostgreSQL only; null when the extension is unavailable). */
async function pgssCalls(raw: RawClient): Promise<number | null> {
  try {
    const [row] = await raw.query<{ n: string | number }>(
      `select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements where query not ilike '%pg_stat_statements%'`,
    );
    return Number(row.n);
  } catch {
    return null;
  }
}

async function pgssReset(raw: RawClient): Promise<boolean> {
  try {
    await raw.query("select pg_stat_statements_reset()");
    return true;
  } catch {
    return false;
  }
}

function minAvgMax(values: number[]) {
  if (!values.length) return { min: Number.NaN, avg: Number.NaN, max: Number.NaN };
  return { min: Math.min(...values), avg: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) };
}

/** Sends requests one at a time and counts the statements each one caused. */
async function countStatements(
  port: number,
  specs: RequestSpec[],
  expect: number[],
  counter: () => number,
  raw: RawClient | null,
  label: string,
): Promise<StatementCount> {
  const per: number[] = [];
  const perServer: number[] = [];
  for (const spec of specs) {
    const pgssBefore = raw ? await pgssCalls(raw) : null;
    const before = counter();
    const res = await sendOnce(port, spec);
    const after = counter();
    const pgssAfter = raw ? await pgssCalls(raw) : null;
    if (!expect.includes(res.status))
      throw new Error(`${label}: ${spec.method} ${spec.path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    if (process.env.BENCH_DEBUG_SQL && per.length === 0)
      log(`${label}: ${res.status} ${res.headers.location ?? ""} ${res.text.slice(0, 160).replace(/\s+/g, " ")}`);
    per.push(after - before);
    if (pgssBefore !== null && pgssAfter !== null) perServer.push(pgssAfter - pgssBefore);
  }
  return { ...minAvgMax(per), server: perServer.length ? minAvgMax(perServer) : null, requests: specs.length };
}

/**
 * Ours and the baseline must give the same answer. "csv": the CSV downloads are compared cell by cell, numbers up to
 * 0.1 (one rounding step: the two requests see "now" a few milliseconds apart), everything else exactly; the header
 * row and the byte order mark are skipped. "issue-ids": the bench issues a page links to, in order. Throws with the
 * first differences.
 */
async function checkAgreement(
  appPort: number,
  basePort: number,
  spec: RequestSpec,
  compare: "csv" | "issue-ids",
  label: string,
): Promise<number> {
  const answer = async (port: number) => {
    const host = spec.headers.host.replace(/:\d+$/, `:${port}`);
    const res = await sendOnce(port, { ...spec, headers: { ...spec.headers, host } });
    if (res.status !== 200) throw new Error(`${label}: ${spec.path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    if (compare === "issue-ids")
      return [[...res.text.matchAll(/href="\/issues\/(bi_[^"?#/]+)"/g)].map((m) => m[1]).join(" ")];
    return res.text
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .slice(1);
  };
  const [ours, base] = [await answer(appPort), await answer(basePort)];
  const differences: string[] = [];
  for (let i = 0; i < Math.max(ours.length, base.length); i++) {
    const a = (ours[i] ?? "").split(",");
    const b = (base[i] ?? "").split(",");
    const same =
      a.length === b.length &&
      a.every((x, k) => x === b[k] || (x !== "" && b[k] !== "" && Math.abs(Number(x) - Number(b[k])) <= 0.1 + 1e-9));
    if (!same) differences.push(`  ours:     ${ours[i] ?? "(none)"}\n  baseline: ${base[i] ?? "(none)"}`);
  }
  if (differences.length)
    throw new Error(
      `${label}: ours and the baseline disagree on ${spec.path} (${differences.length} of ${ours.length} lines):\n${differences.slice(0, 8).join("\n")}`,
    );
  // what was compared: CSV lines, or issues linked
  return compare === "csv" ? ours.length : ours[0] ? ours[0].split(" ").length : 0;
}

async function explainStatements(
  raw: RawClient,
  scenario: string,
  recorded: { query: string; params: unknown[] }[],
): Promise<ExplainRow[]> {
  const seen = new Set<string>();
  const rows: ExplainRow[] = [];
  for (const { query, params } of recorded) {
    const text = query.trim();
    // Reads only (EXPLAIN ANALYZE runs the statement): SELECTs, and WITH queries that change nothing (/insights).
    const read = /^select\b/i.test(text) || (/^with\b/i.test(text) && !/\b(insert|update|delete)\b/i.test(text));
    if (!read || /\bfor update\b/i.test(text) || seen.has(text)) continue;
    seen.add(text);
    try {
      const result = await raw.query<Record<string, unknown>>(
        `explain (analyze, buffers, format json) ${text}`,
        params,
      );
      let plan = Object.values(result[0] ?? {})[0] as unknown;
      if (typeof plan === "string") plan = JSON.parse(plan);
      const top = (
        plan as {
          Plan: { "Node Type": string; "Actual Rows": number };
          "Execution Time": number;
          "Planning Time": number;
        }[]
      )[0];
      const textPlan = await raw.query<Record<string, unknown>>(`explain (analyze, buffers) ${text}`, params);
      rows.push({
        scenario,
        query: text,
        executionMs: top["Execution Time"],
        planningMs: top["Planning Time"],
        topNode: top.Plan["Node Type"],
        rows: top.Plan["Actual Rows"],
        plan: textPlan.map((r) => String(Object.values(r)[0])).join("\n"),
      });
    } catch (error) {
      rows.push({
        scenario,
        query: text,
        executionMs: Number.NaN,
        planningMs: Number.NaN,
        topNode: `EXPLAIN failed: ${(error as Error).message}`,
        rows: 0,
        plan: "",
      });
    }
  }
  return rows;
}

async function benchDatabase(
  kind: "postgres" | "pglite",
  args: Args,
  variants: AppVariant[],
  secrets: string[],
  withLighthouse: boolean,
): Promise<DbResults> {
  const scale = kind === "postgres" ? args.scale : args.pgliteScale;
  const startedAt = performance.now();
  let pg: ThrowawayPostgres | null = null;
  let stopCluster: (() => void) | undefined;
  let db: BenchDatabase | null = null;
  const servers: (RunningServer | BaselineServer)[] = [];
  try {
    if (kind === "postgres") {
      log("starting a throwaway PostgreSQL cluster (scripts/postgres-throwaway.ts)");
      pg = await startThrowawayPostgres({ database: "pinpoint_bench" });
      const cluster = pg;
      stopCluster = () => cluster.stop();
      onInterrupt.add(stopCluster);
      let pgss = false;
      try {
        // pg_stat_statements needs a restart to load; it gives a server-side statement count (BEGIN/COMMIT included).
        const { default: postgres } = await import("postgres");
        const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
        await admin.unsafe("alter system set shared_preload_libraries = 'pg_stat_statements'");
        await admin.end({ timeout: 5 });
        pg.restart();
        const again = postgres(pg.url, { max: 1, onnotice: () => {} });
        await again.unsafe("create extension if not exists pg_stat_statements");
        await again.end({ timeout: 5 });
        pgss = true;
      } catch (error) {
        log(
          `pg_stat_statements unavailable (${(error as Error).message.split("\n")[0]}); counting statements in the client only`,
        );
      }
      db = await openBenchPostgres(pg.url);
      if (pgss) await db.raw.query("select pg_stat_statements_reset()").catch(() => {});
    } else {
      db = await openBenchPglite();
    }
    log(`${kind}: ${db.version}`);
    log(`${kind}: generating data at scale ${scale} (${JSON.stringify(plan(scale))})`);
    const data = await generateData(db.app.db, { scale, log });

    const running: { variant: AppVariant; app: RunningServer; counting: RunningServer }[] = [];
    for (const variant of variants) {
      const app = await startApp(variant, db.app);
      servers.push(app);
      const counting = await startApp(variant, db.counting);
      servers.push(counting);
      running.push({ variant, app, counting });
    }
    const baseline = await startBaselineServer({ raw: db.raw, secrets });
    servers.push(baseline);
    // The framework floor (bench/floor.tsx): the baseline's work served through our Express app, Remix and React.
    const floor = await startApp(running[0].variant, db.app, floorBuild(running[0].variant.build, db.raw, secrets));
    servers.push(floor);
    const cookie = await login(running[0].app.port, data);

    // Statement counts and EXPLAIN ------------------------------------------------------------------------------
    const statements: Record<string, { app: StatementCount; baseline: StatementCount; candidate?: StatementCount }> =
      {};
    const explains: ExplainRow[] = [];
    const hasPgss = kind === "postgres" && (await pgssReset(db.raw));
    const selected = SCENARIOS.filter((s) => !args.scenarios || args.scenarios.includes(s.key));
    for (const scenario of selected) {
      // Writes: every server gets its own slice at the end of the request list (the load runs start at the front), so
      // no request repeats a status change another server already made (that would be a cheap no-op).
      const specsFor = (port: number, slot: number) => {
        const all = scenario.requests({ port, data, cookie });
        const start = scenario.writes ? Math.max(0, all.length - (slot + 1) * args.countRequests) : 0;
        return all.slice(start, start + args.countRequests);
      };
      const counts: Partial<Record<"app" | "candidate", StatementCount>> = {};
      for (const [slot, r] of running.entries()) {
        db.counter.recording = r.variant.who === "app" ? [] : null;
        counts[r.variant.who] = await countStatements(
          r.counting.port,
          specsFor(r.counting.port, slot === 0 ? 0 : 2),
          scenario.expectStatus,
          () => db!.counter.count,
          hasPgss ? db.raw : null,
          `${kind} ${r.variant.who} ${scenario.key}`,
        );
        const recorded = db.counter.recording ?? [];
        db.counter.recording = null;
        if (r.variant.who !== "app") continue;
        if (process.env.BENCH_DEBUG_SQL) {
          const n = Math.round(counts.app!.max);
          log(
            `${scenario.key}: statements of the first request:\n${recorded
              .slice(0, n)
              .map((q) => `  ${q.query.replace(/\s+/g, " ").slice(0, 220)}`)
              .join("\n")}`,
          );
        }
        explains.push(...(await explainStatements(db.raw, scenario.key, recorded.slice(0, 60))));
      }
      const baseCount = await countStatements(
        baseline.port,
        specsFor(baseline.port, 1),
        scenario.expectStatus,
        () => baseline.statements(),
        hasPgss ? db.raw : null,
        `${kind} baseline ${scenario.key}`,
      );
      if (scenario.agreement) {
        const { compare } = scenario.agreement;
        const specs = scenario.agreement.requests({ port: running[0].app.port, data, cookie });
        let items = 0;
        for (const spec of specs)
          items += await checkAgreement(running[0].app.port, baseline.port, spec, compare, `${kind} ${scenario.key}`);
        log(
          `${kind} ${scenario.key}: ours and the baseline agree on ${specs.length} answers (${items} ${compare === "csv" ? "CSV lines" : "issues listed"})`,
        );
      }
      statements[scenario.key] = {
        app: counts.app!,
        baseline: baseCount,
        ...(counts.candidate ? { candidate: counts.candidate } : {}),
      };
      log(
        `${kind} ${scenario.key}: ${counts.app!.avg.toFixed(1)} statements/request (baseline ${baseCount.avg.toFixed(1)}${
          counts.candidate ? `, candidate ${counts.candidate.avg.toFixed(1)}` : ""
        })`,
      );
    }

    // Load ------------------------------------------------------------------------------------------------------
    const scenarios: ScenarioResult[] = [];
    for (const scenario of selected) {
      // A-B-B-A: each server runs `--passes` times per scenario (an equal share of the measured time each, pooled),
      // every second pass in mirrored order, so drift of the shared machine's load hits ours and the baseline (and a
      // candidate) alike; more, shorter passes also even out its swings of a few seconds.
      const first: [Who, number][] = [
        ...running.map((r) => [r.variant.who, r.app.port] as [Who, number]),
        ...(scenario.writes ? [] : [["floor", floor.port] as [Who, number]]),
        ["baseline", baseline.port],
      ];
      // Writes keep two passes: each run takes its own slice of the request list, and a slice a quarter as long would
      // be used up by a fast run, leaving the next run changes already made (cheap no-ops).
      const passes = scenario.slow || scenario.writes ? 2 : args.passes;
      const order = Array.from({ length: passes }, (_, pass) => (pass % 2 ? [...first].reverse() : first)).flat();
      const durationMs = scenario.slow ? scenario.slow.measuredMsPerRun : args.durationMs / passes;
      const concurrency = scenario.slow ? scenario.slow.concurrency : args.concurrency;
      const runs: Record<string, LoadResult[]> = {};
      for (const [slot, [who, port]] of order.entries()) {
        const ctx: ScenarioContext = { port, data, cookie };
        log(
          `${kind} ${scenario.key} → ${who}: ${concurrency} connections, ${args.warmupMs / 1000} s warm-up + ${durationMs / 1000} s (load ${loadAverage()})`,
        );
        // Writes: each run starts at its own offset of the request list, so no run repeats the (issue, status) pairs of
        // another (the status list visits every issue with a different status per round).
        const all = scenario.requests(ctx);
        const offset = scenario.writes ? Math.floor((slot * all.length) / order.length) : 0;
        const requests = offset ? [...all.slice(offset), ...all.slice(0, offset)] : all;
        const result = await runLoad({
          port,
          requests,
          expectStatus: scenario.expectStatus,
          concurrency,
          warmupMs: args.warmupMs,
          durationMs,
        });
        if (result.unexpected || result.errors) {
          log(
            `  ${result.unexpected} unexpected statuses, ${result.errors} errors; samples: ${JSON.stringify(result.samples).slice(0, 800)}`,
          );
        }
        log(
          `  ${result.rps.toFixed(1)} req/s, p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${Math.round(result.avgBytes)} B`,
        );
        (runs[who] ??= []).push(result);
        await new Promise((r) => setTimeout(r, 500));
      }
      const results: Partial<Record<Who, LoadResult>> = {};
      for (const [who, list] of Object.entries(runs)) {
        const merged = list.length > 1 ? mergeLoadResults(list) : list[0];
        delete merged.latencies;
        results[who as Who] = merged;
      }
      scenarios.push({
        key: scenario.key,
        title: scenario.title,
        what: scenario.what,
        app: results.app!,
        baseline: results.baseline!,
        ...(results.candidate ? { candidate: results.candidate } : {}),
        ...(results.floor ? { floor: results.floor } : {}),
      });
    }

    // Bytes on the wire of the public pages (first visit, br/gzip accepted), and Lighthouse on the QR landing page
    // once per bench (on the first database), after the load so it runs on a quieter machine.
    log(`${kind}: transfer sizes of the public pages (Accept-Encoding: br, gzip)`);
    const transfer = await measureTransfer({
      data,
      app: running[0].app.port,
      floor: floor.port,
      baseline: baseline.port,
    });
    let lighthouse: DbResults["lighthouse"];
    if (!args.skipLighthouse && withLighthouse) {
      const url = `http://${BIG_SUBDOMAIN}.localhost:${running[0].app.port}${transfer[0].path}`;
      try {
        lighthouse = await runLighthouse(url, log);
        log(
          `lighthouse: performance ${lighthouse.performance}, accessibility ${lighthouse.accessibility}, LCP ${Math.round(lighthouse.lcpMs ?? NaN)} ms`,
        );
      } catch (error) {
        log(`lighthouse failed: ${(error as Error).message}`);
        lighthouse = { error: (error as Error).message };
      }
    }

    return {
      kind,
      version: db.version,
      transfer,
      ...(lighthouse ? { lighthouse } : {}),
      scale,
      data,
      statements,
      explains,
      scenarios,
      pgss: hasPgss,
      totalMs: performance.now() - startedAt,
    };
  } finally {
    for (const s of servers.reverse()) await s.close().catch(() => {});
    await db?.close().catch(() => {});
    if (stopCluster) onInterrupt.delete(stopCluster);
    pg?.stop();
  }
}

function pgliteVersion(root: string): string {
  try {
    return JSON.parse(
      fs.readFileSync(path.join(root, "node_modules", "@electric-sql", "pglite", "package.json"), "utf8"),
    ).version;
  } catch {
    return "unknown";
  }
}

function gitCommit(root: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

/** JSON results are kept next to the report: bench/last-run.json for docs/benchmarks.md, <out>.json otherwise. */
function jsonPathFor(out: string, root: string): string {
  return out === path.resolve(root, "docs/benchmarks.md")
    ? path.join(root, "bench", "last-run.json")
    : out.replace(/\.md$/, "") + ".json";
}

function render(results: BenchResults, out: string, root: string): void {
  const analysisPath = path.join(root, "bench", "ANALYSIS.md");
  const analysis = fs.existsSync(analysisPath) ? fs.readFileSync(analysisPath, "utf8") : "";
  fs.writeFileSync(out, writeReport(results, analysis));
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  installGlobals({ nativeFetch: true });
  const args = parseArgs(argv);
  const root = process.cwd();
  // --render: rewrite the report from saved results (e.g. after editing bench/ANALYSIS.md), without measuring.
  if (argv.includes("--render")) {
    const json = jsonPathFor(args.out, root);
    render(JSON.parse(fs.readFileSync(json, "utf8")) as BenchResults, args.out, root);
    log(`rendered ${path.relative(root, args.out)} from ${path.relative(root, json)}`);
    return;
  }
  const started = performance.now();
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  log(`npm run bench ${argv.join(" ")} (load average ${loadAtStart}, ${os.cpus().length} cores)`);
  const variants = [await loadVariant("app", root)];
  onInterrupt.add(() => variants.forEach((v) => v.privateBuild.remove()));
  // Another checkout of the app (e.g. the previous commit, with its own production build) measured on the same data,
  // next to ours, for A/B comparisons of a change: BENCH_CANDIDATE_ROOT=<dir>.
  if (process.env.BENCH_CANDIDATE_ROOT) {
    const candidateRoot = path.resolve(process.env.BENCH_CANDIDATE_ROOT);
    log(`candidate app from ${candidateRoot}`);
    variants.push(await loadVariant("candidate", candidateRoot));
  }
  const secrets = (process.env.SESSION_SECRET ?? "").split(",").filter(Boolean);

  try {
    const databases: DbResults[] = [];
    if (args.only !== "pglite") databases.push(await benchDatabase("postgres", args, variants, secrets, true));
    if (args.only !== "postgres")
      databases.push(await benchDatabase("pglite", args, variants, secrets, databases.length === 0));

    let coldStart: ColdStartRun[] = [];
    if (!args.skipColdStart) {
      log(`cold start: ${args.coldRepeats}× fresh directory, ${args.coldRepeats}× existing directory`);
      coldStart = await measureColdStart({
        repoRoot: root,
        serverRoot: variants[0].privateBuild.root,
        repeats: args.coldRepeats,
        log,
      });
    }

    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      argv,
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        memoryGiB: os.totalmem() / 1024 ** 3,
        os: `${os.type()} ${os.release()} (${os.arch()})`,
        node: process.version,
        pglite: pgliteVersion(root),
        commit: gitCommit(root),
        loadAtStart,
        loadAtEnd: loadAverage(),
      },
      settings: {
        concurrency: args.concurrency,
        warmupMs: args.warmupMs,
        durationMs: args.durationMs,
        passes: args.passes,
        countRequests: args.countRequests,
      },
      databases,
      coldStart,
      totalMs: performance.now() - started,
      candidate: process.env.BENCH_CANDIDATE_ROOT
        ? path.basename(path.resolve(process.env.BENCH_CANDIDATE_ROOT))
        : null,
    };
    const json = jsonPathFor(args.out, root);
    // Only the plan the report prints (the slowest statement per database) is kept, to keep the file small.
    for (const d of results.databases) {
      const slowest = d.explains
        .filter((e) => Number.isFinite(e.executionMs))
        .sort((a, b) => b.executionMs - a.executionMs)[0];
      for (const e of d.explains) if (e !== slowest) e.plan = "";
    }
    fs.writeFileSync(
      json,
      JSON.stringify(
        results,
        (k, v) => (k === "plan" && typeof v === "string" && v.length > 6000 ? `${v.slice(0, 6000)}…` : v),
        2,
      ),
    );
    render(results, args.out, root);
    log(
      `wrote ${path.relative(root, args.out)} and ${path.relative(root, json)}; the whole bench took ${formatDuration(results.totalMs)}`,
    );
  } finally {
    for (const v of variants) v.privateBuild.remove();
  }
}
