/**
 * /collections — public list of the organization's collections (enabled types only), grouped by type, with machine
 * counts. Anyone who may view machines (anonymous visitors included) can browse it.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/lib/access.server";
import { machineCount } from "~/lib/collection-words";
import { runLoader } from "~/lib/failure.server";
import { loadPublicCollections } from "~/use-cases/collections.server";
import type { PageHandle } from "~/lib/page-handle";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

/** Plain HTML, no client JavaScript: docs/decisions/032-public-pages-without-client-js.md. */
export const handle: PageHandle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data: packed }) => {
  const data = packed ? readPageData(packed) : undefined;
  return [
    { title: data ? `Collections · ${data.organizationName}` : "Collections · PinPoint" },
    { name: "description", content: "Browse the machines by room, manufacturer and era." },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "machine:view");
  return pageData(await runLoader(() => loadPublicCollections(actor)));
}

export default function Collections() {
  const { groups, canManage } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Collections</h1>
        <p className="text-slate-600">Find machines by room, manufacturer or era.</p>
        {canManage ? (
          <p className="mt-1 text-sm">
            <a href="/admin/collections">Manage collections</a>
          </p>
        ) : null}
      </div>

      {groups.length === 0 ? (
        <p className="card text-slate-600">There are no collections to browse yet.</p>
      ) : (
        groups.map((g) => (
          <section key={g.type.id} aria-labelledby={`type-${g.type.id}`} className="space-y-3">
            <h2 id={`type-${g.type.id}`} className="text-lg font-semibold">
              {g.type.label}
            </h2>
            {g.type.description ? <p className="text-sm text-slate-600">{g.type.description}</p> : null}
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {g.collections.map((c) => (
                <li key={c.id}>
                  <a
                    href={`/collections/${c.id}`}
                    className="card block h-full no-underline hover:border-indigo-400 hover:no-underline"
                  >
                    <span className="block font-semibold text-indigo-800">{c.name}</span>
                    <span className="mt-1 block text-sm text-slate-600">
                      {machineCount(c.machineCount)}
                      {c.locationName ? ` · ${c.locationName}` : ""}
                    </span>
                    {c.description ? <span className="mt-1 block text-sm text-slate-700">{c.description}</span> : null}
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
