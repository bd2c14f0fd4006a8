/**
 * Organization home (public): locations with machine and open-issue counts, and every machine with its status
 * (playable / degraded / down) and a text + status filter (GET form, works without JavaScript).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MachineStatusBadge } from "~/components/machine-status";
import { MachineStatusOptions } from "~/components/options";
import { Pagination } from "~/components/pagination";
import { TitledSection } from "~/components/titled-section";
import { getAccess } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { loadHomePage } from "~/use-cases/public.server";
import { isMachineStatus } from "../../core/machine-status";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [{ title: d ? `${d.organizationName} · PinPoint` : "PinPoint" }];
};

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  const url = new URL(args.request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const statusParam = url.searchParams.get("status");
  const status = isMachineStatus(statusParam) ? statusParam : undefined;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const home = await runLoader(() => loadHomePage(actor, { q, status, page }));
  return pageData({ ...home, q, status: status ?? "" });
}

export default function Home() {
  const d = usePageData(useLoaderData<typeof loader>());
  const multipleLocations = d.locations.length > 1;
  return (
    <div className="space-y-8">
      <section className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold sm:text-3xl">{d.organizationName}</h1>
          <p className="mt-1 text-slate-700">Something wrong with a machine? Scan its QR sticker, or pick it below.</p>
        </div>
        {d.canReport ? (
          <a href="/report" className="btn-primary min-h-11 self-start text-base sm:self-auto">
            Report a problem
          </a>
        ) : null}
      </section>

      {d.canLocations ? (
        <TitledSection headingId="locations-heading" title="Locations" className="space-y-3">
          {d.locations.length === 0 ? (
            <p className="card text-slate-700">No locations yet.</p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {d.locations.map((l) => (
                <li key={l.id} className="card">
                  <a href={`/locations/${l.id}`} className="text-base font-semibold">
                    {l.name}
                  </a>
                  {l.city ? (
                    <p className="text-sm text-slate-600">
                      {l.city}
                      {l.state ? `, ${l.state}` : ""}
                    </p>
                  ) : null}
                  <p className="mt-2 text-sm text-slate-800">
                    {l.machineCount} {l.machineCount === 1 ? "machine" : "machines"} ·{" "}
                    {l.openIssueCount === 0
                      ? "no open issues"
                      : `${l.openIssueCount} open ${l.openIssueCount === 1 ? "issue" : "issues"}`}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </TitledSection>
      ) : null}

      {d.machines ? (
        <TitledSection headingId="machines-heading" title="Machines" className="space-y-3">
          <form method="get" role="search" className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <div className="flex-1">
              <label htmlFor="home-q" className="label">
                Filter machines
              </label>
              <input
                id="home-q"
                name="q"
                type="search"
                defaultValue={d.q}
                maxLength={100}
                placeholder="Name, maker or location"
                className="input"
              />
            </div>
            <div>
              <label htmlFor="home-status" className="label">
                Status
              </label>
              <select id="home-status" name="status" defaultValue={d.status} className="input">
                <option value="">Any status</option>
                <MachineStatusOptions />
              </select>
            </div>
            <button type="submit" className="btn-secondary min-h-11">
              Filter
            </button>
          </form>
          {d.q || d.status ? (
            <p className="text-sm text-slate-600" role="status">
              {d.machines.total} {d.machines.total === 1 ? "machine" : "machines"} found. <a href="/">Clear filter</a>
            </p>
          ) : null}
          {d.machines.rows.length === 0 ? (
            <p className="card text-slate-700">
              {d.q || d.status ? "No machine matches this filter." : "No machines yet."}
            </p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {d.machines.rows.map((m) => (
                <li key={m.id}>
                  <a
                    href={`/m/${m.id}`}
                    className="card flex h-full flex-col gap-1 text-slate-900 no-underline hover:border-indigo-300 hover:bg-indigo-50"
                  >
                    <span className="flex items-start justify-between gap-2">
                      <span className="font-semibold">{m.name}</span>
                      <MachineStatusBadge status={m.status} />
                    </span>
                    {m.subtitle ? <span className="text-sm text-slate-600">{m.subtitle}</span> : null}
                    <span className="mt-auto pt-1 text-sm text-slate-700">
                      {multipleLocations ? `${m.locationName} · ` : ""}
                      {m.openIssueCount === 0
                        ? "No open issues"
                        : `${m.openIssueCount} open ${m.openIssueCount === 1 ? "issue" : "issues"}`}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
          <Pagination
            page={d.machines.page}
            pageSize={d.machines.pageSize}
            total={d.machines.total}
            label="Machine pages"
          />
        </TitledSection>
      ) : null}
      {!d.canLocations && !d.machines ? (
        <p className="card text-slate-700">
          <a href="/login">Sign in</a> to see this organization’s machines.
        </p>
      ) : null}
    </div>
  );
}
