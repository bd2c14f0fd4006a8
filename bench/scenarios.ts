/**
 * The measured requests. Both servers (app and baseline) get byte-identical requests: same paths, headers (Host of
 * the big organization, the admin's session cookie where needed, Origin on POSTs) and bodies.
 */
import type { GeneratedData } from "./generate";
import { issueId, machineId, qrCode } from "./generate";
import type { RequestSpec } from "./load";

export type ScenarioKey = "qr" | "machine" | "list" | "detail" | "insights" | "report" | "status";

export interface Scenario {
  key: ScenarioKey;
  title: string;
  /** What one request does, for the report. */
  what: string;
  expectStatus: number[];
  /** Writes: the baseline's statement-count pass uses other requests than ours (a repeated status change is a no-op). */
  writes?: boolean;
  /** Requests cycled by the load generator. */
  requests(ctx: ScenarioContext): RequestSpec[];
  /**
   * Requests whose answers must agree between ours and the baseline (bench/main.ts stops the run when they do not, so
   * a baseline that computes less cannot flatter it): "csv" compares CSV downloads cell by cell (numbers up to one
   * rounding step), "issue-ids" the issues a page links to, in order.
   */
  agreement?: { compare: "csv" | "issue-ids"; requests(ctx: ScenarioContext): RequestSpec[] };
  /**
   * Pages that take seconds: fewer connections and a longer measured window per run, so that answers complete inside
   * it (with 8 connections and 3 s, the reliability page at 200k issues completed none).
   */
  slow?: { concurrency: number; measuredMsPerRun: number };
}

export interface ScenarioContext {
  port: number;
  data: GeneratedData;
  /** `name=value` of the admin's session cookie. */
  cookie: string;
}

/** Deterministic spread of `count` values over 1..n (a fixed stride coprime-ish with n). */
function spread(n: number, count: number, stride = 7919): number[] {
  const out: number[] = [];
  for (let j = 0; j < count; j++) out.push(1 + ((j * stride) % n));
  return out;
}

function hostHeaders(ctx: ScenarioContext, extra: Record<string, string> = {}): Record<string, string> {
  return { host: `${ctx.data.big.subdomain}.localhost:${ctx.port}`, "user-agent": "pinpoint-bench", ...extra };
}

function origin(ctx: ScenarioContext): string {
  return `http://${ctx.data.big.subdomain}.localhost:${ctx.port}`;
}

const BOUNDARY = "----pinpointbench7MA4YWxkTrZu0gW";
function multipart(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  // An empty file input, as a browser sends it when no photo is chosen.
  parts.push(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`,
  );
  return `${parts.join("")}--${BOUNDARY}--\r\n`;
}

/** The default view, then a location's last 90 days, alternating (each location in turn). */
function insightsPaths(ctx: ScenarioContext): string[] {
  const { locationIds } = ctx.data.big;
  return Array.from({ length: 2 * locationIds.length }, (_, j) =>
    j % 2 === 0 ? "/insights" : `/insights?period=90&location=${locationIds[(j >> 1) % locationIds.length]}`,
  );
}

export const SCENARIOS: Scenario[] = [
  {
    key: "machine",
    title: "Public machine page (QR landing)",
    what: "anonymous GET /m/<machineId>: machine, open issues with “me too” counts, recently fixed, report form",
    expectStatus: [200],
    requests: (ctx) =>
      spread(ctx.data.big.machines, Math.min(ctx.data.big.machines, 1000)).map((k) => ({
        method: "GET",
        path: `/m/${machineId(0, k)}`,
        headers: hostHeaders(ctx),
      })),
  },
  {
    key: "qr",
    title: "QR scan redirect",
    what: "anonymous GET /qr/<code> → 302 to the machine page",
    expectStatus: [302],
    requests: (ctx) =>
      spread(ctx.data.big.machines, Math.min(ctx.data.big.machines, 1000)).map((k) => ({
        method: "GET",
        path: `/qr/${qrCode(0, k)}`,
        headers: hostHeaders(ctx),
      })),
  },
  {
    key: "list",
    title: "Issue list with filters and search",
    what: "signed-in GET /issues?q=…&<filters> (one search in seven a typo that only trigram similarity finds): one page of 25, ranked by relevance + category counts + filter pickers (statuses, priorities, locations, members; machines when ≤ 300, else “choose a location first”)",
    expectStatus: [200],
    requests: (ctx) => {
      const { big } = ctx.data;
      const status = (name: string) => big.statuses.find((s) => s.name === name)?.id ?? big.statuses[0].id;
      const prio = (name: string) => big.priorities.find((p) => p.name === name)?.id ?? big.priorities[0].id;
      const out: RequestSpec[] = [];
      for (let j = 0; j < 60; j++) {
        const member = big.memberIds[(j * 7) % big.memberIds.length];
        const location = big.locationIds[j % big.locationIds.length];
        const machine = machineId(0, 1 + ((j * 7919) % big.machines));
        const variants = [
          `q=flipper`,
          `q=${encodeURIComponent("ramp stuck")}&priority=${prio("High")}`,
          `q=display&assignee=${member}&category=all`,
          `q=coil&category=in-progress&location=${location}`,
          `q=weak&status=${status("Needs Parts")}&reporter=anonymous`,
          `q=${encodeURIComponent("magnet OR diverter")}&machine=${machine}&category=all`,
          // a typo only the title's trigram similarity finds (full-text search has no "fliper")
          `q=fliper&category=all`,
        ];
        out.push({
          method: "GET",
          path: `/issues?${variants[j % variants.length]}`,
          headers: hostHeaders(ctx, { cookie: ctx.cookie }),
        });
      }
      return out;
    },
    agreement: {
      compare: "issue-ids",
      requests: (ctx) =>
        SCENARIOS.find((s) => s.key === "list")!
          .requests(ctx)
          .slice(0, 7),
    },
  },
  {
    key: "detail",
    title: "Issue detail with timeline",
    what: "signed-in GET /issues/<id>: issue, comments + history timeline, attachments, status/priority/assignee pickers",
    expectStatus: [200],
    requests: (ctx) =>
      // issues with n % 4 = 3 have three comments (and ~7 history rows)
      spread(Math.floor(ctx.data.big.issues / 4), Math.min(1000, Math.floor(ctx.data.big.issues / 4)), 1543)
        .map((j) => j * 4 - 1)
        .filter((n) => n >= 1 && n <= ctx.data.big.issues)
        .map((n) => ({
          method: "GET",
          path: `/issues/${issueId(0, n)}`,
          headers: hostHeaders(ctx, { cookie: ctx.cookie }),
        })),
  },
  {
    key: "insights",
    title: "Reliability page",
    slow: { concurrency: 2, measuredMsPerRun: 20_000 },
    what: "signed-in GET /insights (last 30 days, all locations) and every other request /insights?period=90&location=…: downtime, uptime, repairs, first responses per machine, location and organization from the issue history, repeated problems",
    expectStatus: [200],
    requests: (ctx) =>
      insightsPaths(ctx).map((path) => ({ method: "GET", path, headers: hostHeaders(ctx, { cookie: ctx.cookie }) })),
    agreement: {
      compare: "csv",
      requests: (ctx) =>
        insightsPaths(ctx)
          .slice(0, 3)
          .map((path) => ({
            method: "GET",
            path: path.replace("/insights", "/insights.csv"),
            headers: hostHeaders(ctx, { cookie: ctx.cookie }),
          })),
    },
  },
  {
    key: "report",
    title: "Anonymous problem report",
    what: "anonymous multipart POST /m/<machineId> (intent=report, no photo) → issue + history + owner notification in one transaction, 302 to /follow/<token>",
    expectStatus: [302],
    writes: true,
    requests: (ctx) =>
      spread(ctx.data.big.machines, Math.min(ctx.data.big.machines, 1000), 104_729).map((k, j) => ({
        method: "POST",
        path: `/m/${machineId(0, k)}`,
        headers: hostHeaders(ctx, { origin: origin(ctx), "content-type": `multipart/form-data; boundary=${BOUNDARY}` }),
        body: multipart({
          intent: "report",
          title: `Bench report ${j}: left flipper weak`,
          description: "The left flipper cannot make the right ramp any more. Happens every game.",
          name: "Bench Player",
          email: `player${j}@example.com`,
          website: "",
          // The bench's titles resemble each other and the seeded issues: this is the submit after "No, it's
          // something new" on the duplicate guard's answer, the one that files the issue.
          confirmNew: "1",
        }),
      })),
  },
  {
    key: "status",
    title: "Status change (signed-in admin)",
    what: "POST /issues/<id>.data intent=status (what the page's form sends with JavaScript): permission check, row lock, update, history, notifications",
    expectStatus: [200],
    writes: true,
    requests: (ctx) => {
      const { big } = ctx.data;
      const statuses = big.statuses.map((s) => s.id);
      const ids = spread(big.issues, Math.min(big.issues, 2000), 3571);
      const out: RequestSpec[] = [];
      // Consecutive visits to the same issue use a different status, so (almost) every request is a real change.
      for (let round = 0; round < statuses.length; round++) {
        for (const [j, n] of ids.entries()) {
          out.push({
            method: "POST",
            path: `/issues/${issueId(0, n)}.data`,
            headers: hostHeaders(ctx, {
              cookie: ctx.cookie,
              origin: origin(ctx),
              "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
            }),
            body: new URLSearchParams({
              intent: "status",
              statusId: statuses[(round + j) % statuses.length],
            }).toString(),
          });
        }
      }
      return out;
    },
  },
];
