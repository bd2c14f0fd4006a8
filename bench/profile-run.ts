/**
 * The body of `npm run bench:profile` (bench/profile.ts sets the environment first). Same data, servers and requests as
 * `npm run bench` (bench/main.ts), PostgreSQL only.
 */
import fs from "node:fs";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { installGlobals } from "@remix-run/node";
import { startThrowawayPostgres } from "../scripts/postgres-throwaway";
import { startBaselineServer } from "./baseline";
import { openBenchPostgres } from "./db";
import { floorBuild } from "./floor";
import { generateData } from "./generate";
import { runLoad, sendOnce } from "./load";
import { loadVariant, login, startApp } from "./main";
import { SCENARIOS, type ScenarioKey } from "./scenarios";

const log = (message: string) => console.error(`[profile ${new Date().toISOString().slice(11, 19)}] ${message}`);

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** CPU time (user + system, ms) of this process's main thread so far: /proc/self/task/<pid>/stat, in clock ticks. */
function mainThreadCpuMs(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces, hence the last ")"): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}
/** USER_HZ: 100 on every Linux we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The heaviest functions by self time: name, file (shortened) and share of the profile's samples. */
function heaviest(profile: { nodes: CpuProfileNode[] }, count: number): string[] {
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(build|app|server|db|core)\//, "$1/");
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)} %  ${key}`);
}

type Who = "ours" | "floor" | "baseline" | "candidate";

export async function runProfile(argv: string[]): Promise<void> {
  installGlobals({ nativeFetch: true });
  const scale = Number(flag(argv, "--scale") ?? 0.05);
  const rounds = Number(flag(argv, "--rounds") ?? 4);
  const seconds = Number(flag(argv, "--seconds") ?? 2);
  const concurrency = Number(flag(argv, "--concurrency") ?? 8);
  const keys = (flag(argv, "--scenarios") ?? "machine,qr,detail").split(",") as ScenarioKey[];
  const profileDir = flag(argv, "--cpu-prof");
  const scenarios = SCENARIOS.filter((s) => keys.includes(s.key) && !s.writes);

  const variant = await loadVariant("app", process.cwd());
  // Another checkout measured alongside, for A/B comparisons of a change (as in `npm run bench`).
  const candidateRoot = process.env.BENCH_CANDIDATE_ROOT;
  const candidate = candidateRoot ? await loadVariant("candidate", path.resolve(candidateRoot)) : null;
  const pg = await startThrowawayPostgres({ database: "pinpoint_profile" });
  try {
    const db = await openBenchPostgres(pg.url);
    log(`generating data at scale ${scale}`);
    const data = await generateData(db.app.db, { scale, log });
    const secrets = (process.env.SESSION_SECRET ?? "").split(",").filter(Boolean);
    const ours = await startApp(variant, db.app);
    const floor = await startApp(variant, db.app, floorBuild(variant.build, db.raw, secrets));
    const baseline = await startBaselineServer({ raw: db.raw, secrets });
    const cookie = await login(ours.port, data);
    const other = candidate ? await startApp(candidate, db.app) : null;
    const servers: Partial<Record<Who, number>> = { ours: ours.port, floor: floor.port, baseline: baseline.port };
    if (other) servers.candidate = other.port;

    const session = profileDir ? new inspector.Session() : null;
    session?.connect();
    if (session) {
      await session.post("Profiler.enable");
      // V8's default interval (1 ms) leaves a few hundred samples per profiled round: too few to rank functions.
      await session.post("Profiler.setSamplingInterval", { interval: 100 });
    }

    log(
      `load average ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(", ")}; ${rounds} rounds of ${seconds} s each`,
    );
    console.log(
      `| scenario | baseline ms/request | floor ms/request | ours ms/request | floor ÷ baseline | ours ÷ floor |${other ? " candidate ms/request | candidate ÷ floor |" : ""}`,
    );
    console.log(`|---|---:|---:|---:|---:|---:|${other ? "---:|---:|" : ""}`);
    for (const scenario of scenarios) {
      const perRequest: Record<Who, number[]> = { ours: [], floor: [], baseline: [], candidate: [] };
      // The last round is profiled (with --cpu-prof) and not counted: the profiler slows what it watches.
      for (let round = 0; round < rounds + (session ? 1 : 0); round++) {
        const all: Who[] = other ? ["ours", "candidate", "floor", "baseline"] : ["ours", "floor", "baseline"];
        const order = round % 2 ? all.reverse() : all;
        for (const who of order) {
          const port = servers[who]!;
          const requests = scenario.requests({ port, data, cookie });
          // Warm-up outside the measured window (JIT, caches, connection pool).
          await runLoad({
            port,
            requests,
            expectStatus: scenario.expectStatus,
            concurrency,
            warmupMs: 0,
            durationMs: 500,
          });
          const profiling = session !== null && round === rounds;
          if (profileDir && round === 0 && (who === "ours" || who === "floor")) {
            // The page as answered, to compare what ours renders with the floor's.
            const page = await sendOnce(port, requests[0]);
            fs.mkdirSync(profileDir, { recursive: true });
            fs.writeFileSync(path.join(profileDir, `${scenario.key}.${who}.html`), page.text);
          }
          if (profiling && who !== "ours" && who !== "floor") continue;
          if (profiling) await session.post("Profiler.start");
          const before = mainThreadCpuMs();
          const result = await runLoad({
            port,
            requests,
            expectStatus: scenario.expectStatus,
            concurrency,
            warmupMs: 0,
            durationMs: seconds * 1000,
          });
          const cpuMs = mainThreadCpuMs() - before;
          if (profiling) {
            const { profile } = await session.post("Profiler.stop");
            fs.mkdirSync(profileDir!, { recursive: true });
            const file = path.join(profileDir!, `${scenario.key}${who === "floor" ? ".floor" : ""}.cpuprofile`);
            fs.writeFileSync(file, JSON.stringify(profile));
            log(
              `${scenario.key}: profile of ${who} in ${file} (${result.count} requests); heaviest functions by self time:`,
            );
            for (const line of heaviest(profile as { nodes: CpuProfileNode[] }, 25)) console.error(`  ${line}`);
          }
          if (result.unexpected || result.errors)
            throw new Error(`${scenario.key} ${who}: ${result.unexpected} unexpected, ${result.errors} errors`);
          // Requests answered in the window (runLoad's count); the window is the whole run, so this is an upper bound
          // shared alike by the three servers (the worker's start and end are on another thread).
          if (!profiling) perRequest[who].push(cpuMs / Math.max(1, result.count));
        }
      }
      const [b, f, o, c] = (["baseline", "floor", "ours", "candidate"] as const).map((who) => median(perRequest[who]));
      console.log(
        `| ${scenario.title} | ${b.toFixed(2)} | ${f.toFixed(2)} | ${o.toFixed(2)} | ${(f / b).toFixed(2)}× | **${(o / f).toFixed(2)}×** |${other ? ` ${c.toFixed(2)} | ${(c / f).toFixed(2)}× |` : ""}`,
      );
    }
    session?.disconnect();
    await ours.close();
    await floor.close();
    await other?.close();
    await baseline.close();
    await db.close();
  } finally {
    pg.stop();
    variant.privateBuild.remove();
    candidate?.privateBuild.remove();
  }
}
