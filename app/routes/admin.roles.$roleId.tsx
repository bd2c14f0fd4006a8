/**
 * One role: its name and default flag, its permissions, and deletion with the members moved to another role. The
 * editor offers only the permission boxes the visitor may grant (core/role-rules.ts permissionChoices); the writes
 * in app/use-cases/roles.server.ts check the same rules again.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { PermissionsForm } from "~/components/admin-role/permissions-form";
import { Field, FormMessage, SelectField } from "~/components/form";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult } from "~/lib/action-result";
import { invalidInput, notFound, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { idParam } from "~/lib/ids";
import {
  deleteRole,
  deleteRoleInput,
  loadRolePage,
  rolePermissionsInput,
  roleSettingsInput,
  saveRolePermissions,
  saveRoleSettings,
} from "~/use-cases/roles.server";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction<typeof loader> = ({ data: packed }) => {
  const data = packed ? readPageData(packed) : undefined;
  return [{ title: `${data?.role.name ?? "Role"} · Roles · PinPoint` }];
};

const NOT_FOUND = "That role does not exist in this organization.";

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireAnyPermission(args, ["role:manage", "organization:manage"]);
  const roleId = idParam(args.params.roleId) ?? notFound(NOT_FOUND);
  return pageData(await runLoader(() => loadRolePage(actor, roleId)));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "role:manage");
  const roleId = idParam(args.params.roleId) ?? notFound(NOT_FOUND);
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "settings":
        return {
          ok: true as const,
          intent,
          message: await saveRoleSettings(actor, roleId, parseInput(roleSettingsInput, form)),
        };
      case "permissions":
        return {
          ok: true as const,
          intent,
          message: await saveRolePermissions(actor, roleId, parseInput(rolePermissionsInput, form).permission),
        };
      case "delete": {
        const { name } = await deleteRole(actor, roleId, parseInput(deleteRoleInput, form).reassignRoleId);
        return redirect(`/admin/roles?deleted=${encodeURIComponent(name)}`);
      }
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function AdminRole() {
  const { role, canEdit, lockedReason, choices, isYourRole, reassignOptions } =
    usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const settingsErrors = errorsFor(result, "settings");
  const permissionErrors = errorsFor(result, "permissions");
  const deleteErrors = errorsFor(result, "delete");
  const settingsEditable = canEdit && !role.isSystem;
  const defaultReassign = reassignOptions.find((r) => r.isDefault)?.id ?? reassignOptions[0]?.id ?? "";
  // The reassignment choice shows its own error when it is on the page; form-wide errors go to the top.
  const reassignShown = canEdit && !role.isSystem && role.memberCount > 0;
  const topError = errorsFor(result).form ?? (reassignShown ? undefined : deleteErrors.reassignRoleId);

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <a href="/admin">Admin</a> <span aria-hidden="true">›</span> <a href="/admin/roles">Roles</a>{" "}
          <span aria-hidden="true">›</span> {role.name}
        </p>
        <h1 className="text-2xl font-bold">{role.name}</h1>
        <p className="text-slate-600">
          {role.memberCount} {role.memberCount === 1 ? "member" : "members"}
          {role.isSystem ? " · built-in role" : ""}
          {role.isDefault ? " · default for new members" : ""}
          {isYourRole ? " · your role" : ""}
        </p>
      </div>

      <FormMessage
        error={topError}
        success={
          messageFor(result) ?? (params.get("created") ? "Role created. Choose its permissions below." : undefined)
        }
      />

      {role.isAdmin ? (
        <p className="card text-sm text-slate-700">
          The Admin role is built in: it always has every permission and cannot be renamed, changed or deleted.
        </p>
      ) : role.isUnauthenticated ? (
        <p className="card text-sm text-slate-700">
          The Unauthenticated role applies to visitors who are not signed in and to signed-in people who are not
          members. Only its permissions can be changed, and only to viewing and reporting.
          {role.ignored.length > 0
            ? ` It also has ${role.ignored.join(", ")}, which visitors never get; saving the permissions removes them.`
            : ""}
        </p>
      ) : null}

      {settingsEditable ? (
        <section className="card space-y-4" aria-labelledby="settings-heading">
          <h2 id="settings-heading" className="text-lg font-semibold">
            Name and default
          </h2>
          <form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="settings" />
            <Field
              label="Name"
              name="name"
              required
              maxLength={50}
              defaultValue={role.name}
              error={settingsErrors.name}
              autoComplete="off"
            />
            <div className="flex items-center gap-2">
              <input
                id="role-isDefault"
                type="checkbox"
                name="isDefault"
                defaultChecked={role.isDefault}
                className="h-4 w-4"
              />
              <label htmlFor="role-isDefault" className="text-sm">
                Default role for new members
              </label>
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              Save
            </button>
          </form>
        </section>
      ) : null}

      <section className="card space-y-4" aria-labelledby="permissions-heading">
        <h2 id="permissions-heading" className="text-lg font-semibold">
          Permissions
        </h2>
        {canEdit ? (
          <p className="text-sm text-slate-600">
            Some permissions need others (for example, editing issues needs viewing them); those are added when you
            save.
          </p>
        ) : lockedReason ? (
          <p className="text-sm text-slate-700">{lockedReason}</p>
        ) : null}
        <PermissionsForm
          granted={role.permissions}
          choices={choices}
          editable={canEdit}
          publicOnly={role.isUnauthenticated}
          busy={busy}
          error={permissionErrors.form ?? permissionErrors.permission}
        />
      </section>

      {canEdit && !role.isSystem ? (
        <section className="card space-y-4 border-red-200" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="text-lg font-semibold text-red-900">
            Delete this role
          </h2>
          <form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="delete" />
            {role.memberCount > 0 ? (
              <SelectField
                label={`Move its ${role.memberCount} ${role.memberCount === 1 ? "member" : "members"} to`}
                name="reassignRoleId"
                defaultValue={defaultReassign}
                error={deleteErrors.reassignRoleId}
                required
              >
                {reassignOptions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </SelectField>
            ) : (
              <p className="text-sm text-slate-600">No member has this role.</p>
            )}
            <p className="text-sm text-slate-600">Pending invitations with this role are withdrawn.</p>
            <button type="submit" className="btn-danger" disabled={busy}>
              Delete role
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
