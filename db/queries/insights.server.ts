/**
 * Reliability figures for /insights, computed in SQL from the issue history (docs/decisions/040-reliability-figures.md).
 *
 * Downtime. An issue's state over time is rebuilt from its history: open from its creation, closed by a RESOLVED
 * row (and from `resolvedAt` for an issue resolved now), open again by a REOPENED row; its priority is the newValue
 * of the latest "priority" row (before the first one: that row's oldValue; without any: the issue's priority now),
 * matched by name to the organization's priorities (a renamed or deleted priority counts as open with no known
 * order). Rows are read in `changedAt` order whatever order they were written in. The machine's status at any moment
 * follows core/machine-status.ts from its open issues and their highest priority order; SQL cannot call that rule, so
 * the query measures, per machine and per priority level L, how long at least one open issue had an order ≥ L (and
 * how long any issue was open at all). These sets are nested, so the time the highest open order was exactly L is a
 * difference of two of them, and app/use-cases/insights.server.ts hands each such slice to deriveMachineStatus.
 *
 * Which time counts: `countedTime` below is the one place that says when a machine's time counts at all (for the
 * percentages and for downtime): the time it was on the floor (core/machine-presence.ts), from the start of the
 * period or the machine's creation until now. Time off the floor, on loan, pending arrival or removed is neither
 * downtime nor uptime.
 */
import { sql, type SQL } from "drizzle-orm";
import { ON_FLOOR } from "../../core/machine-presence";
import type { DbOrTx } from "../client.server";
import { withTransaction } from "../transaction.server";
import { rowsOf } from "../validate.server";

/** Level of "any open issue" (below every priority order). */
export const ANY_OPEN_LEVEL = -2147483648;

export interface InsightsWindow {
  organizationId: string;
  /** Start of the period (inclusive). */
  from: Date;
  /** End of the period: now. */
  to: Date;
}

/**
 * Runs one of the heavy statements below with PostgreSQL's JIT compilation off: their plans cost enough to trigger it
 * (jit_above_cost), and compiling took longer than it saved (the stretches over 365 days at 200,000 issues: 4.9 s with
 * JIT, 3.1 s without; docs/decisions/045-one-pass-rendering-and-insights-statements.md). SET LOCAL in the statement's
 * own transaction, so that it also holds through a transaction pooler (PgBouncer) and ends with the statement.
 */
function executeWithoutJit(db: DbOrTx, query: SQL) {
  return withTransaction(db, async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return tx.execute(query);
  });
}

const stamp = (d: Date) => sql`${d.toISOString()}::timestamp(3)`;
const seconds = (a: SQL, b: SQL) => sql`extract(epoch from (${b} - ${a}))::float8`;

/**
 * The intervals (machineId, "from", "to") during which a machine's time counts, within the window: the stretches it
 * was on the floor. Its presence history (MachinePresenceChange) cuts its life into spans: from its creation to the
 * first change in that change's "from" presence (today's presence when it never changed), then from each change to
 * the next in the change's "to" presence. Downtime and uptime are measured only inside the on-floor spans.
 */
export function countedTime(w: InsightsWindow): SQL {
  const org = w.organizationId;
  return sql`select "machineId", greatest("start", ${stamp(w.from)}) as "from", least("end", ${stamp(w.to)}) as "to"
    from (
      select m."id" as "machineId", m."createdAt" as "start",
        coalesce(c."changedAt", 'infinity'::timestamp(3)) as "end", coalesce(c."fromPresence", m."presence") as "presence"
      from "Machine" m
      left join lateral (select x."changedAt", x."fromPresence" from "MachinePresenceChange" x
        where x."machineId" = m."id" and x."organizationId" = ${org}
        order by x."changedAt", x."id" limit 1) c on true
      where m."organizationId" = ${org}
      union all
      select c."machineId", c."changedAt",
        coalesce((select n."changedAt" from "MachinePresenceChange" n
          where n."machineId" = c."machineId" and n."organizationId" = ${org}
            and (n."changedAt", n."id") > (c."changedAt", c."id")
          order by n."changedAt", n."id" limit 1), 'infinity'::timestamp(3)),
        c."toPresence"
      from "MachinePresenceChange" c where c."organizationId" = ${org}
    ) spans
    where "presence" = ${ON_FLOOR} and "start" < ${stamp(w.to)} and "end" > ${stamp(w.from)}
      and "start" < "end"`;
}

/**
 * Open stretches of the issues that may have been open during the window, each with the priority order it had
 * (null when unknown), as CTEs ending in `seg` ("issueId", "machineId", "start", "end", "order", "open", "runStart",
 * "closesAfter"). `runStart` is when the issue's current open stretch began; `closesAfter` is true on the last
 * segment of a stretch that a resolution ended.
 */
function segmentCtes(w: InsightsWindow): SQL {
  const org = w.organizationId;
  return sql`
  -- Issues that may have been open during the window: those open now (found through the status index) and those
  -- changed since it began (a resolution moves updatedAt, so every issue resolved inside the window is among them).
  cand as (
    select i."id", i."machineId", i."createdAt", p."name" as "priorityName", null::timestamp(3) as "closedAt"
    from "IssueStatus" s
    join "Issue" i on i."organizationId" = ${org} and i."statusId" = s."id"
    join "Priority" p on p."id" = i."priorityId"
    where s."organizationId" = ${org} and s."category" <> 'RESOLVED' and i."createdAt" < ${stamp(w.to)}
    union all
    select i."id", i."machineId", i."createdAt", p."name", coalesce(i."resolvedAt", i."updatedAt")
    from "Issue" i
    join "IssueStatus" s on s."id" = i."statusId"
    join "Priority" p on p."id" = i."priorityId"
    where i."organizationId" = ${org} and i."updatedAt" >= ${stamp(w.from)} and s."category" = 'RESOLVED'
      and i."createdAt" < ${stamp(w.to)} and coalesce(i."resolvedAt", i."updatedAt") >= ${stamp(w.from)}
  ),
  -- Each issue's own rows through IssueHistory_issueId_changedAt_idx: a lateral subquery kept apart by "offset 0"
  -- (pulled up into a join, it let the planner read the organization's whole history).
  ev as (
    select h."issueId", greatest(h."changedAt", c."createdAt") as "at", h."id" as "tie",
      case h."type" when 'RESOLVED' then false when 'REOPENED' then true end as "open",
      case when h."field" = 'priority' then coalesce(h."newValue", '') end as "prio",
      h."oldValue", h."field", h."changedAt", c."machineId"
    from cand c
    cross join lateral (select x."issueId", x."changedAt", x."id", x."type", x."field", x."newValue", x."oldValue"
      from "IssueHistory" x
      where x."issueId" = c."id" and x."organizationId" = ${org}
        and (x."type" in ('RESOLVED', 'REOPENED') or x."field" = 'priority')
      offset 0) h
  ),
  first_ev as (
    select "issueId",
      (array_agg("open" order by "changedAt", "tie") filter (where "open" is not null))[1] as "firstOpen",
      (array_agg(coalesce("oldValue", '') order by "changedAt", "tie") filter (where "field" = 'priority'))[1]
        as "firstPrioOld"
    from ev group by "issueId"
  ),
  pts as (
    select c."id" as "issueId", c."machineId", c."createdAt" as "at", 0 as "ord", '' as "tie",
      coalesce(not f."firstOpen", true) as "open",
      coalesce(f."firstPrioOld", c."priorityName") as "prio"
    from cand c left join first_ev f on f."issueId" = c."id"
    union all
    select e."issueId", c."machineId", e."at", 1, e."tie", e."open", e."prio"
    from ev e join cand c on c."id" = e."issueId"
    union all
    select c."id", c."machineId", greatest(c."closedAt", c."createdAt"), 2, '', false, null
    from cand c where c."closedAt" is not null
  ),
  grouped as (
    select *, count("open") over w as "og", count("prio") over w as "pg"
    from pts window w as (partition by "issueId" order by "at", "ord", "tie" rows unbounded preceding)
  ),
  filled as (
    select "issueId", "machineId", "at", "ord", "tie",
      first_value("open") over (partition by "issueId", "og" order by "at", "ord", "tie") as "open",
      first_value("prio") over (partition by "issueId", "pg" order by "at", "ord", "tie") as "prio"
    from grouped
  ),
  states as (
    select *,
      lead("at") over w as "next",
      lead("open") over w as "nextOpen",
      lag("open") over w as "prevOpen"
    from filled window w as (partition by "issueId" order by "at", "ord", "tie")
  ),
  runs as (
    select *, max(case when "open" and "prevOpen" is distinct from true then "at" end)
      over (partition by "issueId" order by "at", "ord", "tie" rows unbounded preceding) as "runStart"
    from states
  ),
  seg as (
    select r."issueId", r."machineId", r."at" as "start", coalesce(r."next", ${stamp(w.to)}) as "end",
      p."order", r."runStart", (r."next" is not null and r."nextOpen" = false) as "closesAfter"
    from runs r
    left join "Priority" p on p."organizationId" = ${org} and p."name" = r."prio"
    where r."open"
  )`;
}

export interface LevelTimeRow {
  machineId: string;
  /** A priority order, or ANY_OPEN_LEVEL. */
  level: number;
  /** Counted seconds in the window during which an open issue of order ≥ level existed. */
  seconds: number;
  /** When the current uninterrupted stretch at this level began (ISO), null when not active now. */
  activeSince: string | null;
}

export interface RepairRow {
  machineId: string;
  /** Open stretches that a resolution ended within the window. */
  repairs: number;
  /** Their total length in seconds (from the stretch's opening or reopening to its resolution). */
  repairSeconds: number;
  /** Issues reopened within the window. */
  reopened: number;
}

/**
 * From one rebuild of the issues' open stretches (the costly part: ~0.7 s at 200,000 issues, docs/benchmarks.md):
 * per machine and level how long it was "at least this bad" within the counted time and since when it is now, and per
 * machine the repairs finished in the window (for the mean time to resolve) and the reopenings.
 */
export async function listStretchFigures(
  db: DbOrTx,
  w: InsightsWindow,
): Promise<{ levels: LevelTimeRow[]; repairs: RepairRow[] }> {
  const org = w.organizationId;
  const result = await executeWithoutJit(
    db,
    sql`with ${segmentCtes(w)},
  levels as (
    select distinct "order" as "level" from "Priority" where "organizationId" = ${org}
    union select ${ANY_OPEN_LEVEL}::int
  ),
  counted as (${countedTime(w)}),
  -- Per machine and level, the open segments merged into islands of time during which at least one issue at that
  -- level or above was open (a segment starting before every earlier one of its group has ended joins their island).
  lv as (
    select s."machineId", l."level", s."start", s."end"
    from seg s join levels l on l."level" = ${ANY_OPEN_LEVEL} or l."level" <= s."order"
    where s."end" > s."start"
  ),
  marked as (
    select *, case when "start" <= max("end") over (partition by "machineId", "level" order by "start", "end"
      rows between unbounded preceding and 1 preceding) then 0 else 1 end as "opensIsland"
    from lv
  ),
  islands as (
    select "machineId", "level", min("start") as "s", max("end") as "e"
    from (select *, sum("opensIsland") over (partition by "machineId", "level" order by "start", "end"
      rows unbounded preceding) as "island" from marked) x
    group by "machineId", "level", "island"
  ),
  done as (
    select "machineId", count(*)::int as "repairs", sum(${seconds(sql`"runStart"`, sql`"end"`)}) as "repairSeconds"
    from seg where "closesAfter" and "end" >= ${stamp(w.from)} and "end" < ${stamp(w.to)}
    group by "machineId"
  ),
  reopened as (
    select "machineId", count(distinct "issueId")::int as "reopened" from ev
    where "open" and "changedAt" >= ${stamp(w.from)} and "changedAt" < ${stamp(w.to)}
    group by "machineId"
  )
  -- Islands of one machine and level are disjoint, and so are its counted spans: the sum of their overlaps is the
  -- counted time at that level. Joined per machine on merged islands (a few per machine), not per segment: joined to
  -- every segment, the planner (its row estimates of these CTEs far too low) once compared every stretch with every
  -- span of the organization, 48 s of 51 on the 200,000-issue bench organization.
  select 'level' as "kind", i."machineId", i."level",
    coalesce(sum(case when c."machineId" is not null
      then ${seconds(sql`greatest(i."s", c."from")`, sql`least(i."e", c."to")`)} end), 0) as "seconds",
    to_char(max(case when i."e" >= ${stamp(w.to)} then i."s" end), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "since",
    0 as "repairs", 0::float8 as "repairSeconds", 0 as "reopened"
  from islands i
  left join counted c on c."machineId" = i."machineId" and c."from" < i."e" and c."to" > i."s"
  group by i."machineId", i."level"
  union all
  select 'repair', coalesce(d."machineId", r."machineId"), null, 0, null, coalesce(d."repairs", 0),
    coalesce(d."repairSeconds", 0), coalesce(r."reopened", 0)
  from done d full join reopened r on r."machineId" = d."machineId"`,
  );
  const levels: LevelTimeRow[] = [];
  const repairs: RepairRow[] = [];
  for (const r of rowsOf(result)) {
    if (r.kind === "level")
      levels.push({
        machineId: String(r.machineId),
        level: Number(r.level),
        seconds: Number(r.seconds),
        activeSince: r.since == null ? null : String(r.since),
      });
    else
      repairs.push({
        machineId: String(r.machineId),
        repairs: Number(r.repairs),
        repairSeconds: Number(r.repairSeconds),
        reopened: Number(r.reopened),
      });
  }
  return { levels, repairs };
}

export interface ResponseRow {
  /** "machine", "location" or "organization" (the grouping set the row belongs to). */
  scope: "machine" | "location" | "organization";
  machineId: string | null;
  locationId: string | null;
  /** Issues created in the window. */
  issues: number;
  /** Of those, how many got a first response from a member. */
  answered: number;
  /** Median seconds from creation to the first response, null without any. */
  medianResponseSeconds: number | null;
}

/**
 * The history rows that are a member's response to an issue: a comment, an assignment or a status change by a
 * signed-in member of the organization (reports and system rows are not).
 */
const RESPONSE_TYPES = sql`('COMMENTED', 'ASSIGNED', 'STATUS_CHANGED', 'RESOLVED', 'REOPENED')`;

/** Issues created in the window and the median time to their first response, per machine, location and overall. */
export async function listResponses(db: DbOrTx, w: InsightsWindow): Promise<ResponseRow[]> {
  const org = w.organizationId;
  // The first response walks the issue's history in time order (IssueHistory_issueId_changedAt_idx) and stops at the
  // first member's row; a min() over a join read every row of every issue (145 ms against 30 ms over 30 days at
  // 200,000 issues).
  const result = await executeWithoutJit(
    db,
    sql`with created as (
    select i."id", i."machineId", m."locationId", i."createdAt", f."at" as "firstAt"
    from "Issue" i join "Machine" m on m."id" = i."machineId"
    left join lateral (
      select h."changedAt" as "at" from "IssueHistory" h
      where h."issueId" = i."id" and h."organizationId" = ${org} and h."type" in ${RESPONSE_TYPES}
        and exists (select 1 from "Membership" ms where ms."userId" = h."actorId" and ms."organizationId" = ${org})
      order by h."changedAt" limit 1) f on true
    where i."organizationId" = ${org} and i."createdAt" >= ${stamp(w.from)} and i."createdAt" < ${stamp(w.to)}
  )
  select grouping("machineId") as "gm", grouping("locationId") as "gl", "machineId", "locationId",
    count(*)::int as "issues", count("firstAt")::int as "answered",
    percentile_cont(0.5) within group (order by greatest(0, ${seconds(sql`"createdAt"`, sql`"firstAt"`)})) as "median"
  from created
  group by grouping sets (("machineId", "locationId"), ("locationId"), ())`,
  );
  return rowsOf(result).map((r) => ({
    scope: Number(r.gm) === 0 ? "machine" : Number(r.gl) === 0 ? "location" : "organization",
    machineId: r.machineId == null || Number(r.gm) !== 0 ? null : String(r.machineId),
    locationId: r.locationId == null || Number(r.gl) !== 0 ? null : String(r.locationId),
    issues: Number(r.issues),
    answered: Number(r.answered),
    medianResponseSeconds: r.median == null ? null : Number(r.median),
  }));
}

export interface RepeatRow {
  machineId: string;
  /** The normalized title shared by the issues. */
  key: string;
  /** The most recent of their titles, as written. */
  title: string;
  issues: number;
  lastAt: Date;
}

/**
 * Titles that came back on the same machine within the window: issues whose titles are equal once lower-cased with
 * everything but letters and digits squeezed to single spaces ("Left flipper weak!" = "left flipper  weak").
 */
export async function listRepeatTitles(db: DbOrTx, w: InsightsWindow, limit: number): Promise<RepeatRow[]> {
  const result = await db.execute(sql`select "machineId", "key", count(*)::int as "issues",
      (array_agg("title" order by "createdAt" desc))[1] as "title",
      to_char(max("createdAt"), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastAt"
    from (select i."machineId", i."title", i."createdAt",
        btrim(regexp_replace(lower(i."title"), '[^[:alnum:]]+', ' ', 'g')) as "key"
      from "Issue" i
      where i."organizationId" = ${w.organizationId} and i."createdAt" >= ${stamp(w.from)}
        and i."createdAt" < ${stamp(w.to)}) t
    where "key" <> ''
    group by "machineId", "key" having count(*) > 1
    order by count(*) desc, max("createdAt") desc, "machineId", "key"
    limit ${limit}`);
  return rowsOf(result).map((r) => ({
    machineId: String(r.machineId),
    key: String(r.key),
    title: String(r.title),
    issues: Number(r.issues),
    lastAt: new Date(String(r.lastAt)),
  }));
}

export interface InsightsMachineRow {
  id: string;
  name: string;
  locationId: string;
  locationName: string;
  openIssueCount: number;
  maxOpenPriorityOrder: number | null;
  /** Seconds of the window during which the machine's time counts (countedTime). */
  countedSeconds: number;
}

/**
 * Every machine of the organization (optionally of one location) with the numbers of the status rule now and the
 * length of its counted time in the window.
 */
export async function listInsightsMachines(
  db: DbOrTx,
  w: InsightsWindow,
  locationId: string | null,
): Promise<InsightsMachineRow[]> {
  const org = w.organizationId;
  const result = await db.execute(sql`with counted as (${countedTime(w)}),
    counted_sum as (select "machineId", sum(greatest(0, ${seconds(sql`"from"`, sql`"to"`)})) as "seconds"
      from counted group by "machineId")
    select m."id", m."name", l."id" as "locationId", l."name" as "locationName",
      coalesce(o."openCount", 0) as "openCount", o."maxOrder", coalesce(c."seconds", 0) as "countedSeconds"
    from "Machine" m join "Location" l on l."id" = m."locationId"
    left join (select i."machineId", count(*)::int as "openCount", max(p."order") as "maxOrder"
      from "Issue" i join "IssueStatus" s on s."id" = i."statusId" join "Priority" p on p."id" = i."priorityId"
      where i."organizationId" = ${org} and s."category" <> 'RESOLVED' group by i."machineId") o
      on o."machineId" = m."id"
    left join counted_sum c on c."machineId" = m."id"
    where m."organizationId" = ${org}
      ${locationId ? sql`and m."locationId" = ${locationId}` : sql``}
    order by l."name", l."id", m."name", m."id"`);
  return rowsOf(result).map((r) => ({
    id: String(r.id),
    name: String(r.name),
    locationId: String(r.locationId),
    locationName: String(r.locationName),
    openIssueCount: Number(r.openCount),
    maxOpenPriorityOrder: r.maxOrder == null ? null : Number(r.maxOrder),
    countedSeconds: Number(r.countedSeconds),
  }));
}
