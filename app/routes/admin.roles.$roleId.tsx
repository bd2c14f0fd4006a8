/**
 * One role: its name and default flag, its permissions, and deletion with the members moved to another role. The
 * editor offers only the permission boxes the visitor may grant (core/role-rules.ts permissionChoices); the
 * actions in app/lib/role-admin.server.ts check the same rules again.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ChangeEvent } from "react";
import { PERMISSIONS, PERMISSION_DEPENDENCIES, PERMISSION_DESCRIPTIONS, isPublicPermission, type PermissionName } from "../../core/permissions";
import { findRoleDetail, listRoles } from "../../db/queries/roles.server";
import { Field, FormMessage, SelectField } from "~/components/form";
import { actorFacts, requireAnyPermission, requirePermission } from "~/lib/access.server";
import { clientIp } from "~/lib/context.server";
import { notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm } from "~/lib/forms.server";
import { deleteRoleSchema, roleIdParam, rolePermissionsSchema, roleSettingsSchema } from "~/lib/admin-forms.server";
import { deleteRoleAs, saveRolePermissions, saveRoleSettings } from "~/lib/role-admin.server";
import {
  MESSAGES,
  checkControl,
  checkGrant,
  effectivePermissions,
  isAdminRole,
  isUnauthenticatedRole,
  permissionChoices,
  type RuleStatus,
} from "../../core/role-rules";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.role.name ?? "Role"} · Roles · PinPoint` }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireAnyPermission(args, ["role:manage", "organization:manage"]);
  const roleId = roleIdParam(args.params);
  const role = await findRoleDetail(access.db, access.organizationId, roleId);
  if (!role) notFound("That role does not exist in this organization.");
  const actor = actorFacts(access);
  const canManage = access.can("role:manage");
  const effective = effectivePermissions(role, role.permissions);
  const control = checkControl(actor, role, effective);
  const others = (await listRoles(access.db, access.organizationId)).filter(
    (r) => r.id !== role.id && !isUnauthenticatedRole(r) && checkGrant(actor, r, effectivePermissions(r, r.permissions)).ok,
  );
  return {
    role: {
      id: role.id,
      name: role.name,
      isSystem: role.isSystem,
      isDefault: role.isDefault,
      isAdmin: isAdminRole(role),
      isUnauthenticated: isUnauthenticatedRole(role),
      memberCount: role.memberCount,
      permissions: [...effective],
      /** Unauthenticated only: stored permissions that the access check never gives visitors (saving drops them). */
      ignored: isUnauthenticatedRole(role) ? [...effective].filter((p) => !isPublicPermission(p)) : [],
    },
    canManage,
    /** May this visitor change this role at all (delegation rule)? */
    canEdit: canManage && !isAdminRole(role) && control.ok,
    lockedReason: canManage && !isAdminRole(role) && !control.ok ? control.error : null,
    choices: permissionChoices(actor, role),
    isYourRole: access.membership?.roleId === role.id,
    reassignOptions: others.map((r) => ({ id: r.id, name: r.name, isDefault: r.isDefault })),
  };
}

type ActionResult = { ok: boolean; intent: string; message?: string; errors?: Record<string, string> };

function refusal(intent: string, status: RuleStatus, error: string, field = "form") {
  return data<ActionResult>({ ok: false, intent, errors: { [field]: error } }, { status });
}

export async function action(args: ActionFunctionArgs) {
  const access = await requirePermission(args, "role:manage");
  const roleId = roleIdParam(args.params);
  const ctx = { access, ipAddress: clientIp(args.context) ?? null };
  const form = formToObject(await readForm(args.request));

  switch (form.intent) {
    case "settings": {
      const parsed = parseWith(roleSettingsSchema, form);
      if (!parsed.ok) return data<ActionResult>({ ok: false, intent: "settings", errors: parsed.errors }, { status: 400 });
      const outcome = await saveRoleSettings(ctx, roleId, parsed.data);
      if (!outcome.ok) return outcome.status === 404 ? notFound(outcome.error) : refusal("settings", outcome.status, outcome.error, outcome.field);
      return data<ActionResult>({ ok: true, intent: "settings", message: outcome.message });
    }

    case "permissions": {
      const parsed = parseWith(rolePermissionsSchema, form);
      if (!parsed.ok) return refusal("permissions", 400, "The permission list could not be read.");
      const outcome = await saveRolePermissions(ctx, roleId, parsed.data.permission);
      if (!outcome.ok) return outcome.status === 404 ? notFound(outcome.error) : refusal("permissions", outcome.status, outcome.error);
      return data<ActionResult>({
        ok: true,
        intent: "permissions",
        message:
          outcome.added.length > 0
            ? `Permissions saved. Also granted because other permissions need them: ${outcome.added.map((p) => PERMISSION_DESCRIPTIONS[p as PermissionName]).join("; ")}.`
            : "Permissions saved.",
      });
    }

    case "delete": {
      const parsed = parseWith(deleteRoleSchema, form);
      if (!parsed.ok) return refusal("delete", 400, "Choose the role the members should move to.", "reassignRoleId");
      const outcome = await deleteRoleAs(ctx, roleId, parsed.data.reassignRoleId);
      if (!outcome.ok) {
        if (outcome.error === MESSAGES.roleNotFound) notFound(outcome.error);
        return refusal("delete", outcome.status, outcome.error, outcome.field);
      }
      return redirect(`/admin/roles?deleted=${encodeURIComponent(outcome.name)}`);
    }

    default:
      return refusal(String(form.intent ?? ""), 400, "Unknown action.");
  }
}

const RESOURCE_LABELS: Record<string, string> = {
  issue: "Issues",
  machine: "Machines",
  location: "Locations",
  attachment: "Attachments",
  organization: "Organization",
  role: "Roles",
  user: "Members",
  admin: "Analytics",
};

const GROUPS = Object.entries(
  PERMISSIONS.reduce<Record<string, { name: PermissionName; description: string }[]>>((acc, p) => {
    const resource = p.name.split(":")[0];
    (acc[resource] ??= []).push({ name: p.name, description: p.description });
    return acc;
  }, {}),
);

/** Ticking a permission also ticks what it needs (the server adds them anyway; this shows it before saving). */
function tickDependencies(event: ChangeEvent<HTMLInputElement>) {
  const box = event.currentTarget;
  if (!box.checked || !box.form) return;
  for (const dep of PERMISSION_DEPENDENCIES[box.value as PermissionName] ?? []) {
    const other = box.form.querySelector<HTMLInputElement>(`input[name="permission"][value="${dep}"]`);
    if (other) other.checked = true;
  }
}

export default function AdminRole() {
  const { role, canEdit, lockedReason, choices, isYourRole, reassignOptions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? (result.errors ?? {}) : {});
  const settingsErrors = errorsFor("settings");
  const permissionErrors = errorsFor("permissions");
  const deleteErrors = errorsFor("delete");
  const granted = new Set(role.permissions);
  const permissionsEditable = canEdit;
  const settingsEditable = canEdit && !role.isSystem;
  const choiceOf = new Map(choices.map((c) => [c.name, c]));
  // The Unauthenticated role shows only the public permissions: nothing else can ever apply to visitors.
  const groups = role.isUnauthenticated
    ? GROUPS.map(([resource, perms]) => [resource, perms.filter((p) => isPublicPermission(p.name))] as const).filter(([, perms]) => perms.length > 0)
    : GROUPS;
  const defaultReassign = reassignOptions.find((r) => r.isDefault)?.id ?? reassignOptions[0]?.id ?? "";

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/admin">Admin</Link> <span aria-hidden="true">›</span> <Link to="/admin/roles">Roles</Link>{" "}
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
        error={result && !result.ok && !result.errors?.name && !result.errors?.reassignRoleId ? result.errors?.form : undefined}
        success={result?.ok ? result.message : params.get("created") ? "Role created. Choose its permissions below." : undefined}
      />

      {role.isAdmin ? (
        <p className="card text-sm text-slate-700">
          The Admin role is built in: it always has every permission and cannot be renamed, changed or deleted.
        </p>
      ) : role.isUnauthenticated ? (
        <p className="card text-sm text-slate-700">
          The Unauthenticated role applies to visitors who are not signed in and to signed-in people who are not members.
          Only its permissions can be changed, and only to viewing and reporting.
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
          <Form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="settings" />
            <Field label="Name" name="name" required maxLength={50} defaultValue={role.name} error={settingsErrors.name} autoComplete="off" />
            <div className="flex items-center gap-2">
              <input id="role-isDefault" type="checkbox" name="isDefault" defaultChecked={role.isDefault} className="h-4 w-4" />
              <label htmlFor="role-isDefault" className="text-sm">
                Default role for new members
              </label>
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              Save
            </button>
          </Form>
        </section>
      ) : null}

      <section className="card space-y-4" aria-labelledby="permissions-heading">
        <h2 id="permissions-heading" className="text-lg font-semibold">
          Permissions
        </h2>
        {permissionsEditable ? (
          <p className="text-sm text-slate-600">
            Some permissions need others (for example, editing issues needs viewing them); those are added when you save.
          </p>
        ) : lockedReason ? (
          <p className="text-sm text-slate-700">{lockedReason}</p>
        ) : null}
        <Form method="post" className="space-y-6">
          <input type="hidden" name="intent" value="permissions" />
          {groups.map(([resource, perms]) => (
            <fieldset key={resource} className="space-y-2">
              <legend className="font-semibold text-slate-800">{RESOURCE_LABELS[resource] ?? resource}</legend>
              {perms.map((p) => {
                const deps = PERMISSION_DEPENDENCIES[p.name];
                const id = `perm-${p.name.replace(":", "-")}`;
                const choice = choiceOf.get(p.name);
                const locked = permissionsEditable && !choice?.editable;
                return (
                  <div key={p.name} className="flex items-start gap-2">
                    <input
                      id={id}
                      type="checkbox"
                      name="permission"
                      value={p.name}
                      defaultChecked={granted.has(p.name)}
                      disabled={!permissionsEditable || locked}
                      onChange={tickDependencies}
                      aria-describedby={`${id}-desc`}
                      className="mt-1 h-4 w-4"
                    />
                    <div>
                      <label htmlFor={id} className="text-sm font-medium">
                        {p.description}
                      </label>
                      <p id={`${id}-desc`} className="text-xs text-slate-600">
                        <code>{p.name}</code>
                        {deps ? ` · also grants: ${deps.map((d) => PERMISSION_DESCRIPTIONS[d]).join("; ")}` : ""}
                        {locked && choice?.reason ? ` · ${choice.reason}` : ""}
                      </p>
                    </div>
                  </div>
                );
              })}
            </fieldset>
          ))}
          {permissionErrors.form ? (
            <p role="alert" className="field-error">
              {permissionErrors.form}
            </p>
          ) : null}
          {permissionsEditable ? (
            <button type="submit" className="btn-primary" disabled={busy}>
              Save permissions
            </button>
          ) : null}
        </Form>
      </section>

      {canEdit && !role.isSystem ? (
        <section className="card space-y-4 border-red-200" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="text-lg font-semibold text-red-900">
            Delete this role
          </h2>
          <Form method="post" className="space-y-4" noValidate>
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
          </Form>
        </section>
      ) : null}
    </div>
  );
}
