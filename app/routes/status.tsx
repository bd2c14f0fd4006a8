/**
 * /status: the venue status board. Every machine grouped by location with playable / degraded / down (the public
 * machine page's rule, core/machine-status.ts), and for visitors who may see issues the open-problem count and the
 * last update. It reloads itself every minute with a meta refresh (no JavaScript needed); `?tv=1` is large type in
 * high contrast for a screen across the room. The same data for other sites: app/routes/status[.]json.ts.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BoardLegend, BoardLocations, BoardTotals } from "~/components/status-board/status-board";
import { requirePermission } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import type { PageHandle } from "~/lib/page-handle";
import { dateFormatterFor } from "~/lib/format";
import { loadStatusBoard } from "~/use-cases/status-board.server";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

const REFRESH_SECONDS = 60;

// A public page for phones and TVs: plain HTML that refreshes itself (docs/decisions/032).
export const handle: PageHandle = { scripts: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [
    { title: d ? `Machine status · ${d.organizationName}` : "Machine status · PinPoint" },
    { name: "description", content: "Which machines are playable right now." },
    { httpEquiv: "refresh", content: String(REFRESH_SECONDS) },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  // The same permission as a machine's public page (app/routes/m.$machineId.tsx).
  const actor = await requirePermission(args, "machine:view");
  const tv = new URL(args.request.url).searchParams.get("tv") === "1";
  const board = await runLoader(() => loadStatusBoard(actor));
  return pageData({ ...board, tv, updatedAt: dateFormatterFor(actor.organization).dateTime(board.generatedAt) });
}

export default function StatusBoardPage() {
  const d = usePageData(useLoaderData<typeof loader>());
  const { tv } = d;
  const empty = d.locations.length === 0;
  return (
    <div
      data-tv={tv ? "1" : "0"}
      className={tv ? "-mx-4 -my-6 space-y-8 bg-slate-950 px-6 py-8 text-slate-50" : "space-y-6"}
    >
      <header className="space-y-2">
        <h1 className={tv ? "text-6xl font-bold leading-tight" : "text-2xl font-bold sm:text-3xl"}>
          {d.organizationName}: machine status
        </h1>
        <p className={tv ? "text-2xl text-slate-200" : "text-sm text-slate-700"}>
          As of <time dateTime={d.generatedAt}>{d.updatedAt}</time>. This page updates itself every minute.
        </p>
        <p className={tv ? "text-xl" : "text-sm"}>
          {tv ? (
            <a href="/status" className="text-slate-50 underline">
              Normal size
            </a>
          ) : (
            <a href="/status?tv=1">Large type for a TV screen</a>
          )}
        </p>
      </header>

      {d.totals.machines > 0 ? <BoardTotals totals={d.totals} tv={tv} /> : null}

      {empty ? (
        <p className={tv ? "text-3xl" : "card text-slate-700"}>
          {d.showsEmptyLocations ? "This venue has no locations yet." : "No machines to show yet."}
        </p>
      ) : d.totals.machines === 0 ? (
        <p className={tv ? "text-3xl" : "card text-slate-700"}>No machines on the floor yet.</p>
      ) : null}

      {!empty ? (
        <BoardLocations
          locations={d.locations}
          tv={tv}
          canViewIssues={d.canViewIssues}
          windowDays={d.lastUpdateWindowDays}
        />
      ) : null}

      {d.truncated ? (
        <p className={tv ? "text-2xl" : "text-sm text-slate-700"}>Only the first 1,000 machines are shown.</p>
      ) : null}

      <BoardLegend tv={tv} canViewIssues={d.canViewIssues} windowDays={d.lastUpdateWindowDays} />
    </div>
  );
}
