/** Locations of the organization with machine and open-issue counts. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DataTable, TitleBar } from "~/components/list-page";
import { requirePermission } from "~/lib/access.server";
import { canCreateLocation, listLocations } from "~/use-cases/locations.server";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction = () => [{ title: "Locations · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "location:view");
  return pageData({
    locations: await listLocations(access),
    canCreate: canCreateLocation(access),
  });
}

export default function Locations() {
  const { locations, canCreate } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="space-y-6">
      <TitleBar title="Locations">
        {canCreate ? (
          <a href="/locations/new" className="btn-primary">
            Add a location
          </a>
        ) : null}
      </TitleBar>
      {locations.length === 0 ? (
        <div className="card space-y-2 text-slate-700">
          <p>There are no locations yet.</p>
          {canCreate ? <p>Add your first venue, then add its machines.</p> : null}
        </div>
      ) : (
        <DataTable
          caption="Locations with their machine and open issue counts"
          columns={[
            { label: "Name" },
            { label: "City" },
            { label: "Machines", numeric: true },
            { label: "Open issues", numeric: true },
          ]}
        >
          {locations.map((l) => (
            <tr key={l.id}>
              <td className="px-4 py-3">
                <a href={`/locations/${l.id}`} className="font-medium">
                  {l.name}
                </a>
              </td>
              <td className="px-4 py-3 text-slate-700">{[l.city, l.state].filter(Boolean).join(", ") || "—"}</td>
              <td className="px-4 py-3 text-right tabular-nums">{l.machineCount}</td>
              <td className="px-4 py-3 text-right tabular-nums">{l.openIssueCount}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
