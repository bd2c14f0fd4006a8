/** The organization's roles with their member counts, and creating a role (from the Member template or blank). */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminPageHeader } from "~/components/admin-page-header";
import { Field, fieldsOf, FormMessage, SelectField } from "~/components/form";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { useIndexRouteAction } from "~/lib/delegated-navigation";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { createRole, createRoleInput, loadRolesPage } from "~/use-cases/roles.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Roles · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  // Listing is open to organization:manage as in the original (role.list); changing needs role:manage.
  const actor = await requireAnyPermission(args, ["role:manage", "organization:manage"]);
  return pageData(await runLoader(() => loadRolesPage(actor)));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "role:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    if (intent !== "create") throw invalidInput({ form: "Unknown action." });
    const { roleId } = await createRole(actor, parseInput(createRoleInput, form));
    return redirect(`/admin/roles/${roleId}?created=1`);
  });
}

export default function AdminRoles() {
  const { roles, canManage, yourRoleId, totalPermissions } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const values = valuesFor(result);
  const field = fieldsOf(values, errors);
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const createAction = useIndexRouteAction();
  const deleted = params.get("deleted");

  return (
    <div className="space-y-8">
      <AdminPageHeader crumb="Roles" title="Roles & permissions">
        <p className="text-slate-600">
          Every member has one role. Visitors who are not signed in (and people who are not members) act with the
          Unauthenticated role.
        </p>
      </AdminPageHeader>

      <FormMessage
        error={errors.form}
        success={deleted ? `The role “${deleted.slice(0, 60)}” was deleted.` : undefined}
      />

      <section aria-labelledby="roles-heading" className="space-y-3">
        <h2 id="roles-heading" className="text-lg font-semibold">
          Roles
        </h2>
        {roles.length === 0 ? (
          <p className="card text-slate-600">This organization has no roles yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {roles.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <div>
                  <a href={`/admin/roles/${r.id}`} className="font-semibold">
                    {r.name}
                  </a>{" "}
                  {r.isSystem ? <span className="badge bg-slate-100 text-slate-700">Built-in</span> : null}{" "}
                  {r.isDefault ? (
                    <span className="badge bg-indigo-100 text-indigo-900">Default for new members</span>
                  ) : null}{" "}
                  {r.id === yourRoleId ? <span className="badge bg-amber-100 text-amber-900">Your role</span> : null}
                </div>
                <div className="text-sm text-slate-600">
                  {r.isAdmin ? "All permissions" : `${r.permissionCount} of ${totalPermissions} permissions`} ·{" "}
                  {r.memberCount} {r.memberCount === 1 ? "member" : "members"}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      {canManage ? (
        <section className="card space-y-4" aria-labelledby="create-heading">
          <h2 id="create-heading" className="text-lg font-semibold">
            Create a role
          </h2>
          <form method="post" action={createAction} className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="create" />
            <Field label="Name" {...field("name")} required maxLength={50} autoComplete="off" />
            <SelectField
              label="Start from"
              name="template"
              defaultValue={values.template ?? "MEMBER"}
              error={errors.template}
              hint="You can change the permissions after creating the role."
            >
              <option value="MEMBER">Member template (report, edit, assign and triage issues)</option>
              <option value="blank">No permissions</option>
            </SelectField>
            <div className="flex items-center gap-2">
              <input
                id="create-isDefault"
                type="checkbox"
                name="isDefault"
                defaultChecked={values.isDefault === "on"}
                className="h-4 w-4"
              />
              <label htmlFor="create-isDefault" className="text-sm">
                Default role for new members
              </label>
            </div>
            <button type="submit" className="btn-primary" disabled={navigation.state === "submitting"}>
              Create role
            </button>
          </form>
        </section>
      ) : (
        <p className="text-sm text-slate-600">
          You can view roles; changing them needs the role management permission.
        </p>
      )}
    </div>
  );
}
