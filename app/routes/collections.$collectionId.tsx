/**
 * /collections/<id> — the machines of one collection (public when the type is enabled): machine, model,
 * manufacturer, year, location, linking to the public machine page /m/<machineId>. Paginated (?page=N).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getPublicCollection } from "../../db/queries/collections.server";
import { requirePermission } from "~/lib/access.server";
import { notFound } from "~/lib/errors.server";

const PAGE_SIZE = 50;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.collection.name} · Collections` : "Collection · PinPoint" },
  { name: "description", content: data ? `Machines in ${data.collection.name}.` : "" },
];

const idParam = z.string().trim().min(1).max(64);
const pageParam = z.coerce.number().int().min(1).max(10_000).catch(1);

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "machine:view");
  const id = idParam.safeParse(args.params.collectionId);
  if (!id.success) notFound("We could not find that collection.");
  const page = pageParam.parse(new URL(args.request.url).searchParams.get("page") ?? 1);
  const found =
    (await getPublicCollection(access.db, access.organizationId, id.data, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })) ??
    notFound("We could not find that collection.");
  const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
  return {
    collection: {
      id: found.collection.id,
      name: found.collection.name,
      description: found.collection.description,
      typeLabel: found.collection.typeLabel,
      locationName: found.collection.locationName,
    },
    machines: found.machines,
    total: found.total,
    page,
    pages,
  };
}

export default function CollectionPage() {
  const { collection, machines, total, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to="/collections">Collections</Link> <span aria-hidden="true">›</span> {collection.typeLabel}
        </p>
        <h1 className="text-2xl font-bold">{collection.name}</h1>
        <p className="text-slate-600">
          {total} {total === 1 ? "machine" : "machines"}
          {collection.locationName ? ` at ${collection.locationName}` : ""}
        </p>
        {collection.description ? <p className="mt-2 text-slate-700">{collection.description}</p> : null}
      </div>

      {machines.length === 0 ? (
        <p className="card text-slate-600">{total === 0 ? "No machines in this collection yet." : "No machines on this page."}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Machines in {collection.name}</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Machine
                </th>
                <th scope="col" className="px-3 py-2">
                  Manufacturer
                </th>
                <th scope="col" className="px-3 py-2">
                  Year
                </th>
                <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                  Location
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {machines.map((m) => (
                <tr key={m.id}>
                  <td className="px-3 py-2">
                    <Link to={`/m/${m.id}`} className="font-medium">
                      {m.name}
                    </Link>
                    {m.name !== m.modelName ? <span className="block text-xs text-slate-600">{m.modelName}</span> : null}
                  </td>
                  <td className="px-3 py-2">{m.manufacturer ?? "—"}</td>
                  <td className="px-3 py-2">{m.year ?? "—"}</td>
                  <td className="hidden px-3 py-2 sm:table-cell">{m.locationName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link to={`?page=${page - 1}`} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link to={`?page=${page + 1}`} rel="next">
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
