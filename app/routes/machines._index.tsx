/**
 * Machines: search and filters (location, model, manufacturer, owner, status) as a GET form, pagination. Members
 * see owners and open the member detail page; other visitors (machine:view from the Unauthenticated role) see the
 * public list without owners and open the public machine page.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DataTable, TitleBar } from "~/components/list-page";
import { MachineStatusBadge } from "~/components/machine-status";
import { Pagination } from "~/components/pagination";
import { requirePermission } from "~/lib/access.server";
import { MACHINE_STATUS_LABEL, deriveMachineStatus, isMachineStatus } from "../../core/machine-status";
import { listLocationOptions } from "../../db/queries/locations.server";
import { listMachines, listOwnerOptions } from "../../db/queries/machines.server";
import { listCollectionMachineIds, listCollectionsForFilter } from "../../db/queries/collections.server";
import { listManufacturersInUse, listModelsInUse } from "../../db/queries/models.server";

export const meta: MetaFunction = () => [{ title: "Machines · PinPoint" }];

const PAGE_SIZE = 25;

function param(url: URL, key: string, max = 64): string | undefined {
  const v = url.searchParams.get(key)?.trim();
  return v && v.length <= max ? v : undefined;
}

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "machine:view");
  const { db, organizationId } = access;
  const isMember = Boolean(access.membership);
  const url = new URL(args.request.url);
  const statusParam = url.searchParams.get("status");
  const collectionId = param(url, "collection");
  const machineIds = collectionId ? await listCollectionMachineIds(db, organizationId, collectionId) : undefined;
  const filters = {
    q: (url.searchParams.get("q") ?? "").trim().slice(0, 100),
    locationId: param(url, "location"),
    modelId: param(url, "model"),
    manufacturer: param(url, "manufacturer", 200),
    ownerId: isMember ? param(url, "owner") : undefined,
    status: isMachineStatus(statusParam) ? statusParam : undefined,
    machineIds,
    page: Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1)),
    pageSize: PAGE_SIZE,
  };
  const [result, locations, models, manufacturers, owners, collections] = await Promise.all([
    listMachines(db, organizationId, filters),
    listLocationOptions(db, organizationId),
    listModelsInUse(db, organizationId),
    listManufacturersInUse(db, organizationId),
    isMember ? listOwnerOptions(db, organizationId) : Promise.resolve([]),
    listCollectionsForFilter(db, organizationId),
  ]);
  return {
    isMember,
    canCreate: access.can("machine:edit") || access.can("machine:create"),
    filters: {
      q: filters.q,
      location: filters.locationId ?? "",
      model: filters.modelId ?? "",
      manufacturer: filters.manufacturer ?? "",
      owner: filters.ownerId ?? "",
      status: filters.status ?? "",
      collection: collectionId ?? "",
    },
    options: {
      locations,
      models: models.map((m) => ({ id: m.id, name: m.name, machineCount: Number(m.machineCount) })),
      manufacturers,
      owners,
      collections,
    },
    total: result.total,
    page: result.page,
    pageSize: result.pageSize,
    rows: result.rows.map((m) => ({
      id: m.id,
      name: m.name,
      modelName: m.modelName,
      maker: [m.manufacturer, m.year].filter(Boolean).join(" "),
      locationName: m.locationName,
      ownerName: isMember ? m.ownerName : null,
      openIssueCount: m.openIssueCount,
      status: deriveMachineStatus({ openIssueCount: m.openIssueCount, maxOpenPriorityOrder: m.maxOpenPriorityOrder, topPriorityOrder: result.topPriorityOrder }),
    })),
  };
}

export default function Machines() {
  const d = useLoaderData<typeof loader>();
  const filtered = Object.values(d.filters).some(Boolean);
  return (
    <div className="space-y-6">
      <TitleBar title="Machines">
        {d.canCreate ? (
          <Link to="/machines/new" className="btn-primary">
            Add a machine
          </Link>
        ) : null}
      </TitleBar>

      <Form method="get" role="search" aria-label="Filter machines" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="sm:col-span-2 lg:col-span-4">
          <label htmlFor="f-q" className="label">
            Search
          </label>
          <input id="f-q" name="q" type="search" defaultValue={d.filters.q} maxLength={100} className="input" placeholder="Name, model, maker or location" />
        </div>
        <div>
          <label htmlFor="f-location" className="label">
            Location
          </label>
          <select id="f-location" name="location" defaultValue={d.filters.location} className="input">
            <option value="">All locations</option>
            {d.options.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-model" className="label">
            Model
          </label>
          <select id="f-model" name="model" defaultValue={d.filters.model} className="input">
            <option value="">All models</option>
            {d.options.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.machineCount})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-manufacturer" className="label">
            Manufacturer
          </label>
          <select id="f-manufacturer" name="manufacturer" defaultValue={d.filters.manufacturer} className="input">
            <option value="">All manufacturers</option>
            {d.options.manufacturers.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-collection" className="label">
            Collection
          </label>
          <select id="f-collection" name="collection" defaultValue={d.filters.collection} className="input">
            <option value="">All collections</option>
            {d.options.collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.typeLabel}: {c.name} ({c.machineCount})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-status" className="label">
            Status
          </label>
          <select id="f-status" name="status" defaultValue={d.filters.status} className="input">
            <option value="">Any status</option>
            <option value="playable">{MACHINE_STATUS_LABEL.playable}</option>
            <option value="degraded">{MACHINE_STATUS_LABEL.degraded}</option>
            <option value="down">{MACHINE_STATUS_LABEL.down}</option>
          </select>
        </div>
        {d.isMember ? (
          <div>
            <label htmlFor="f-owner" className="label">
              Owner
            </label>
            <select id="f-owner" name="owner" defaultValue={d.filters.owner} className="input">
              <option value="">Anyone</option>
              <option value="none">No owner</option>
              {d.options.owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
          <button type="submit" className="btn-primary">
            Apply filters
          </button>
          {filtered ? (
            <Link to="/machines" className="btn-secondary">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

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
          columns={[{ label: "Machine" }, { label: "Status" }, { label: "Location" }, d.isMember && { label: "Owner" }, { label: "Open issues", numeric: true }]}
        >
          {d.rows.map((m) => (
            <tr key={m.id}>
              <td className="px-4 py-3">
                <Link to={d.isMember ? `/machines/${m.id}` : `/m/${m.id}`} className="font-medium">
                  {m.name}
                </Link>
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
