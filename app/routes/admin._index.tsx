/** The admin hub: the admin sections the visitor may open (app/use-cases/shell.server.ts lists them). */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAnyPermission } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { ADMIN_HUB_PERMISSIONS, loadAdminHub } from "~/use-cases/shell.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireAnyPermission(args, ADMIN_HUB_PERMISSIONS);
  return pageData(await runLoader(() => loadAdminHub(actor)));
}

export default function AdminHub() {
  const { organizationName, sections } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Admin</h1>
        <p className="text-slate-600">Settings of {organizationName}.</p>
      </div>
      <nav aria-label="Admin sections">
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {sections.map((s) => (
            <li key={s.to}>
              <a href={s.to} className="card block h-full no-underline hover:border-indigo-400 hover:no-underline">
                <span className="block text-lg font-semibold text-indigo-800">{s.title}</span>
                <span className="mt-1 block text-sm text-slate-600">{s.description}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
