/**
 * Machines: search and filters (location, model, manufacturer, owner, status) as a GET form, pagination. Members
 * see owners and open the member detail page; other visitors (machine:view from the Unauthenticated role) see the
 * public list without owners and open the public machine page.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field, SelectField } from "~/components/form";
import { DataTable, TitleBar } from "~/components/list-page";
import { MachineStatusBadge } from "~/components/machine-status";
import { CollectionOptions, MachineStatusOptions, NameOptions } from "~/components/options";
import { Pagination } from "~/components/pagination";
import { requirePermission } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { loadMachineList } from "~/use-cases/machines.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Machines · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:view");
  const url = new URL(args.request.url);
  const list = await runLoader(() =>
    loadMachineList(actor, {
      q: url.searchParams.get("q"),
      location: url.searchParams.get("location"),
      model: url.searchParams.get("model"),
      manufacturer: url.searchParams.get("manufacturer"),
      owner: url.searchParams.get("owner"),
      status: url.searchParams.get("status"),
      collection: url.searchParams.get("collection"),
      page: url.searchParams.get("page"),
    }),
  );
  return pageData(list);
}

export default function Machines() {
  const d = usePageData(useLoaderData<typeof loader>());
  const filtered = Object.values(d.filters).some(Boolean);
  return (
    <div className="space-y-6">
      <TitleBar title="Machines">
        {d.canCreate ? (
          <a href="/machines/new" className="btn-primary">
            Add a machine
          </a>
        ) : null}
      </TitleBar>

      <form
        method="get"
        role="search"
        aria-label="Filter machines"
        className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
      >
        <Field
          id="f-q"
          className="sm:col-span-2 lg:col-span-4"
          label="Search"
          name="q"
          type="search"
          defaultValue={d.filters.q}
          maxLength={100}
          placeholder="Name, model, maker or location"
        />
        <SelectField id="f-location" label="Location" name="location" defaultValue={d.filters.location}>
          <option value="">All locations</option>
          <NameOptions items={d.options.locations} />
        </SelectField>
        <SelectField id="f-model" label="Model" name="model" defaultValue={d.filters.model}>
          <option value="">All models</option>
          {d.options.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.machineCount})
            </option>
          ))}
        </SelectField>
        <SelectField id="f-manufacturer" label="Manufacturer" name="manufacturer" defaultValue={d.filters.manufacturer}>
          <option value="">All manufacturers</option>
          {d.options.manufacturers.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <SelectField id="f-collection" label="Collection" name="collection" defaultValue={d.filters.collection}>
          <option value="">All collections</option>
          <CollectionOptions collections={d.options.collections} />
        </SelectField>
        <SelectField id="f-status" label="Status" name="status" defaultValue={d.filters.status}>
          <option value="">Any status</option>
          <MachineStatusOptions />
        </SelectField>
        {d.isMember ? (
          <SelectField id="f-owner" label="Owner" name="owner" defaultValue={d.filters.owner}>
            <option value="">Anyone</option>
            <option value="none">No owner</option>
            <NameOptions items={d.options.owners} />
          </SelectField>
        ) : null}
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
          <button type="submit" className="btn-primary">
            Apply filters
          </button>
          {filtered ? (
            <a href="/machines" className="btn-secondary">
              Clear
            </a>
          ) : null}
        </div>
      </form>

      {d.rows.length === 0 ? (
        <div className="card text-slate-700">
          {filtered ? (
            <p>No machine matches these filters.</p>
          ) : (
            <p>No machines yet.{d.canCreate ? " Add your first machine to print its QR sticker." : ""}</p>
          )}
        </div>
      ) : (
        <DataTable
          caption="Machines"
          columns={[
            { label: "Machine" },
            { label: "Status" },
            { label: "Location" },
            d.isMember && { label: "Owner" },
            { label: "Open issues", numeric: true },
          ]}
        >
          {d.rows.map((m) => (
            <tr key={m.id}>
              <td className="px-4 py-3">
                <a href={d.isMember ? `/machines/${m.id}` : `/m/${m.id}`} className="font-medium">
                  {m.name}
                </a>
                <span className="block text-xs text-slate-600">
                  {[m.modelName !== m.name ? m.modelName : null, m.maker].filter(Boolean).join(" · ")}
                </span>
              </td>
              <td className="px-4 py-3">
                <MachineStatusBadge status={m.status} />
              </td>
              <td className="px-4 py-3 text-slate-700">{m.locationName}</td>
              {d.isMember ? <td className="px-4 py-3 text-slate-700">{m.ownerName ?? "—"}</td> : null}
              <td className="px-4 py-3 text-right tabular-nums">{m.openIssueCount}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={d.page} pageSize={d.pageSize} total={d.total} label="Machine pages" />
    </div>
  );
}
