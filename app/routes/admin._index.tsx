import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { PermissionName } from "../../core/permissions";
import { requireAnyPermission } from "~/lib/access.server";

export const meta: MetaFunction = () => [{ title: "Admin · PinPoint" }];

/** Who may open the hub at all: the same permissions that show the "Admin" link in the header. */
const ADMIN_HUB_PERMISSIONS: readonly PermissionName[] = ["organization:manage", "user:manage", "role:manage"];

interface Section {
  to: string;
  title: string;
  description: string;
  /** Shown when the visitor holds any of these. */
  anyOf: readonly PermissionName[];
}

const SECTIONS: readonly Section[] = [
  { to: "/admin/members", title: "Members", description: "Invite people, change their roles, remove members.", anyOf: ["user:manage"] },
  {
    to: "/admin/roles",
    title: "Roles & permissions",
    description: "Create roles and choose what each role may do.",
    anyOf: ["role:manage", "organization:manage"],
  },
  { to: "/admin/statuses", title: "Statuses", description: "The workflow states an issue moves through.", anyOf: ["organization:manage"] },
  { to: "/admin/priorities", title: "Priorities", description: "How urgent an issue is, and the default.", anyOf: ["organization:manage"] },
  {
    to: "/admin/collections",
    title: "Collections",
    description: "Group machines by room, manufacturer or era.",
    anyOf: ["organization:manage", "location:edit"],
  },
  { to: "/admin/pinballmap", title: "Pinball Map", description: "Sync machines with pinballmap.com.", anyOf: ["organization:manage"] },
  {
    to: "/admin/qr-codes",
    title: "QR codes",
    description: "Print the codes that take players to the report form.",
    anyOf: ["organization:manage"],
  },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireAnyPermission(args, ADMIN_HUB_PERMISSIONS);
  return {
    organizationName: access.organization.name,
    sections: SECTIONS.filter((s) => s.anyOf.some((p) => access.can(p))).map(({ to, title, description }) => ({ to, title, description })),
  };
}

export default function AdminHub() {
  const { organizationName, sections } = useLoaderData<typeof loader>();
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
              <Link to={s.to} className="card block h-full no-underline hover:border-indigo-400 hover:no-underline">
                <span className="block text-lg font-semibold text-indigo-800">{s.title}</span>
                <span className="mt-1 block text-sm text-slate-600">{s.description}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
