import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { withTransaction } from "~/lib/db.server";
import { recordAudit } from "../../db/queries/audit.server";
import {
  deleteMembership,
  findMemberFacts,
  findMemberIdentity,
  inviteMember,
  listAdminMembers,
  listMembers,
  lockOrganizationForRoleChanges,
  setMemberRole,
} from "../../db/queries/members.server";
import { findRoleFacts, listRolePermissionNames, listRoles } from "../../db/queries/roles.server";
import { Field, FormMessage, SelectField } from "~/components/form";
import { requirePermission } from "~/lib/access.server";
import { clientIp } from "~/lib/context.server";
import { changeRoleSchema, inviteSchema, removeMemberSchema } from "~/lib/admin-forms.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import {
  effectivePermissions,
  isUnauthenticatedRole,
  validateInviteRole,
  validateMemberRemoval,
  validateRoleChange,
  type RuleStatus,
} from "../../core/role-rules";

export const meta: MetaFunction = () => [{ title: "Members · Admin · PinPoint" }];

const PAGE_SIZE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(args, "user:manage");
  const pageParam = Number(new URL(args.request.url).searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  const [{ rows, total }, roles] = await Promise.all([
    listMembers(db, organizationId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    listRoles(db, organizationId),
  ]);
  const assignable = roles.filter((r) => !isUnauthenticatedRole(r));
  return {
    members: rows.map((m) => ({
      membershipId: m.membershipId,
      name: m.name,
      email: m.email,
      pending: m.emailVerified === null,
      roleId: m.roleId,
      roleName: m.roleName,
      isYou: m.userId === user?.id,
    })),
    roles: assignable.map((r) => ({ id: r.id, name: r.name })),
    defaultRoleId: assignable.find((r) => r.isDefault && !r.isSystem)?.id ?? assignable.find((r) => !r.isSystem)?.id ?? assignable[0]?.id ?? "",
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
  };
}

type ActionResult = {
  ok: boolean;
  intent: string;
  message?: string;
  errors?: Record<string, string>;
  /** The membership a row-level error belongs to. */
  target?: string;
  values?: Record<string, unknown>;
};

function refusal(intent: string, status: RuleStatus, error: string, target?: string, field = "form") {
  return data<ActionResult>({ ok: false, intent, errors: { [field]: error }, target }, { status });
}

export async function action(args: ActionFunctionArgs) {
  const { db, organizationId, user } = await requirePermission(args, "user:manage");
  const actorId = user?.id ?? null;
  const ip = clientIp(args.context);
  const form = formToObject(await readForm(args.request));

  switch (form.intent) {
    case "invite": {
      const parsed = parseWith(inviteSchema, form);
      if (!parsed.ok) return validationError(parsed.errors, { email: form.email, name: form.name, roleId: form.roleId });
      const { email, name, roleId } = parsed.data;
      return withTransaction(db, async (tx) => {
        await lockOrganizationForRoleChanges(tx, organizationId);
        const role = await findRoleFacts(tx, organizationId, roleId);
        const rule = validateInviteRole({ organizationId, role });
        if (!rule.ok) return refusal("invite", rule.status, rule.error, undefined, "roleId");
        const result = await inviteMember(tx, organizationId, { email, name, roleId });
        if (result.status === "conflict") {
          return data<ActionResult>(
            { ok: false, intent: "invite", errors: { email: `${email} is already a member of this organization.` }, values: { email, name, roleId } },
            { status: 409 },
          );
        }
        await recordAudit(tx, {
          organizationId,
          actorId,
          action: "membership.invited",
          targetType: "Membership",
          targetId: result.membershipId,
          meta: { userId: result.userId, email: result.email, role: role!.name, pending: result.isInvitation },
          ipAddress: ip,
        });
        return data<ActionResult>({
          ok: true,
          intent: "invite",
          message: result.isInvitation
            ? `Invited ${result.email} as ${role!.name}. They join when they create an account with this email.`
            : `Added ${result.email} as ${role!.name}.`,
        });
      });
    }

    case "change-role": {
      const parsed = parseWith(changeRoleSchema, form);
      if (!parsed.ok) return refusal("change-role", 400, Object.values(parsed.errors)[0] ?? "Invalid input", String(form.membershipId ?? ""));
      const { membershipId, roleId } = parsed.data;
      return withTransaction(db, async (tx) => {
        await lockOrganizationForRoleChanges(tx, organizationId);
        const target = await findMemberFacts(tx, organizationId, membershipId);
        const newRole = await findRoleFacts(tx, organizationId, roleId);
        const newRolePermissions = newRole ? effectivePermissions(newRole, await listRolePermissionNames(tx, organizationId, newRole.id)) : new Set<string>();
        const rule = validateRoleChange({
          organizationId,
          actorUserId: actorId ?? "",
          target,
          newRole,
          newRolePermissions,
          members: await listAdminMembers(tx, organizationId),
        });
        if (!rule.ok) return refusal("change-role", rule.status, rule.error, membershipId);
        await setMemberRole(tx, organizationId, membershipId, newRole!.id);
        const who = await findMemberIdentity(tx, organizationId, membershipId);
        await recordAudit(tx, {
          organizationId,
          actorId,
          action: "membership.role_changed",
          targetType: "Membership",
          targetId: membershipId,
          meta: { userId: target!.userId, from: target!.role.name, to: newRole!.name },
          ipAddress: ip,
        });
        return data<ActionResult>({
          ok: true,
          intent: "change-role",
          message: `${who?.name ?? who?.email ?? "The member"} is now ${newRole!.name}.`,
        });
      });
    }

    case "remove": {
      const parsed = parseWith(removeMemberSchema, form);
      if (!parsed.ok) return refusal("remove", 400, "Choose a member to remove.");
      const { membershipId } = parsed.data;
      return withTransaction(db, async (tx) => {
        await lockOrganizationForRoleChanges(tx, organizationId);
        const target = await findMemberFacts(tx, organizationId, membershipId);
        const rule = validateMemberRemoval({
          organizationId,
          actorUserId: actorId ?? "",
          target,
          members: await listAdminMembers(tx, organizationId),
        });
        if (!rule.ok) return refusal("remove", rule.status, rule.error, membershipId);
        const who = await findMemberIdentity(tx, organizationId, membershipId);
        await deleteMembership(tx, organizationId, membershipId);
        await recordAudit(tx, {
          organizationId,
          actorId,
          action: "membership.removed",
          targetType: "Membership",
          targetId: membershipId,
          meta: { userId: target!.userId, role: target!.role.name, email: who?.email ?? null },
          ipAddress: ip,
        });
        return data<ActionResult>({ ok: true, intent: "remove", message: `${who?.name ?? who?.email ?? "The member"} was removed.` });
      });
    }

    default:
      return refusal(String(form.intent ?? ""), 400, "Unknown action.");
  }
}

export default function AdminMembers() {
  const { members, roles, defaultRoleId, total, page, pageCount } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const inviteErrors = result?.intent === "invite" && !result.ok ? (result.errors ?? {}) : {};
  const inviteValues = result?.intent === "invite" && !result.ok ? (result.values ?? {}) : {};
  const rowError = result && !result.ok && result.target ? result : undefined;
  const formError = result && !result.ok && !result.target && result.intent !== "invite" ? result.errors?.form : inviteErrors.form;

  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/admin">Admin</Link> <span aria-hidden="true">›</span> Members
        </p>
        <h1 className="text-2xl font-bold">Members</h1>
        <p className="text-slate-600">
          {total} {total === 1 ? "member" : "members"}. Roles decide what each member may do;{" "}
          <Link to="/admin/roles">edit roles</Link>.
        </p>
      </div>

      <FormMessage error={formError} success={result?.ok ? result.message : undefined} />

      <section className="card space-y-4" aria-labelledby="invite-heading">
        <h2 id="invite-heading" className="text-lg font-semibold">
          Invite a member
        </h2>
        <p className="text-sm text-slate-600">
          People without an account appear as pending invitations until they create one with the same email.
        </p>
        <Form method="post" className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr_auto] sm:items-end" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="off"
            required
            maxLength={254}
            defaultValue={(inviteValues.email as string) ?? ""}
            error={inviteErrors.email}
          />
          <Field
            label="Name (optional)"
            name="name"
            autoComplete="off"
            maxLength={100}
            defaultValue={(inviteValues.name as string) ?? ""}
            error={inviteErrors.name}
          />
          <SelectField label="Role" name="roleId" defaultValue={(inviteValues.roleId as string) || defaultRoleId} error={inviteErrors.roleId}>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="btn-primary" disabled={busy}>
            Invite
          </button>
        </Form>
      </section>

      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-lg font-semibold">
          All members
        </h2>
        {members.length === 0 ? (
          <p className="card text-slate-600">No members on this page.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left">
                <tr>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Member
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {members.map((m) => (
                  <MemberRow
                    key={m.membershipId}
                    member={m}
                    roles={roles}
                    busy={busy}
                    error={rowError?.target === m.membershipId ? rowError.errors?.form : undefined}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pageCount > 1 ? (
          <nav aria-label="Member pages" className="flex items-center justify-between text-sm">
            {page > 1 ? <Link to={`?page=${page - 1}`}>← Previous</Link> : <span />}
            <span>
              Page {page} of {pageCount}
            </span>
            {page < pageCount ? <Link to={`?page=${page + 1}`}>Next →</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

interface RowMember {
  membershipId: string;
  name: string | null;
  email: string | null;
  pending: boolean;
  roleId: string;
  roleName: string;
  isYou: boolean;
}

function MemberRow({ member: m, roles, busy, error }: { member: RowMember; roles: { id: string; name: string }[]; busy: boolean; error?: string }) {
  const id = useId();
  const label = m.name ?? m.email ?? "member";
  return (
    <tr className="align-top">
      <td className="px-3 py-3">
        <div className="font-medium">
          {m.name ?? "—"} {m.isYou ? <span className="badge bg-slate-100 text-slate-700">you</span> : null}
        </div>
        <div className="text-slate-600">{m.email}</div>
      </td>
      <td className="px-3 py-3">
        {m.pending ? (
          <span className="badge bg-amber-100 text-amber-900">Pending invitation</span>
        ) : (
          <span className="badge bg-green-100 text-green-900">Active</span>
        )}
      </td>
      <td className="px-3 py-3">
        <Form method="post" className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="intent" value="change-role" />
          <input type="hidden" name="membershipId" value={m.membershipId} />
          <label htmlFor={`${id}-role`} className="sr-only">
            Role of {label}
          </label>
          <select
            id={`${id}-role`}
            name="roleId"
            defaultValue={m.roleId}
            className="input w-auto"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          >
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <button type="submit" className="btn-secondary" disabled={busy}>
            Change role<span className="sr-only"> of {label}</span>
          </button>
        </Form>
        {error ? (
          <p id={`${id}-error`} role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3 text-right">
        {m.isYou ? null : (
          <details className="inline-block text-left">
            <summary className="btn-secondary cursor-pointer list-none">
              Remove<span className="sr-only"> {label}</span>
            </summary>
            <Form method="post" className="mt-2 space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="membershipId" value={m.membershipId} />
              <p className="text-sm text-red-900">Remove {label} from this organization?</p>
              <button type="submit" className="btn-danger" disabled={busy}>
                Yes, remove<span className="sr-only"> {label}</span>
              </button>
            </Form>
          </details>
        )}
      </td>
    </tr>
  );
}
