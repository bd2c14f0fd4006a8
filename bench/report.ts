/** Renders docs/benchmarks.md from the results of one `npm run bench`. */
import type { ColdStartRun } from "./cold-start";
import type { GeneratedData } from "./generate";
import type { LighthouseRun } from "./lighthouse";
import type { LoadResult } from "./load";
import type { TransferPage } from "./transfer";
import {
  formatDuration,
  formatInt,
  formatMs,
  formatRatio,
  latencyRatio,
  percentile,
  throughputRatio,
  withinGoal,
} from "./stats";

export interface StatementCount {
  min: number;
  avg: number;
  max: number;
  /** pg_stat_statements delta per request (PostgreSQL; BEGIN/COMMIT included). */
  server: { min: number; avg: number; max: number } | null;
  requests: number;
}

export interface ExplainRow {
  scenario: string;
  query: string;
  executionMs: number;
  planningMs: number;
  topNode: string;
  rows: number;
  plan: string;
}

export interface ScenarioResult {
  key: string;
  title: string;
  what: string;
  app: LoadResult;
  baseline: LoadResult;
  /** BENCH_CANDIDATE_ROOT: another checkout measured on the same data. */
  candidate?: LoadResult;
  /** The framework floor (bench/floor.tsx): the baseline's work through Express + Remix + React; read scenarios only. */
  floor?: LoadResult;
}

export interface DbResults {
  kind: "postgres" | "pglite";
  version: string;
  scale: number;
  data: GeneratedData;
  statements: Record<string, { app: StatementCount; baseline: StatementCount; candidate?: StatementCount }>;
  explains: ExplainRow[];
  scenarios: ScenarioResult[];
  pgss: boolean;
  totalMs: number;
  /** Public pages on the wire, first visit with `Accept-Encoding: br, gzip` (bench/transfer.ts). */
  transfer?: TransferPage[];
  /** Lighthouse on the QR landing page (bench/lighthouse.ts); the first database only. */
  lighthouse?: LighthouseRun | { error: string };
}

export interface BenchResults {
  startedAt: string;
  argv: string[];
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    os: string;
    node: string;
    pglite: string;
    commit: string;
    loadAtStart: string;
    loadAtEnd: string;
  };
  /** passes: absent in results saved before it could be set (then 2). */
  settings: { concurrency: number; warmupMs: number; durationMs: number; passes?: number; countRequests: number };
  databases: DbResults[];
  coldStart: ColdStartRun[];
  totalMs: number;
  /** The BENCH_CANDIDATE_ROOT directory name (or null). */
  candidate?: string | null;
}

const label = (kind: DbResults["kind"]) => (kind === "postgres" ? "PostgreSQL" : "PGlite");

function shortVersion(version: string): string {
  const m = version.match(/PostgreSQL [\d.]+/);
  return m ? m[0] : version;
}

function count(c: { min: number; avg: number; max: number } | null | undefined): string {
  if (!c || !Number.isFinite(c.avg)) return "—";
  return c.min === c.max ? String(c.min) : `${c.min}–${c.max} (avg ${c.avg.toFixed(1)})`;
}

function kib(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${Math.round(bytes)} B`;
}

function msCell(v: number): string {
  return Number.isFinite(v) ? `${formatMs(v)} ms` : "—";
}

function median(values: (number | null)[]): number {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? percentile(v, 50) : Number.NaN;
}

function load(r: LoadResult): string {
  return typeof r.loadAvg === "number" && Number.isFinite(r.loadAvg) ? r.loadAvg.toFixed(1) : "—";
}

function scenarioTable(db: DbResults): string {
  const lines = [
    "| scenario | ours req/s | baseline req/s | throughput ratio | ours p50 / p95 / p99 (ms) | baseline p50 / p95 / p99 (ms) | p50 ratio | p99 ratio | response size ours / baseline | requests measured ours / baseline | load avg during (ours / baseline) | ≤ 1.5×? |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
  ];
  for (const s of db.scenarios) {
    const tr = throughputRatio(s.app.rps, s.baseline.rps);
    const p50 = latencyRatio(s.app.p50, s.baseline.p50);
    const p99 = latencyRatio(s.app.p99, s.baseline.p99);
    lines.push(
      `| ${s.title} | ${s.app.rps.toFixed(1)} | ${s.baseline.rps.toFixed(1)} | **${formatRatio(tr)}** | ${formatMs(s.app.p50)} / ${formatMs(s.app.p95)} / ${formatMs(
        s.app.p99,
      )} | ${formatMs(s.baseline.p50)} / ${formatMs(s.baseline.p95)} / ${formatMs(s.baseline.p99)} | ${formatRatio(p50)} | ${formatRatio(p99)} | ${kib(s.app.avgBytes)} / ${kib(
        s.baseline.avgBytes,
      )} | ${formatInt(s.app.count)} / ${formatInt(s.baseline.count)} | ${load(s.app)} / ${load(s.baseline)} | ${withinGoal(tr) ? "yes" : "**no**"} |`,
    );
  }
  const problems = db.scenarios.filter(
    (s) => s.app.unexpected || s.app.errors || s.baseline.unexpected || s.baseline.errors,
  );
  if (problems.length) {
    lines.push("");
    for (const s of problems) {
      lines.push(
        `- ${s.title}: ours ${s.app.unexpected} unexpected statuses / ${s.app.errors} errors, baseline ${s.baseline.unexpected} / ${s.baseline.errors} (samples: \`${JSON.stringify(
          [...s.app.samples, ...s.baseline.samples],
        )
          .slice(0, 300)
          .replace(/`/g, "'")}\`)`,
      );
    }
  }
  return lines.join("\n");
}

function floorTable(db: DbResults): string {
  const lines = [
    "| scenario | baseline req/s | floor req/s | floor vs baseline | ours req/s | ours vs floor | ours vs baseline | p50 baseline / floor / ours (ms) | size floor | ours vs floor ≤ 1.3×? |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
  ];
  for (const s of db.scenarios) {
    if (!s.floor) continue;
    lines.push(
      `| ${s.title} | ${s.baseline.rps.toFixed(1)} | ${s.floor.rps.toFixed(1)} | **${formatRatio(throughputRatio(s.floor.rps, s.baseline.rps))}** | ${s.app.rps.toFixed(
        1,
      )} | **${formatRatio(throughputRatio(s.app.rps, s.floor.rps))}** | ${formatRatio(throughputRatio(s.app.rps, s.baseline.rps))} | ${formatMs(s.baseline.p50)} / ${formatMs(
        s.floor.p50,
      )} / ${formatMs(s.app.p50)} | ${kib(s.floor.avgBytes)} | ${throughputRatio(s.app.rps, s.floor.rps) <= 1.3 ? "yes" : "**no**"} |`,
    );
  }
  return lines.join("\n");
}

function candidateTable(db: DbResults): string {
  const lines = [
    "| scenario | ours req/s | candidate req/s | candidate ÷ ours | ours vs baseline | candidate vs baseline | ours p50 / candidate p50 (ms) | statements ours / candidate |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of db.scenarios) {
    if (!s.candidate) continue;
    const c = db.statements[s.key];
    lines.push(
      `| ${s.title} | ${s.app.rps.toFixed(1)} | ${s.candidate.rps.toFixed(1)} | ${(s.candidate.rps / s.app.rps).toFixed(2)} | ${formatRatio(
        throughputRatio(s.app.rps, s.baseline.rps),
      )} | **${formatRatio(throughputRatio(s.candidate.rps, s.baseline.rps))}** | ${formatMs(s.app.p50)} / ${formatMs(s.candidate.p50)} | ${count(c?.app)} / ${count(c?.candidate)} |`,
    );
  }
  return lines.join("\n");
}

function statementTable(db: DbResults): string {
  const lines = [
    `| scenario | ours: statements/request (drizzle) | baseline: statements/request | ${db.pgss ? "ours: server-side incl. BEGIN/COMMIT (pg_stat_statements) | baseline: server-side |" : ""}`,
    `|---|---:|---:|${db.pgss ? "---:|---:|" : ""}`,
  ];
  for (const s of db.scenarios) {
    const c = db.statements[s.key];
    if (!c) continue;
    lines.push(
      `| ${s.title} | ${count(c.app)} | ${count(c.baseline)} | ${db.pgss ? `${count(c.app.server)} | ${count(c.baseline.server)} |` : ""}`,
    );
  }
  return lines.join("\n");
}

function explainSection(db: DbResults): string {
  const rows = db.explains.filter((e) => Number.isFinite(e.executionMs));
  if (!rows.length) return "_No EXPLAIN data._";
  const byScenario = new Map<string, ExplainRow[]>();
  for (const r of rows) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  const out = [
    "| scenario | statement (start) | execution ms | planning ms | top plan node | rows |",
    "|---|---|---:|---:|---|---:|",
  ];
  for (const [scenario, list] of byScenario) {
    for (const r of [...list].sort((a, b) => b.executionMs - a.executionMs).slice(0, 3)) {
      const q = r.query.replace(/\s+/g, " ").replace(/\|/g, "\\|").slice(0, 110);
      out.push(
        `| ${scenario} | \`${q}…\` | ${r.executionMs.toFixed(2)} | ${r.planningMs.toFixed(2)} | ${r.topNode} | ${r.rows} |`,
      );
    }
  }
  const slowest = [...rows].sort((a, b) => b.executionMs - a.executionMs)[0];
  out.push(
    "",
    `<details><summary>Plan of the slowest statement (${slowest.scenario}, ${slowest.executionMs.toFixed(2)} ms)</summary>`,
    "",
    "```sql",
    slowest.query.length > 3000 ? `${slowest.query.slice(0, 3000)}…` : slowest.query,
    "```",
    "",
    "```",
    slowest.plan.length > 6000 ? `${slowest.plan.slice(0, 6000)}\n…` : slowest.plan,
    "```",
    "",
    "</details>",
  );
  return out.join("\n");
}

const TRANSFER_BUDGET = 60_000;

function transferSection(db: DbResults): string {
  const pages = db.transfer ?? [];
  if (!pages.length) return "_Not measured._";
  const who = { app: "ours", floor: "floor", baseline: "baseline" } as const;
  const lines = [
    "| server | page | status | HTML (as sent) | CSS + JS (as sent) | scripts | **total on the wire** | decoded | ≤ 60 kB? |",
    "|---|---|---:|---:|---:|---:|---:|---:|:---:|",
  ];
  for (const p of pages) {
    const [html, ...assets] = p.items;
    const assetBytes = assets.reduce((a, i) => a + i.bytes, 0);
    lines.push(
      `| ${who[p.who]} | ${p.title} \`${p.path.replace(/\/follow\/[^?]+/, "/follow/<token>")}\` | ${p.status} | ${formatInt(html.bytes)} B (${html.encoding}) | ${formatInt(
        assetBytes,
      )} B (${assets.length} file${assets.length === 1 ? "" : "s"}${assets.length ? `: ${[...new Set(assets.map((a) => a.encoding))].join(", ")}` : ""}) | ${p.scripts} | **${formatInt(
        p.totalBytes,
      )} B** | ${formatInt(p.items.reduce((a, i) => a + i.decodedBytes, 0))} B | ${p.totalBytes <= TRANSFER_BUDGET ? "yes" : "**no**"} |`,
    );
  }
  const qr = (w: TransferPage["who"]) => pages.find((p) => p.who === w && p.path.startsWith("/m/"));
  const [ours, floor, base] = [qr("app"), qr("floor"), qr("baseline")];
  if (ours && floor && base) {
    lines.push(
      "",
      `QR landing page on the wire: ours **${formatInt(ours.totalBytes)} B**, floor ${formatInt(floor.totalBytes)} B (${(ours.totalBytes / floor.totalBytes).toFixed(2)}× ours ÷ floor), ` +
        `bare baseline ${formatInt(base.totalBytes)} B (${(ours.totalBytes / base.totalBytes).toFixed(2)}× ours ÷ baseline; the baseline's node:http handler does not compress, the floor goes through our Express app and its compression). ` +
        "The floor's document also names the app's root stylesheet and scripts (its React document has `<Scripts />`); ours names none (decision 032).",
    );
  }
  return lines.join("\n");
}

function lighthouseSection(run: DbResults["lighthouse"]): string {
  if (!run) return "_Not run (`--skip-lighthouse`)._";
  if ("error" in run) return `_Lighthouse failed: ${run.error}_`;
  const score = (v: number | null) => (v === null ? "—" : v.toFixed(2));
  const ms = (v: number | null) => (v === null ? "—" : `${formatInt(v)} ms`);
  const lines = [
    `Lighthouse ${run.lighthouse} (default config = mobile preset: emulated Moto G Power, simulated slow 4G, 4× CPU slowdown) in Debian's ${run.chromium}, on \`${run.url.replace(/^https?:\/\/[^/]+/, "")}\` of ours (${run.source ?? "first database of this run"}).`,
    "",
    "| performance | accessibility | best practices | LCP | FCP | total blocking time | CLS | bytes (Lighthouse's count) | goals: perf ≥ 0.98, a11y 1.0, LCP ≤ 1.5 s |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    `| **${score(run.performance)}** | **${score(run.accessibility)}** | ${score(run.bestPractices)} | **${ms(run.lcpMs)}** | ${ms(run.fcpMs)} | ${ms(run.tbtMs)} | ${
      run.cls === null ? "—" : run.cls.toFixed(3)
    } | ${run.transferBytes === null ? "—" : `${formatInt(run.transferBytes)} B`} | ${
      (run.performance ?? 0) >= 0.98 && run.accessibility === 1 && (run.lcpMs ?? Infinity) <= 1500
        ? "met"
        : "**not met**"
    } |`,
  ];
  if (run.failing.length) {
    lines.push("", "Audits below a full score:", "");
    for (const f of run.failing)
      lines.push(`- \`${f.id}\` ${f.title}: ${f.score}${f.display ? ` (${f.display})` : ""}`);
  }
  return lines.join("\n");
}

function dataTable(dbs: DbResults[]): string {
  const lines = [
    `| | ${dbs.map((d) => label(d.kind)).join(" | ")} |`,
    `|---|${dbs.map(() => "---:").join("|")}|`,
    `| scale | ${dbs.map((d) => d.scale).join(" | ")} |`,
    `| organizations | ${dbs.map((d) => d.data.organizations).join(" | ")} |`,
    `| big organization: machines / issues / members | ${dbs.map((d) => `${formatInt(d.data.big.machines)} / ${formatInt(d.data.big.issues)} / ${d.data.big.members}`).join(" | ")} |`,
    `| each small organization: machines / issues | ${dbs.map((d) => `${d.data.small.machines} / ${d.data.small.issues}`).join(" | ")} |`,
  ];
  const tables = Object.keys(dbs[0]?.data.rowCounts ?? {});
  for (const t of tables)
    lines.push(`| rows in \`${t}\` | ${dbs.map((d) => formatInt(d.data.rowCounts[t] ?? 0)).join(" | ")} |`);
  lines.push(
    `| rows inserted by the generator | ${dbs.map((d) => formatInt(d.data.rowsInserted)).join(" | ")} |`,
    `| **generation time** (incl. ANALYZE) | ${dbs.map((d) => `**${formatDuration(d.data.ms)}**`).join(" | ")} |`,
    `| generation rate | ${dbs.map((d) => `${formatInt(d.data.rowsInserted / (d.data.ms / 1000))} rows/s`).join(" | ")} |`,
  );
  return lines.join("\n");
}

function coldStartSection(runs: ColdStartRun[]): string {
  if (!runs.length) return "_Skipped (`--skip-cold-start`)._";
  const lines = [
    "| start | run | “listening” logged | first 200 of /healthz | first 200 of / | server's own “ready in” (database open, migrate, seed) | of which seeding | SIGTERM → exit |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${Math.round(v)} ms`);
  const n: Record<string, number> = {};
  for (const r of runs) {
    n[r.kind] = (n[r.kind] ?? 0) + 1;
    lines.push(
      `| ${r.kind === "fresh" ? "fresh directory (migrate + demo seed)" : "existing directory"} | ${n[r.kind]} | ${ms(r.listeningMs)} | ${
        r.healthzMs === null ? "did not answer" : ms(r.healthzMs)
      } | ${r.rootMs === null ? "did not answer" : ms(r.rootMs)} | ${ms(r.serverReadyMs)} | ${ms(r.seedMs)} | ${ms(r.shutdownMs)} |`,
    );
  }
  for (const kind of ["fresh", "existing"] as const) {
    const k = runs.filter((r) => r.kind === kind);
    if (!k.length) continue;
    const med = (pick: (r: ColdStartRun) => number | null | undefined) => msCell(median(k.map((r) => pick(r) ?? null)));
    lines.push(
      `| **median, ${kind}** | | ${med((r) => r.listeningMs)} | **${med((r) => r.healthzMs)}** | **${med((r) => r.rootMs)}** | ${med((r) => r.serverReadyMs)} | ${med(
        (r) => r.seedMs,
      )} | ${med((r) => r.shutdownMs)} |`,
    );
  }
  return lines.join("\n");
}

function summary(results: BenchResults): string {
  const out: string[] = [];
  for (const db of results.databases) {
    const worst = [...db.scenarios].sort(
      (a, b) => throughputRatio(b.app.rps, b.baseline.rps) - throughputRatio(a.app.rps, a.baseline.rps),
    )[0];
    const met = db.scenarios.filter((s) => withinGoal(throughputRatio(s.app.rps, s.baseline.rps))).length;
    out.push(
      `- **${label(db.kind)}** (scale ${db.scale}): ${met} of ${db.scenarios.length} scenarios within 1.5× of the baseline's throughput; ` +
        (worst
          ? `largest gap: ${worst.title} at ${formatRatio(throughputRatio(worst.app.rps, worst.baseline.rps))} (${worst.app.rps.toFixed(0)} vs ${worst.baseline.rps.toFixed(0)} req/s).`
          : ""),
    );
  }
  return out.join("\n");
}

const passesInWords = (n: number) => (n === 2 ? "twice" : `${n} times`);

export function writeReport(results: BenchResults, analysis: string): string {
  const m = results.machine;
  const dbs = results.databases;
  const pg = dbs.find((d) => d.kind === "postgres");
  const lite = dbs.find((d) => d.kind === "pglite");
  const passes = results.settings.passes ?? 2;
  const parts: string[] = [];
  parts.push(
    "# Benchmarks",
    "",
    `Generated by \`npm run bench${results.argv.length ? ` -- ${results.argv.join(" ")}` : ""}\` on ${results.startedAt.replace("T", " ").slice(0, 16)} UTC (commit \`${m.commit}\`). ` +
      `The whole run took **${formatDuration(results.totalMs)}**. Method: [docs/decisions/009-benchmarks.md](decisions/009-benchmarks.md). ` +
      "Every figure below is from this one run; rerun `npm run bench` to refresh the file (`npm run bench -- --scale 0.05 --duration 3` for a quick look).",
    "",
    "## Summary",
    "",
    summary(results),
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| CPU | ${m.cores} cores (${m.cpuModel}) |`,
    `| memory | ${m.memoryGiB.toFixed(1)} GiB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| PostgreSQL | ${pg ? `${shortVersion(pg.version)} (throwaway cluster from scripts/postgres-throwaway.ts: fsync=off, synchronous_commit=off, default shared_buffers)` : "not run"} |`,
    `| PGlite | @electric-sql/pglite ${m.pglite}${lite ? `, embedding ${shortVersion(lite.version)} (in-memory)` : ""} |`,
    `| load average (1, 5, 15 min) | at start ${m.loadAtStart}; at end ${m.loadAtEnd} |`,
    `| load settings | ${results.settings.concurrency} concurrent keep-alive connections; per scenario each server runs ${passesInWords(passes)} in alternately mirrored order (ours, baseline, baseline, ours${passes > 2 ? ", …" : ""}), each time ${results.settings.warmupMs / 1000} s warm-up (not measured) + ${results.settings.durationMs / passes / 1000} s measured, pooled: ${results.settings.durationMs / 1000} s measured per server${passes > 2 ? " (the writes: twice, each half of it)" : ""}; the reliability page (seconds per answer): 2 connections and 2 × 20 s measured per server |`,
    "",
    "The machine is shared: other engineers' test suites may have been running at the same time (see the load average). " +
      "Ours and the baseline run in mirrored order per scenario (ours, baseline, baseline, ours; pooled), so drift hits both alike; compare ratios rather than absolute numbers across runs. " +
      "The load-average column shows how busy the machine was during each scenario.",
    "",
    "## Data",
    "",
    dataTable(dbs),
    "",
  );
  const withTransfer = dbs.find((d) => d.transfer?.length);
  if (withTransfer) {
    parts.push(
      "## Public pages on a phone",
      "",
      `### Bytes on the wire (${label(withTransfer.kind)} run)`,
      "",
      "First visit as a browser makes it: each page with `Accept-Encoding: br, gzip`, plus every stylesheet, script and modulepreload its HTML names, counted as sent (compressed). " +
        "Goal (issue 17): ≤ 60 kB per page, HTML + CSS + JS. bench/transfer.ts; tests/integration/public-pages-budget.test.ts holds the same budget on the demo data.",
      "",
      transferSection(withTransfer),
      "",
      "### Lighthouse: QR landing page",
      "",
      lighthouseSection(dbs.find((d) => d.lighthouse)?.lighthouse),
      "",
    );
  }
  if (pg && lite && pg.scale !== lite.scale) {
    parts.push(
      `**Two scales:** PostgreSQL ran at scale ${pg.scale} (${formatInt(pg.data.big.issues)} issues in the big organization), PGlite at scale ${lite.scale} ` +
        `(${formatInt(lite.data.big.issues)} issues), because generating the full size in PGlite takes too long (see bench/ANALYSIS.md and the generation time above).`,
      "",
    );
  }
  for (const db of dbs) {
    parts.push(
      `## Throughput and latency: ${label(db.kind)} (scale ${db.scale})`,
      "",
      "Ratio = how many times worse than the bare baseline (> 1 = slower): throughput ratio = baseline req/s ÷ ours, latency ratio = ours ÷ baseline. Goal ≤ 1.5×.",
      "",
      scenarioTable(db),
      "",
      ...db.scenarios.map((s) => `- **${s.title}**: ${s.what}.`),
      "",
      ...(db.scenarios.some((s) => s.floor)
        ? [
            `### Framework floor: ${label(db.kind)}`,
            "",
            "The floor (bench/floor.tsx) is the baseline's own answer — same SQL through the same client, same HTML — served through our Express app, " +
              "the Remix handler, our entry.server and a minimal React document with the page in its loader data. It is the fastest any page can be on " +
              "this stack; where the floor itself misses 1.5×, the goal cannot be met by changing PinPoint's code. Read scenarios only.",
            "",
            floorTable(db),
            "",
          ]
        : []),
      ...(db.scenarios.some((s) => s.candidate)
        ? [
            `### Candidate build (${results.candidate ?? "BENCH_CANDIDATE_ROOT"}): ${label(db.kind)}`,
            "",
            `Another checkout of the app (BENCH_CANDIDATE_ROOT=…/${results.candidate ?? "?"}) measured on the same data in the same run, in A-B-B-A order with ours.`,
            "",
            candidateTable(db),
            "",
          ]
        : []),
      `### SQL statements per request: ${label(db.kind)}`,
      "",
      `Each scenario's first ${results.settings.countRequests} requests, one at a time. “drizzle” counts every statement the app sends through its query layer (a drizzle logger); ` +
        "BEGIN/COMMIT are not drizzle statements." +
        (db.pgss ? " The pg_stat_statements columns count on the server, BEGIN/COMMIT included." : ""),
      "",
      statementTable(db),
      "",
      `### Statements behind the pages: EXPLAIN ANALYZE (${label(db.kind)})`,
      "",
      "Every SELECT the app sent for the first requests of each scenario, re-run with `EXPLAIN (ANALYZE, BUFFERS)` on the idle database with the same parameters; the 3 slowest per scenario.",
      "",
      explainSection(db),
      "",
    );
  }
  parts.push(
    "## Cold start",
    "",
    "`node --import tsx server/index.ts` with NODE_ENV=production, SEED_DEMO=true and a fresh temporary PGLITE_DIR (migrations + demo seed), then again on the directory the previous start left. " +
      "Time from spawn to the first 200 answer; probes every 20 ms.",
    "",
    coldStartSection(results.coldStart),
    "",
  );
  if (analysis.trim()) parts.push(analysis.trim(), "");
  return `${parts.join("\n")}\n`;
}
