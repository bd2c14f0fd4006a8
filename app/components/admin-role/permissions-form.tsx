/**
 * The permission boxes of one role, grouped by what they are about. Boxes the visitor may not tick are disabled with
 * the reason (core/role-rules.ts permissionChoices); the Unauthenticated role lists the public permissions only.
 */
import type { ChangeEvent } from "react";
import {
  PERMISSIONS,
  PERMISSION_DEPENDENCIES,
  PERMISSION_DESCRIPTIONS,
  isPublicPermission,
  type PermissionName,
} from "../../../core/permissions";
import type { PermissionChoice } from "../../../core/role-rules";

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

export function PermissionsForm({
  granted,
  choices,
  editable,
  publicOnly,
  busy,
  error,
}: {
  /** The role's effective permissions. */
  granted: readonly string[];
  choices: readonly PermissionChoice[];
  /** May the visitor change this role's permissions at all? */
  editable: boolean;
  /** The Unauthenticated role: only the public permissions can ever apply to visitors. */
  publicOnly: boolean;
  busy: boolean;
  error?: string;
}) {
  const has = new Set(granted);
  const choiceOf = new Map(choices.map((c) => [c.name, c]));
  const groups = publicOnly
    ? GROUPS.map(([resource, perms]) => [resource, perms.filter((p) => isPublicPermission(p.name))] as const).filter(
        ([, perms]) => perms.length > 0,
      )
    : GROUPS;
  return (
    <form method="post" className="space-y-6">
      <input type="hidden" name="intent" value="permissions" />
      {groups.map(([resource, perms]) => (
        <fieldset key={resource} className="space-y-2">
          <legend className="font-semibold text-slate-800">{RESOURCE_LABELS[resource] ?? resource}</legend>
          {perms.map((p) => {
            const deps = PERMISSION_DEPENDENCIES[p.name];
            const id = `perm-${p.name.replace(":", "-")}`;
            const choice = choiceOf.get(p.name);
            const locked = editable && !choice?.editable;
            return (
              <div key={p.name} className="flex items-start gap-2">
                <input
                  id={id}
                  type="checkbox"
                  name="permission"
                  value={p.name}
                  defaultChecked={has.has(p.name)}
                  disabled={!editable || locked}
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
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      {editable ? (
        <button type="submit" className="btn-primary" disabled={busy}>
          Save permissions
        </button>
      ) : null}
    </form>
  );
}
