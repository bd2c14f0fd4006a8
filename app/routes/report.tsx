/**
 * "Report a problem": pick the machine (grouped by location, model as subtitle), then report on its page. The search
 * is a plain GET form, so it works without JavaScript. `?machineId=` (old links) goes straight to the machine. A
 * sticker this organization does not know leads here too, with a notice (app/routes/qr.$code.ts).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SearchInput } from "~/components/form";
import { requirePermission } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { idParam } from "~/lib/ids";
import { isUnknownQrNotice } from "~/lib/qr.server";
import { loadReportPicker } from "~/use-cases/public.server";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction = () => [{ title: "Report a problem · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:view");
  const url = new URL(args.request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const machineId = idParam(url.searchParams.get("machineId"));
  const page = await runLoader(() => loadReportPicker(actor, { q, machineId }));
  if (page.goTo !== null) throw redirect(`/m/${encodeURIComponent(page.goTo)}`);
  return pageData({
    q,
    groups: page.groups,
    total: page.total,
    organizationName: page.organizationName,
    unknownQr: isUnknownQrNotice(url.searchParams),
  });
}

export default function ReportPicker() {
  const { q, groups, total, organizationName, unknownQr } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Report a problem</h1>
        <p className="text-slate-700">
          Which machine?
          {/* After a sticker that did not work, the notice below says what to do instead. */}
          {unknownQr ? null : ` Tip: the QR sticker on the machine at ${organizationName} takes you straight there.`}
        </p>
      </header>
      {unknownQr ? (
        <p id="unknown-qr" className="card border-amber-300 bg-amber-50 text-slate-800">
          <strong>We don’t recognise this QR code.</strong> The sticker may be old or from another venue. You can still
          report the problem: pick the machine below.
        </p>
      ) : null}
      <form method="get" role="search" className="flex gap-2">
        <SearchInput
          id="machine-search"
          label="Search machines"
          defaultValue={q}
          placeholder="Search by name or maker"
          autoComplete="off"
        />
        <button type="submit" className="btn-primary min-h-11">
          Search
        </button>
      </form>
      {q ? (
        <p className="text-sm text-slate-600" role="status">
          {total} {total === 1 ? "machine matches" : "machines match"} “{q}”. <a href="/report">Show all</a>
        </p>
      ) : null}
      {groups.length === 0 ? (
        <p className="card text-slate-700">
          {q ? "No machine matches your search. Try another word." : "There are no machines here yet."}
        </p>
      ) : (
        groups.map((g) => (
          <section key={g.id} aria-labelledby={`loc-${g.id}`} className="space-y-2">
            <h2 id={`loc-${g.id}`} className="text-lg font-semibold">
              <span aria-hidden="true">📍</span> {g.name}
            </h2>
            <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
              {g.machines.map((m) => (
                <li key={m.id}>
                  <a
                    href={`/m/${m.id}`}
                    className="flex min-h-11 flex-col px-4 py-3 text-slate-900 no-underline hover:bg-indigo-50 focus-visible:bg-indigo-50"
                  >
                    <span className="font-medium">{m.name}</span>
                    {m.subtitle ? <span className="text-sm text-slate-600">{m.subtitle}</span> : null}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
