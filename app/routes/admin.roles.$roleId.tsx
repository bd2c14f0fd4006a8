import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ChangeEvent } from "react";
import { withTransaction } from "~/lib/db.server";
import { PERMISSIONS, PERMISSION_DEPENDENCIES, PERMISSION_DESCRIPTIONS, type PermissionName } from "../../core/permissions";
import { isUniqueViolation } from "../../db/pg-errors.server";
import { recordAudit } from "../../db/queries/audit.server";
import { listAdminMembers, lockOrganizationForRoleChanges } from "../../db/queries/members.server";
import {
  countRoleMembers,
  deleteRoleReassigning,
  findRoleDetail,
  findRoleFacts,
  listOtherRoleNames,
  listRolePermissionNames,
  listRoles,
  setRolePermissions,
  touchRole,
  updateRoleSettings,
} from "../../db/queries/roles.server";
import { Field, FormMessage, SelectField } from "~/components/form";
import { requireAnyPermission, requirePermission } from "~/lib/access.server";
import { clientIp } from "~/lib/context.server";
import { notFound } from "~/lib/errors.server";
import { formToObject, parseWith, readForm } from "~/lib/forms.server";
import { deleteRoleSchema, roleIdParam, rolePermissionsSchema, roleSettingsSchema } from "~/lib/admin-forms.server";
import {
  MESSAGES,
  effectivePermissions,
  isAdminRole,
  isUnauthenticatedRole,
  normalizePermissionSelection,
  validateRoleDeletion,
  validateRoleName,
  validateRoleUpdate,
  type RuleStatus,
} from "../../core/role-rules";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.role.name ?? "Role"} · Roles · PinPoint` }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireAnyPermission(args, ["role:manage", "organization:manage"]);
  const roleId = roleIdParam(args.params);
  const role = await findRoleDetail(access.db, access.organizationId, roleId);
  if (!role) notFound("That role does not exist in this organization.");
  const others = (await listRoles(access.db, access.organizationId)).filter((r) => r.id !== role.id && !isUnauthenticatedRole(r));
  const effective = effectivePermissions(role, role.permissions);
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
    },
    canManage: access.can("role:manage"),
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
  const { db, organizationId } = access;
  const roleId = roleIdParam(args.params);
  const actorId = access.user?.id ?? null;
  const actorRoleId = access.membership?.roleId ?? null;
  const ip = clientIp(args.context);
  const form = formToObject(await readForm(args.request));

  switch (form.intent) {
    case "settings": {
      const parsed = parseWith(roleSettingsSchema, form);
      if (!parsed.ok) return data<ActionResult>({ ok: false, intent: "settings", errors: parsed.errors }, { status: 400 });
      const { name, isDefault } = parsed.data;
      try {
        return await withTransaction(db, async (tx) => {
          await lockOrganizationForRoleChanges(tx, organizationId);
          const role = await findRoleFacts(tx, organizationId, roleId);
          const rule = validateRoleUpdate({ organizationId, actorRoleId, role, changes: { name, isDefault } });
          if (!rule.ok) return rule.status === 404 ? notFound(rule.error) : refusal("settings", rule.status, rule.error);
          if (name !== role!.name) {
            const nameRule = validateRoleName({ name, otherNames: await listOtherRoleNames(tx, organizationId, roleId) });
            if (!nameRule.ok) return refusal("settings", nameRule.status, nameRule.error, "name");
          }
          if (name === role!.name && isDefault === role!.isDefault) {
            return data<ActionResult>({ ok: true, intent: "settings", message: "Nothing to change." });
          }
          await updateRoleSettings(tx, organizationId, roleId, { name, isDefault });
          await recordAudit(tx, {
            organizationId,
            actorId,
            action: "role.updated",
            targetType: "Role",
            targetId: roleId,
            meta: { from: { name: role!.name, isDefault: role!.isDefault }, to: { name, isDefault } },
            ipAddress: ip,
          });
          return data<ActionResult>({ ok: true, intent: "settings", message: "Role saved." });
        });
      } catch (error) {
        if (isUniqueViolation(error)) return refusal("settings", 409, "A role with this name already exists.", "name");
        throw error;
      }
    }

    case "permissions": {
      const parsed = parseWith(rolePermissionsSchema, form);
      if (!parsed.ok) return refusal("permissions", 400, "The permission list could not be read.");
      const selection = normalizePermissionSelection(parsed.data.permission);
      return withTransaction(db, async (tx) => {
        await lockOrganizationForRoleChanges(tx, organizationId);
        const role = await findRoleFacts(tx, organizationId, roleId);
        const rule = validateRoleUpdate({ organizationId, actorRoleId, role, changes: { permissions: selection } });
        if (!rule.ok) return rule.status === 404 ? notFound(rule.error) : refusal("permissions", rule.status, rule.error);
        const before = await listRolePermissionNames(tx, organizationId, roleId);
        await setRolePermissions(tx, organizationId, roleId, selection);
        await touchRole(tx, organizationId, roleId);
        const beforeSet = new Set(before);
        const afterSet = new Set<string>(selection);
        await recordAudit(tx, {
          organizationId,
          actorId,
          action: "role.permissions_changed",
          targetType: "Role",
          targetId: roleId,
          meta: {
            name: role!.name,
            added: selection.filter((p) => !beforeSet.has(p)),
            removed: before.filter((p) => !afterSet.has(p)),
          },
          ipAddress: ip,
        });
        const added = selection.filter((p) => !parsed.data.permission.includes(p));
        return data<ActionResult>({
          ok: true,
          intent: "permissions",
          message:
            added.length > 0
              ? `Permissions saved. Also granted because other permissions need them: ${added.map((p) => PERMISSION_DESCRIPTIONS[p]).join("; ")}.`
              : "Permissions saved.",
        });
      });
    }

    case "delete": {
      const parsed = parseWith(deleteRoleSchema, form);
      if (!parsed.ok) return refusal("delete", 400, "Choose the role the members should move to.", "reassignRoleId");
      const { reassignRoleId } = parsed.data;
      const outcome = await withTransaction(db, async (tx) => {
        await lockOrganizationForRoleChanges(tx, organizationId);
        const role = await findRoleFacts(tx, organizationId, roleId);
        const reassignRole = reassignRoleId ? await findRoleFacts(tx, organizationId, reassignRoleId) : null;
        const memberCount = role ? await countRoleMembers(tx, organizationId, roleId) : 0;
        const rule = validateRoleDeletion({
          organizationId,
          role,
          reassignRole,
          reassignRequested: Boolean(reassignRoleId),
          memberCount,
          members: await listAdminMembers(tx, organizationId),
        });
        if (!rule.ok) return rule;
        const result = await deleteRoleReassigning(tx, organizationId, roleId, memberCount > 0 ? reassignRole!.id : null);
        await recordAudit(tx, {
          organizationId,
          actorId,
          action: "role.deleted",
          targetType: "Role",
          targetId: roleId,
          meta: { name: role!.name, moved: result.moved, reassignedTo: memberCount > 0 ? reassignRole!.name : null },
          ipAddress: ip,
        });
        return { ok: true as const, name: role!.name };
      });
      if (!outcome.ok) {
        if (outcome.error === MESSAGES.roleNotFound) notFound(outcome.error);
        return refusal("delete", outcome.status, outcome.error, "reassignRoleId");
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
  const { role, canManage, isYourRole, reassignOptions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? (result.errors ?? {}) : {});
  const settingsErrors = errorsFor("settings");
  const permissionErrors = errorsFor("permissions");
  const deleteErrors = errorsFor("delete");
  const granted = new Set(role.permissions);
  const permissionsEditable = canManage && !role.isAdmin;
  const settingsEditable = canManage && !role.isSystem;
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
          Only its permissions can be changed.
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
        ) : null}
        <Form method="post" className="space-y-6">
          <input type="hidden" name="intent" value="permissions" />
          {GROUPS.map(([resource, perms]) => (
            <fieldset key={resource} className="space-y-2">
              <legend className="font-semibold text-slate-800">{RESOURCE_LABELS[resource] ?? resource}</legend>
              {perms.map((p) => {
                const deps = PERMISSION_DEPENDENCIES[p.name];
                const id = `perm-${p.name.replace(":", "-")}`;
                return (
                  <div key={p.name} className="flex items-start gap-2">
                    <input
                      id={id}
                      type="checkbox"
                      name="permission"
                      value={p.name}
                      defaultChecked={granted.has(p.name)}
                      disabled={!permissionsEditable}
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

      {canManage && !role.isSystem ? (
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
            <button type="submit" className="btn-danger" disabled={busy}>
              Delete role
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
