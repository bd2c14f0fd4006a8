/**
 * /insights and /insights.csv: reliability per machine, per location and for the organization over 30, 90 or 365
 * days (docs/decisions/040-reliability-figures.md). The durations come from SQL (db/queries/insights.server.ts); the
 * status of each slice of time, and of each machine now, comes from core/machine-status.ts through
 * core/reliability.ts. Members with issue:view, as the issue list.
 */
import { CSV_BOM, csvDateTime, csvRow } from "../../core/csv";
import { deriveMachineStatus, MACHINE_STATUS_LABEL } from "../../core/machine-status";
import {
  DEFAULT_INSIGHT_PERIOD,
  isInsightPeriod,
  statusTimes,
  toHours,
  uptimePercent,
  type Figures,
  type InsightPeriod,
  type LevelTime,
  type LocationFigures,
  type MachineFigures,
  type RepeatOffender,
} from "../../core/reliability";
import {
  ANY_OPEN_LEVEL,
  listInsightsMachines,
  listStretchFigures,
  listRepeatTitles,
  listResponses,
  type InsightsWindow,
  type ResponseRow,
} from "../../db/queries/insights.server";
import { listLocationOptions } from "../../db/queries/locations.server";
import { topPriorityOrder } from "../../db/queries/machines.server";
import { requireMemberActor, type Actor } from "./actor";

export interface InsightsQuery {
  period: InsightPeriod;
  location: string | null;
}

/** The page's filters from its URL; anything unknown falls back to the defaults (the page says what it shows). */
export function readInsightsQuery(params: URLSearchParams): InsightsQuery {
  const period = Number(params.get("period"));
  const location = params.get("location")?.trim() || null;
  return {
    period: isInsightPeriod(period) ? period : DEFAULT_INSIGHT_PERIOD,
    location: location && location.length <= 64 ? location : null,
  };
}

export interface InsightsPage {
  query: InsightsQuery;
  from: string;
  to: string;
  locations: { id: string; name: string }[];
  /** The location filter named a location that does not exist here. */
  unknownLocation: boolean;
  total: Figures & { machines: number; downNow: number };
  byLocation: LocationFigures[];
  machines: MachineFigures[];
  repeats: RepeatOffender[];
}

const REPEAT_LIMIT = 20;
const DAY_MS = 24 * 3600 * 1000;

function emptyFigures(): Figures {
  return {
    countedSeconds: 0,
    downSeconds: 0,
    degradedSeconds: 0,
    uptimePercent: null,
    repairs: 0,
    mttrSeconds: null,
    issues: 0,
    answered: 0,
    medianResponseSeconds: null,
    reopened: 0,
  };
}

/** Adds the summable parts of `b` into `a` (medians are not summable: they come from SQL per grouping). */
function addInto(a: Figures, b: Figures) {
  a.countedSeconds += b.countedSeconds;
  a.downSeconds += b.downSeconds;
  a.degradedSeconds += b.degradedSeconds;
  a.repairs += b.repairs;
  a.reopened += b.reopened;
  a.issues += b.issues;
  a.answered += b.answered;
}

function finish(f: Figures, repairSeconds: number, response: ResponseRow | undefined) {
  f.uptimePercent = uptimePercent(f.downSeconds, f.countedSeconds);
  f.mttrSeconds = f.repairs > 0 ? repairSeconds / f.repairs : null;
  if (response) {
    f.issues = response.issues;
    f.answered = response.answered;
    f.medianResponseSeconds = response.medianResponseSeconds;
  }
}

export async function loadInsights(actor: Actor, query: InsightsQuery, now = new Date()): Promise<InsightsPage> {
  requireMemberActor(actor, "issue:view");
  const { db, organizationId } = actor;
  const w: InsightsWindow = { organizationId, from: new Date(now.getTime() - query.period * DAY_MS), to: now };
  const locationOptions = await listLocationOptions(db, organizationId);
  const unknownLocation = query.location !== null && !locationOptions.some((l) => l.id === query.location);
  const location = unknownLocation ? null : query.location;
  const [machineRows, top, { levels, repairs }, responses, repeatRows] = await Promise.all([
    listInsightsMachines(db, w, location),
    topPriorityOrder(db, organizationId),
    listStretchFigures(db, w),
    listResponses(db, w),
    listRepeatTitles(db, w, REPEAT_LIMIT * 5),
  ]);

  const levelsOf = new Map<string, LevelTime[]>();
  for (const l of levels) {
    if (!levelsOf.has(l.machineId)) levelsOf.set(l.machineId, []);
    levelsOf.get(l.machineId)!.push(l);
  }
  const repairOf = new Map(repairs.map((r) => [r.machineId, r]));
  const responseOf = new Map(responses.filter((r) => r.scope === "machine").map((r) => [r.machineId, r]));
  const locationResponse = new Map(responses.filter((r) => r.scope === "location").map((r) => [r.locationId, r]));
  const orgResponse = responses.find((r) => r.scope === "organization");

  const machines: MachineFigures[] = machineRows.map((m) => {
    const times = statusTimes(levelsOf.get(m.id) ?? [], ANY_OPEN_LEVEL, top);
    const status = deriveMachineStatus({ ...m, topPriorityOrder: top });
    const repair = repairOf.get(m.id);
    const f: MachineFigures = {
      ...emptyFigures(),
      id: m.id,
      name: m.name,
      locationId: m.locationId,
      locationName: m.locationName,
      status,
      downSince: status === "down" ? times.downSince : null,
      countedSeconds: m.countedSeconds,
      downSeconds: Math.min(times.down, m.countedSeconds),
      degradedSeconds: Math.min(times.degraded, m.countedSeconds),
      repairs: repair?.repairs ?? 0,
      reopened: repair?.reopened ?? 0,
    };
    finish(f, repair?.repairSeconds ?? 0, responseOf.get(m.id));
    return f;
  });

  // Locations and the total: sums of their machines' times and repairs; medians come from SQL's grouping sets.
  const byLocation: LocationFigures[] = [];
  const repairSecondsOf = new Map<string, number>();
  const total = { ...emptyFigures(), machines: 0, downNow: 0 };
  let totalRepairSeconds = 0;
  for (const m of machines) {
    let loc = byLocation.at(-1);
    if (loc?.id !== m.locationId) {
      loc = { ...emptyFigures(), id: m.locationId, name: m.locationName, machines: 0, downNow: 0 };
      byLocation.push(loc);
    }
    const repairSeconds = repairOf.get(m.id)?.repairSeconds ?? 0;
    repairSecondsOf.set(loc.id, (repairSecondsOf.get(loc.id) ?? 0) + repairSeconds);
    totalRepairSeconds += repairSeconds;
    for (const sum of [loc, total]) {
      addInto(sum, m);
      sum.machines += 1;
      if (m.status === "down") sum.downNow += 1;
    }
  }
  for (const loc of byLocation) {
    finish(loc, repairSecondsOf.get(loc.id) ?? 0, locationResponse.get(loc.id) ?? zeroResponse());
  }
  finish(total, totalRepairSeconds, location ? (locationResponse.get(location) ?? zeroResponse()) : orgResponse);

  const names = new Map(machines.map((m) => [m.id, m.name]));
  const repeats = repeatRows
    .filter((r) => names.has(r.machineId))
    .slice(0, REPEAT_LIMIT)
    .map((r) => ({
      machineId: r.machineId,
      machineName: names.get(r.machineId)!,
      title: r.title,
      issues: r.issues,
      lastAt: r.lastAt.toISOString(),
    }));

  return {
    query: { period: query.period, location },
    from: w.from.toISOString(),
    to: now.toISOString(),
    locations: locationOptions.map((l) => ({ id: l.id, name: l.name })),
    unknownLocation,
    total,
    byLocation,
    machines,
    repeats,
  };
}

function zeroResponse(): ResponseRow {
  return { scope: "location", machineId: null, locationId: null, issues: 0, answered: 0, medianResponseSeconds: null };
}

export const INSIGHTS_CSV_COLUMNS = [
  "Scope",
  "Name",
  "Location",
  "Machines",
  "Status now",
  "Down now (hours)",
  "Downtime (hours)",
  "Degraded (hours)",
  "Counted time (hours)",
  "Uptime (%)",
  "Repairs",
  "Mean time to resolve (hours)",
  "New issues",
  "Answered",
  "Median first response (hours)",
  "Reopened",
] as const;

/**
 * /insights.csv: the page's figures for the same filters, one row for the selection, one per location and one per
 * machine, then the repeated problems. Spreadsheet-safe through core/csv.ts (names are people's text).
 */
export async function exportInsightsCsv(
  actor: Actor,
  query: InsightsQuery,
  now = new Date(),
): Promise<{ fileName: string; body: string }> {
  const page = await loadInsights(actor, query, now);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  const figures = (f: Figures) => [
    toHours(f.downSeconds),
    toHours(f.degradedSeconds),
    toHours(f.countedSeconds),
    round(f.uptimePercent),
    f.repairs,
    toHours(f.mttrSeconds),
    f.issues,
    f.answered,
    toHours(f.medianResponseSeconds),
    f.reopened,
  ];
  const lines = [CSV_BOM + csvRow(INSIGHTS_CSV_COLUMNS)];
  const scopeName = page.query.location
    ? (page.locations.find((l) => l.id === page.query.location)?.name ?? "")
    : actor.organization.name;
  lines.push(
    csvRow([
      page.query.location ? "Selection" : "Organization",
      scopeName,
      "",
      page.total.machines,
      `${page.total.downNow} down`,
      null,
      ...figures(page.total),
    ]),
  );
  for (const l of page.byLocation) {
    lines.push(csvRow(["Location", l.name, l.name, l.machines, `${l.downNow} down`, null, ...figures(l)]));
  }
  for (const m of page.machines) {
    const downFor = m.downSince ? (now.getTime() - Date.parse(m.downSince)) / 1000 : null;
    lines.push(
      csvRow(["Machine", m.name, m.locationName, 1, MACHINE_STATUS_LABEL[m.status], toHours(downFor), ...figures(m)]),
    );
  }
  if (page.repeats.length) {
    lines.push(csvRow([]), csvRow(["Repeated problem", "Machine", "Times", "Last reported (UTC)"]));
    for (const r of page.repeats) {
      lines.push(csvRow([r.title, r.machineName, r.issues, csvDateTime(new Date(r.lastAt))]));
    }
  }
  const day = now.toISOString().slice(0, 10);
  return {
    fileName: `reliability-${actor.organization.subdomain}-${page.query.period}d-${day}.csv`,
    body: lines.join(""),
  };
}
