/**
 * /collections/<id> — the machines of one collection (public when the type is enabled): machine, model,
 * manufacturer, year, location, linking to the public machine page /m/<machineId>. Paginated (?page=N).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/list-page";
import { Pagination } from "~/components/pagination";
import { requirePermission } from "~/lib/access.server";
import { machineCount } from "~/lib/collection-words";
import { notFound, runLoader } from "~/lib/failure.server";
import { idParam } from "~/lib/ids";
import { PUBLIC_COLLECTION_PAGE_SIZE, loadPublicCollectionPage } from "~/use-cases/collections.server";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data: packed }) => {
  const data = packed ? readPageData(packed) : undefined;
  return [
    { title: data ? `${data.collection.name} · Collections` : "Collection · PinPoint" },
    { name: "description", content: data ? `Machines in ${data.collection.name}.` : "" },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:view");
  const collectionId = idParam(args.params.collectionId) ?? notFound("We could not find that collection.");
  const url = new URL(args.request.url);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  return pageData({
    ...(await runLoader(() => loadPublicCollectionPage(actor, collectionId, page))),
    pageSize: PUBLIC_COLLECTION_PAGE_SIZE,
  });
}

export default function CollectionPage() {
  const { collection, machines, total, page, pageSize } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <a href="/collections">Collections</a> <span aria-hidden="true">›</span> {collection.typeLabel}
        </p>
        <h1 className="text-2xl font-bold">{collection.name}</h1>
        <p className="text-slate-600">
          {machineCount(total)}
          {collection.locationName ? ` at ${collection.locationName}` : ""}
        </p>
        {collection.description ? <p className="mt-2 text-slate-700">{collection.description}</p> : null}
      </div>

      {machines.length === 0 ? (
        <p className="card text-slate-600">
          {total === 0 ? "No machines in this collection yet." : "No machines on this page."}
        </p>
      ) : (
        <DataTable
          caption={`Machines in ${collection.name}`}
          columns={[{ label: "Machine" }, { label: "Manufacturer" }, { label: "Year" }, { label: "Location" }]}
        >
          {machines.map((m) => (
            <tr key={m.id}>
              <td className="px-4 py-2">
                <a href={`/m/${m.id}`} className="font-medium">
                  {m.name}
                </a>
                {m.name !== m.modelName ? <span className="block text-xs text-slate-600">{m.modelName}</span> : null}
              </td>
              <td className="px-4 py-2">{m.manufacturer ?? "—"}</td>
              <td className="px-4 py-2">{m.year ?? "—"}</td>
              <td className="px-4 py-2">{m.locationName}</td>
            </tr>
          ))}
        </DataTable>
      )}

      <Pagination page={page} pageSize={pageSize} total={total} />
    </div>
  );
}
