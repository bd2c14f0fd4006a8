/**
 * The baseline's /insights (and /insights.csv, for the bench's check that both servers compute the same figures): the
 * reliability figures of docs/decisions/040-reliability-figures.md with the baseline's own SQL, five statements after
 * the access queries (locations; machines with their counted time; the issues' open stretches, swept into per-level
 * times and repairs in one pass; first responses; repeated titles). The rules are the app's: an issue's state rebuilt
 * from its history in `changedAt` order, per machine and priority level the time at least one open issue had that
 * order or more, clipped to the on-floor spans of the machine's presence history; "down" is the top level's time,
 * "degraded" the rest of the time with any issue open (core/machine-status.ts).
 */
import { CSV_BOM, csvRow, type CsvValue } from "../core/csv";
import { formatDuration } from "../core/reliability";
import type { RawClient } from "./db";

const ANY = -2147483648;
const DAY_MS = 86_400_000;
const PERIODS = [30, 90, 365];

export interface InsightsRequest {
  period: number;
  location: string | null;
}

export function readInsightsRequest(params: URLSearchParams): InsightsRequest {
  const period = Number(params.get("period"));
  const location = params.get("location")?.trim() || null;
  return {
    period: PERIODS.includes(period) ? period : 30,
    location: location && location.length <= 64 ? location : null,
  };
}

interface Fig {
  counted: number;
  down: number;
  degraded: number;
  repairs: number;
  repairSeconds: number;
  reopened: number;
  issues: number;
  answered: number;
  median: number | null;
}

interface MachineFig extends Fig {
  id: string;
  name: string;
  locationId: string;
  locationName: string;
  status: "playable" | "degraded" | "down";
  downSince: string | null;
}

interface GroupFig extends Fig {
  id: string;
  name: string;
  machines: number;
  downNow: number;
}

export interface InsightsFigures {
  period: number;
  location: string | null;
  unknownLocation: boolean;
  from: Date;
  to: Date;
  locations: { id: string; name: string }[];
  machines: MachineFig[];
  byLocation: GroupFig[];
  total: GroupFig;
  repeats: { machineId: string; machineName: string; title: string; issues: number; lastAt: Date }[];
}

/** The on-floor spans of each machine within [$2, $3): from its creation or a presence change to the next change. */
const COUNTED = `
  pres as (
    select "machineId", "changedAt", "fromPresence", "toPresence",
      row_number() over (partition by "machineId" order by "changedAt", id) as k,
      lead("changedAt") over (partition by "machineId" order by "changedAt", id) as "nextAt"
    from "MachinePresenceChange" where "organizationId" = $1
  ),
  spans as (
    select m.id as "machineId", m."createdAt" as s, coalesce(p."changedAt", 'infinity'::timestamp(3)) as e,
      coalesce(p."fromPresence", m.presence) as presence
    from "Machine" m left join pres p on p."machineId" = m.id and p.k = 1
    where m."organizationId" = $1
    union all
    select "machineId", "changedAt", coalesce("nextAt", 'infinity'::timestamp(3)), "toPresence" from pres
  ),
  counted as (
    select "machineId", greatest(s, $2::timestamp(3)) as "from", least(e, $3::timestamp(3)) as "to" from spans
    where presence = 'on_floor' and s < e and s < $3::timestamp(3) and e > $2::timestamp(3)
  )`;

/**
 * One pass over the open stretches of every issue that may have been open in the window (open now, or resolved
 * since it began): per machine and level, the merged time ("islands") clipped to the counted spans, and per machine
 * the repairs and reopenings.
 */
const STRETCHES = `with ${COUNTED},
  cand as (
    select i.id, i."machineId", i."createdAt", p.name as "prioNow", null::timestamp(3) as "closedAt"
    from "Issue" i join "IssueStatus" s on s.id = i."statusId" join "Priority" p on p.id = i."priorityId"
    where i."organizationId" = $1 and s."organizationId" = $1 and s.category <> 'RESOLVED' and i."createdAt" < $3::timestamp(3)
    union all
    select i.id, i."machineId", i."createdAt", p.name, coalesce(i."resolvedAt", i."updatedAt")
    from "Issue" i join "IssueStatus" s on s.id = i."statusId" join "Priority" p on p.id = i."priorityId"
    where i."organizationId" = $1 and s.category = 'RESOLVED' and i."updatedAt" >= $2::timestamp(3)
      and coalesce(i."resolvedAt", i."updatedAt") >= $2::timestamp(3) and i."createdAt" < $3::timestamp(3)
  ),
  ev as (
    select c.id as "issueId", c."machineId", h.id as tie, h."changedAt", greatest(h."changedAt", c."createdAt") as at,
      case h.type when 'RESOLVED' then false when 'REOPENED' then true end as open,
      case when h.field = 'priority' then coalesce(h."newValue", '') end as prio,
      case when h.field = 'priority' then coalesce(h."oldValue", '') end as "prioBefore"
    from cand c cross join lateral (
      select x.id, x."changedAt", x.type, x.field, x."newValue", x."oldValue" from "IssueHistory" x
      where x."issueId" = c.id and x."organizationId" = $1 and (x.type in ('RESOLVED', 'REOPENED') or x.field = 'priority')
      offset 0) h
  ),
  first_open as (
    select distinct on ("issueId") "issueId", open from ev where open is not null order by "issueId", "changedAt", tie
  ),
  first_prio as (
    select distinct on ("issueId") "issueId", "prioBefore" from ev where prio is not null order by "issueId", "changedAt", tie
  ),
  pts as (
    select c.id as "issueId", c."machineId", c."createdAt" as at, 0 as ord, '' as tie,
      coalesce(not fo.open, true) as open, coalesce(fp."prioBefore", c."prioNow") as prio
    from cand c left join first_open fo on fo."issueId" = c.id left join first_prio fp on fp."issueId" = c.id
    union all
    select "issueId", "machineId", at, 1, tie, open, prio from ev
    union all
    select id, "machineId", greatest("closedAt", "createdAt"), 2, '', false, null from cand where "closedAt" is not null
  ),
  numbered as (
    select *, count(open) over w as og, count(prio) over w as pg
    from pts window w as (partition by "issueId" order by at, ord, tie rows unbounded preceding)
  ),
  filled as (
    select "issueId", "machineId", at, ord, tie,
      bool_or(open) over (partition by "issueId", og) as open, max(prio) over (partition by "issueId", pg) as prio
    from numbered
  ),
  states as (
    select *, lead(at) over w as next, lead(open) over w as "nextOpen", lag(open) over w as "prevOpen"
    from filled window w as (partition by "issueId" order by at, ord, tie)
  ),
  seg as (
    select st."issueId", st."machineId", st.at as start, coalesce(st.next, $3::timestamp(3)) as "end", p."order",
      st.next is not null and st."nextOpen" = false as "closes",
      max(case when st."prevOpen" is distinct from true then st.at end)
        over (partition by st."issueId" order by st.at, st.ord, st.tie rows unbounded preceding) as "runStart"
    from states st left join "Priority" p on p."organizationId" = $1 and p.name = st.prio
    where st.open
  ),
  levels as (select distinct "order" as level from "Priority" where "organizationId" = $1 union select ${ANY}),
  lv as (
    select s."machineId", l.level, s.start, s."end" from seg s
    join levels l on l.level = ${ANY} or l.level <= s."order" where s."end" > s.start
  ),
  brk as (
    select *, case when start <= max("end") over (partition by "machineId", level order by start, "end"
      rows between unbounded preceding and 1 preceding) then 0 else 1 end as b
    from lv
  ),
  islands as (
    select "machineId", level, min(start) as s, max("end") as e
    from (select *, sum(b) over (partition by "machineId", level order by start, "end" rows unbounded preceding) as g
      from brk) x
    group by "machineId", level, g
  )
  select 'level' as kind, i."machineId", i.level,
    -- (least/greatest skip nulls: an island outside every counted span counts 0, not its length)
    coalesce(sum(case when c."machineId" is not null
      then extract(epoch from (least(i.e, c."to") - greatest(i.s, c."from")))::float8 end), 0) as seconds,
    to_char(max(case when i.e >= $3::timestamp(3) then i.s end), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since, 0 as n
  from islands i left join counted c on c."machineId" = i."machineId" and c."from" < i.e and c."to" > i.s
  group by i."machineId", i.level
  union all
  select 'repair', "machineId", null, sum(extract(epoch from ("end" - "runStart"))::float8), null, count(*)
  from seg where "closes" and "end" >= $2::timestamp(3) and "end" < $3::timestamp(3) group by "machineId"
  union all
  select 'reopened', "machineId", null, 0, null, count(distinct "issueId")
  from ev where open and "changedAt" >= $2::timestamp(3) and "changedAt" < $3::timestamp(3) group by "machineId"`;

const RESPONSES = `select grouping(i."machineId") as gm, grouping(m."locationId") as gl, i."machineId", m."locationId",
    count(*)::int as issues, count(f.at)::int as answered,
    percentile_cont(0.5) within group (order by greatest(0, extract(epoch from (f.at - i."createdAt"))::float8)) as median
  from "Issue" i join "Machine" m on m.id = i."machineId"
  left join lateral (
    select h."changedAt" as at from "IssueHistory" h
    where h."issueId" = i.id and h."organizationId" = $1
      and h.type in ('COMMENTED', 'ASSIGNED', 'STATUS_CHANGED', 'RESOLVED', 'REOPENED')
      and exists (select 1 from "Membership" ms where ms."userId" = h."actorId" and ms."organizationId" = $1)
    order by h."changedAt" limit 1) f on true
  where i."organizationId" = $1 and i."createdAt" >= $2::timestamp(3) and i."createdAt" < $3::timestamp(3)
  group by grouping sets ((i."machineId", m."locationId"), (m."locationId"), ())`;

const REPEATS = `select "machineId", key, count(*)::int as issues, (array_agg(title order by "createdAt" desc))[1] as title,
    to_char(max("createdAt"), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastAt"
  from (select "machineId", title, "createdAt", btrim(regexp_replace(lower(title), '[^[:alnum:]]+', ' ', 'g')) as key
    from "Issue" where "organizationId" = $1 and "createdAt" >= $2::timestamp(3) and "createdAt" < $3::timestamp(3)) t
  where key <> ''
  group by "machineId", key having count(*) > 1
  order by count(*) desc, max("createdAt") desc, "machineId", key
  limit 100`;

const num = (v: unknown) => Number(v ?? 0);
const iso = (v: unknown) => (v == null ? null : String(v));
/** timestamp(3) columns hold UTC (dates come back as text from to_char, whatever the client's time zone). */
const stamp = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

function zero(): Fig {
  return {
    counted: 0,
    down: 0,
    degraded: 0,
    repairs: 0,
    repairSeconds: 0,
    reopened: 0,
    issues: 0,
    answered: 0,
    median: null,
  };
}

export async function insightsFigures(
  q: RawClient,
  orgId: string,
  req: InsightsRequest,
  now: Date,
): Promise<InsightsFigures> {
  const from = new Date(now.getTime() - req.period * DAY_MS);
  const window = [orgId, stamp(from), stamp(now)];
  const locations = await q.query<{ id: string; name: string }>(
    `select id, name from "Location" where "organizationId" = $1 order by name, id`,
    [orgId],
  );
  const unknownLocation = req.location !== null && !locations.some((l) => l.id === req.location);
  const location = unknownLocation ? null : req.location;
  const [machineRows, stretchRows, responseRows, repeatRows] = await Promise.all([
    q.query<Record<string, unknown>>(
      `with ${COUNTED},
        counted_sum as (select "machineId", sum(extract(epoch from ("to" - "from"))::float8) as seconds from counted group by "machineId"),
        open as (select i."machineId", count(*)::int as n, max(p."order") as "maxOrder"
          from "Issue" i join "IssueStatus" s on s.id = i."statusId" join "Priority" p on p.id = i."priorityId"
          where i."organizationId" = $1 and s.category <> 'RESOLVED' group by i."machineId")
      select m.id, m.name, l.id as "locationId", l.name as "locationName", coalesce(o.n, 0) as "openCount", o."maxOrder",
        coalesce(cs.seconds, 0) as counted, (select max("order") from "Priority" where "organizationId" = $1) as top
      from "Machine" m join "Location" l on l.id = m."locationId"
      left join open o on o."machineId" = m.id left join counted_sum cs on cs."machineId" = m.id
      where m."organizationId" = $1 ${location ? `and m."locationId" = $4` : ""}
      order by l.name, l.id, m.name, m.id`,
      location ? [...window, location] : window,
    ),
    q.query<Record<string, unknown>>(STRETCHES, window),
    q.query<Record<string, unknown>>(RESPONSES, window),
    q.query<Record<string, unknown>>(REPEATS, window),
  ]);

  // Per machine: seconds at each level, when its current stretch at the top level began, repairs, reopenings.
  const levelSeconds = new Map<string, Map<number, number>>();
  const topSince = new Map<string, string | null>();
  const repairs = new Map<string, { n: number; seconds: number }>();
  const reopened = new Map<string, number>();
  const top = machineRows.length && machineRows[0].top != null ? num(machineRows[0].top) : null;
  for (const r of stretchRows) {
    const id = String(r.machineId);
    if (r.kind === "level") {
      if (!levelSeconds.has(id)) levelSeconds.set(id, new Map());
      levelSeconds.get(id)!.set(num(r.level), Math.max(0, num(r.seconds)));
      if (top !== null && num(r.level) === top) topSince.set(id, iso(r.since));
    } else if (r.kind === "repair") repairs.set(id, { n: num(r.n), seconds: num(r.seconds) });
    else reopened.set(id, num(r.n));
  }
  // First responses by grouping set: machine (gm 0), location (gm 1, gl 0), organization (both 1).
  const byMachine = new Map<string, Record<string, unknown>>();
  const byLocationId = new Map<string, Record<string, unknown>>();
  let overall: Record<string, unknown> | undefined;
  for (const r of responseRows) {
    if (num(r.gm) === 0) byMachine.set(String(r.machineId), r);
    else if (num(r.gl) === 0) byLocationId.set(String(r.locationId), r);
    else overall = r;
  }

  const machines: MachineFig[] = machineRows.map((m) => {
    const id = String(m.id);
    const levels = levelSeconds.get(id) ?? new Map<number, number>();
    const any = levels.get(ANY) ?? 0;
    const downTime = top !== null ? (levels.get(top) ?? 0) : 0;
    const counted = num(m.counted);
    const open = num(m.openCount);
    const status =
      open <= 0 ? "playable" : top !== null && m.maxOrder != null && num(m.maxOrder) >= top ? "down" : "degraded";
    const res = byMachine.get(id);
    return {
      id,
      name: String(m.name),
      locationId: String(m.locationId),
      locationName: String(m.locationName),
      status,
      downSince: status === "down" ? (topSince.get(id) ?? null) : null,
      counted,
      down: Math.min(downTime, counted),
      degraded: Math.min(Math.max(0, any - downTime), counted),
      repairs: repairs.get(id)?.n ?? 0,
      repairSeconds: repairs.get(id)?.seconds ?? 0,
      reopened: reopened.get(id) ?? 0,
      issues: num(res?.issues),
      answered: num(res?.answered),
      median: res?.median == null ? null : num(res.median),
    };
  });

  const group = (id: string, name: string): GroupFig => ({ ...zero(), id, name, machines: 0, downNow: 0 });
  const total = group("", "");
  const byLocation: GroupFig[] = [];
  for (const m of machines) {
    let loc = byLocation.at(-1);
    if (loc?.id !== m.locationId) byLocation.push((loc = group(m.locationId, m.locationName)));
    for (const g of [loc, total]) {
      for (const k of ["counted", "down", "degraded", "repairs", "repairSeconds", "reopened"] as const) g[k] += m[k];
      g.machines += 1;
      if (m.status === "down") g.downNow += 1;
    }
  }
  const setResponse = (g: GroupFig, r: Record<string, unknown> | undefined) => {
    g.issues = num(r?.issues);
    g.answered = num(r?.answered);
    g.median = r?.median == null ? null : num(r.median);
  };
  for (const l of byLocation) setResponse(l, byLocationId.get(l.id));
  setResponse(total, location ? byLocationId.get(location) : overall);

  const names = new Map(machines.map((m) => [m.id, m.name]));
  const repeats = repeatRows
    .filter((r) => names.has(String(r.machineId)))
    .slice(0, 20)
    .map((r) => ({
      machineId: String(r.machineId),
      machineName: names.get(String(r.machineId))!,
      title: String(r.title),
      issues: num(r.issues),
      lastAt: new Date(String(r.lastAt)),
    }));
  return {
    period: req.period,
    location,
    unknownLocation,
    from,
    to: now,
    locations,
    machines,
    byLocation,
    total,
    repeats,
  };
}

const uptime = (f: Fig) =>
  f.counted > 0 ? Math.max(0, Math.min(100, (100 * (f.counted - Math.min(f.down, f.counted))) / f.counted)) : null;
const mttr = (f: Fig) => (f.repairs > 0 ? f.repairSeconds / f.repairs : null);
const hours = (s: number | null) => (s === null ? null : Math.round(s / 360) / 10);
const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)} %`);

type Esc = (v: unknown) => string;

/** The page's content as plain HTML: filters, summary, per-location uptime, the two top-10 lists, every machine, repeats. */
export function insightsHtml(f: InsightsFigures, esc: Esc): string {
  const t = f.total;
  const day = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  const worst = [...f.machines]
    .filter((m) => m.down + m.degraded > 0)
    .sort((a, b) => b.down - a.down || b.degraded - a.degraded)
    .slice(0, 10);
  const busiest = [...f.machines]
    .filter((m) => m.issues > 0)
    .sort((a, b) => b.issues - a.issues)
    .slice(0, 10);
  const list = (items: string[]) => `<ul>${items.join("")}</ul>`;
  const cards: [string, string][] = [
    ["Uptime", pct(uptime(t))],
    ["Down now", `${t.downNow} of ${t.machines}`],
    ["Downtime", formatDuration(t.down)],
    ["Mean time to resolve", `${formatDuration(mttr(t))} over ${t.repairs} repairs`],
    ["Median first response", `${formatDuration(t.median)}; ${t.answered} of ${t.issues} new issues answered`],
    ["Reopened", String(t.reopened)],
  ];
  const reopenedMachines = f.machines.filter((m) => m.reopened > 0);
  return `<h1>Reliability</h1><p>${f.location ? esc(f.locations.find((l) => l.id === f.location)?.name) : "All locations"}, from ${day(f.from)} to ${day(f.to)}.</p>
    ${f.unknownLocation ? "<p>That location was not found here, so all locations are shown.</p>" : ""}
    <form method="get" action="/insights"><select name="period">${PERIODS.map((p) => `<option value="${p}"${p === f.period ? " selected" : ""}>Last ${p} days</option>`).join("")}</select>
    <select name="location"><option value="">All locations</option>${f.locations.map((l) => `<option value="${esc(l.id)}"${l.id === f.location ? " selected" : ""}>${esc(l.name)}</option>`).join("")}</select>
    <button>Show</button></form>
    <dl>${cards.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
    <h2>Uptime by location</h2>${list(f.byLocation.map((l) => `<li>${esc(l.name)}: ${pct(uptime(l) ?? 0)}</li>`))}
    <h2>Machines with the most downtime</h2>${list(worst.map((m) => `<li>${esc(m.name)}: ${hours(m.down)} h down, ${hours(m.degraded)} h degraded</li>`))}
    <h2>Machines with the most new issues</h2>${list(busiest.map((m) => `<li>${esc(m.name)}: ${m.issues}</li>`))}
    <h2>Every machine</h2><table><tr><th>Machine</th><th>Location</th><th>Now</th><th>Downtime</th><th>Degraded</th><th>Uptime</th><th>Mean time to resolve</th><th>New issues</th><th>Median first response</th><th>Reopened</th></tr>${f.machines
      .map(
        (m) =>
          `<tr><td><a href="/machines/${esc(m.id)}">${esc(m.name)}</a></td><td>${esc(m.locationName)}</td><td>${m.status}${
            m.downSince ? ` for ${formatDuration((f.to.getTime() - Date.parse(m.downSince)) / 1000)}` : ""
          }</td><td>${formatDuration(m.down)}</td><td>${formatDuration(m.degraded)}</td><td>${pct(uptime(m))}</td><td>${formatDuration(
            mttr(m),
          )}</td><td>${m.issues}</td><td>${formatDuration(m.median)}</td><td>${m.reopened}</td></tr>`,
      )
      .join("")}</table>
    <h2>Repeat offenders</h2><table>${f.repeats
      .map(
        (r) =>
          `<tr><td>${esc(r.machineName)}</td><td>${esc(r.title)}</td><td>${r.issues}</td><td>${r.lastAt.toISOString().slice(0, 10)}</td></tr>`,
      )
      .join(
        "",
      )}${reopenedMachines.map((m) => `<tr><td>${esc(m.name)}</td><td>Reopened</td><td>${m.reopened}</td><td></td></tr>`).join("")}</table>`;
}

const STATUS_LABEL = { playable: "Playable", degraded: "Degraded", down: "Down" } as const;

/**
 * The figures in the layout of the app's /insights.csv (app/use-cases/insights.server.ts), so the bench can check
 * that the app and the baseline agree (bench/main.ts). Not measured.
 */
export function insightsCsv(f: InsightsFigures, orgName: string): string {
  const figures = (g: Fig): CsvValue[] => {
    const u = uptime(g);
    return [
      hours(g.down),
      hours(g.degraded),
      hours(g.counted),
      u === null ? null : Math.round(u * 10) / 10,
      g.repairs,
      hours(mttr(g)),
      g.issues,
      g.answered,
      hours(g.median),
      g.reopened,
    ];
  };
  const lines: string[] = [];
  const scopeName = f.location ? (f.locations.find((l) => l.id === f.location)?.name ?? "") : orgName;
  lines.push(
    csvRow([
      f.location ? "Selection" : "Organization",
      scopeName,
      "",
      f.total.machines,
      `${f.total.downNow} down`,
      null,
      ...figures(f.total),
    ]),
  );
  for (const l of f.byLocation)
    lines.push(csvRow(["Location", l.name, l.name, l.machines, `${l.downNow} down`, null, ...figures(l)]));
  for (const m of f.machines) {
    const downFor = m.downSince ? (f.to.getTime() - Date.parse(m.downSince)) / 1000 : null;
    lines.push(csvRow(["Machine", m.name, m.locationName, 1, STATUS_LABEL[m.status], hours(downFor), ...figures(m)]));
  }
  if (f.repeats.length) {
    lines.push(csvRow([]), csvRow(["Repeated problem", "Machine", "Times", "Last reported (UTC)"]));
    for (const r of f.repeats)
      lines.push(csvRow([r.title, r.machineName, r.issues, r.lastAt.toISOString().slice(0, 19).replace("T", " ")]));
  }
  return CSV_BOM + csvRow(["Scope", "Name", "Location", "Machines", "Status now", "…"]) + lines.join("");
}
