/** Locations of the organization with machine and open-issue counts. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/lib/access.server";
import { listLocationsWithCounts } from "../../db/queries/locations";

export const meta: MetaFunction = () => [{ title: "Locations · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "location:view");
  return {
    locations: await listLocationsWithCounts(access.db, access.organizationId),
    canCreate: access.can("location:edit") || access.can("location:create"),
  };
}

export default function Locations() {
  const { locations, canCreate } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Locations</h1>
        {canCreate ? (
          <Link to="/locations/new" className="btn-primary">
            Add a location
          </Link>
        ) : null}
      </div>
      {locations.length === 0 ? (
        <div className="card space-y-2 text-slate-700">
          <p>There are no locations yet.</p>
          {canCreate ? <p>Add your first venue, then add its machines.</p> : null}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Locations with their machine and open issue counts</caption>
            <thead className="bg-slate-50 text-left">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  City
                </th>
                <th scope="col" className="px-4 py-2 text-right font-semibold">
                  Machines
                </th>
                <th scope="col" className="px-4 py-2 text-right font-semibold">
                  Open issues
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {locations.map((l) => (
                <tr key={l.id}>
                  <td className="px-4 py-3">
                    <Link to={`/locations/${l.id}`} className="font-medium">
                      {l.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3 text-slate-700">{[l.city, l.state].filter(Boolean).join(", ") || "—"}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{l.machineCount}</td>
                  <td className="px-4 py-3 text-right tabular-nums">{l.openIssueCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
