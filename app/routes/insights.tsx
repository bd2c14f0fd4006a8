/**
 * /insights — reliability for members: downtime, uptime, mean time to resolve, first response, issues per machine
 * and repeat offenders over 30, 90 or 365 days, for the organization, each location and each machine
 * (app/use-cases/insights.server.ts). Filters are query parameters of a GET form; the charts are SVG drawn here with
 * a table of their numbers beside them; no client JavaScript. /insights.csv has the same figures.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDuration, toHours } from "../../core/reliability";
import { BarChart } from "~/components/insights/bar-chart";
import { InsightsFilters, MachineTable, RepeatOffenders, SummaryCards } from "~/components/insights/figures";
import type { InsightsView } from "~/components/insights/types";
import { TitleBar } from "~/components/list-page";
import { requireMember } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { dateFormatterFor } from "~/lib/format";
import type { PageHandle } from "~/lib/page-handle";
import { loadInsights, readInsightsQuery } from "~/use-cases/insights.server";
import { pageData, usePageData } from "~/lib/page-data";

export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction = () => [{ title: "Reliability · PinPoint" }];

const TOP = 10;

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args, "issue:view");
  const query = readInsightsQuery(new URL(args.request.url).searchParams);
  const now = new Date();
  const page = await runLoader(() => loadInsights(actor, query, now));
  const dates = dateFormatterFor(actor.organization);
  const params = new URLSearchParams({ period: String(page.query.period) });
  if (page.query.location) params.set("location", page.query.location);
  const view: InsightsView & { asOf: string; fromText: string; unknownLocation: boolean } = {
    query: page.query,
    locations: page.locations,
    total: page.total,
    machines: page.machines.map((m) => ({
      ...m,
      downSinceText: m.downSince ? formatDuration((now.getTime() - Date.parse(m.downSince)) / 1000) : null,
    })),
    repeats: page.repeats.map((r) => ({ ...r, lastText: dates.date(r.lastAt) })),
    reopenedMachines: page.machines
      .filter((m) => m.reopened > 0)
      .map((m) => ({ id: m.id, name: m.name, reopened: m.reopened })),
    csvHref: `/insights.csv?${params.toString()}`,
    asOf: dates.dateTime(page.to),
    fromText: dates.dateTime(page.from),
    unknownLocation: page.unknownLocation,
  };
  return pageData({ ...view, byLocation: page.byLocation });
}

const hours = (seconds: number) => `${toHours(seconds) ?? 0} h`;

export default function InsightsPage() {
  const d = usePageData(useLoaderData<typeof loader>());
  const worst = [...d.machines]
    .filter((m) => m.downSeconds + m.degradedSeconds > 0)
    .sort((a, b) => b.downSeconds - a.downSeconds || b.degradedSeconds - a.degradedSeconds)
    .slice(0, TOP);
  const busiest = [...d.machines]
    .filter((m) => m.issues > 0)
    .sort((a, b) => b.issues - a.issues)
    .slice(0, TOP);
  const locationName = d.locations.find((l) => l.id === d.query.location)?.name;
  return (
    <div className="space-y-6">
      <TitleBar title="Reliability" />
      <p className="text-slate-700">
        {locationName ? `${locationName}, ` : "All locations, "}
        from {d.fromText} to {d.asOf}. A machine is <strong>down</strong> while it has an open issue of the most severe
        priority and <strong>degraded</strong> while it has other open issues, the same rule as the status page; uptime
        is the time it was not down.
      </p>
      {d.unknownLocation ? (
        <p role="status" className="card text-slate-700">
          That location was not found here, so all locations are shown.
        </p>
      ) : null}
      <InsightsFilters d={d} />
      <SummaryCards d={d} />
      <BarChart
        id="uptime-by-location"
        title="Uptime by location"
        description={`Horizontal bars, one per location, showing the share of time its machines were not down over the last ${d.query.period} days, from 0 to 100 percent.`}
        bars={d.byLocation.map((l) => ({
          label: l.name,
          segments: [{ key: "uptime", value: l.uptimePercent ?? 0 }],
        }))}
        series={[{ key: "uptime", label: "Uptime", fill: "#15803d" }]}
        max={100}
        format={(v) => `${v.toFixed(1)} %`}
        empty={<p>There are no locations with machines yet.</p>}
      />
      <BarChart
        id="downtime-by-machine"
        title={`Machines with the most downtime (top ${TOP})`}
        description={`Stacked horizontal bars, one per machine, of hours down and hours degraded over the last ${d.query.period} days, longest downtime first.`}
        bars={worst.map((m) => ({
          label: m.name,
          segments: [
            { key: "down", value: m.downSeconds },
            { key: "degraded", value: m.degradedSeconds },
          ],
        }))}
        series={[
          { key: "down", label: "Down", fill: "#b91c1c" },
          { key: "degraded", label: "Degraded", fill: "#b45309" },
        ]}
        format={hours}
        empty={<p>No machine was down or degraded in this period.</p>}
      />
      <BarChart
        id="issues-by-machine"
        title={`Machines with the most new issues (top ${TOP})`}
        description={`Horizontal bars, one per machine, of the issues reported in the last ${d.query.period} days, most first.`}
        bars={busiest.map((m) => ({ label: m.name, segments: [{ key: "issues", value: m.issues }] }))}
        series={[{ key: "issues", label: "New issues", fill: "#4338ca" }]}
        format={(v) => String(v)}
        empty={<p>No issues were reported in this period.</p>}
      />
      <section aria-labelledby="machines-heading" className="space-y-3">
        <h2 id="machines-heading" className="text-lg font-semibold">
          Every machine
        </h2>
        <MachineTable d={d} />
      </section>
      <RepeatOffenders d={d} />
    </div>
  );
}
