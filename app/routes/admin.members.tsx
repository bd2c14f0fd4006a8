/**
 * Members of the organization and pending invitations. Inviting makes a link (shown once: only its hash is stored)
 * that the admin sends to the person; they join by opening it (app/routes/invite.$token.tsx). What each button may
 * do is decided by app/lib/member-admin.server.ts with the delegation rules of core/role-rules.ts.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { Field, FormMessage, SelectField } from "~/components/form";
import { requirePermission } from "~/lib/access.server";
import { changeRoleSchema, invitationActionSchema, inviteSchema, removeMemberSchema } from "~/lib/admin-forms.server";
import { clientIp } from "~/lib/context.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import {
  changeMemberRole,
  inviteByEmail,
  membersPage,
  removeMember,
  renewInvitationLink,
  withdrawInvitation,
  type AdminOutcome,
} from "~/lib/member-admin.server";

export const meta: MetaFunction = () => [{ title: "Members · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePermission(args, "user:manage");
  const pageParam = Number(new URL(args.request.url).searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  return membersPage(access, page);
}

type ActionResult = {
  ok: boolean;
  intent: string;
  message?: string;
  errors?: Record<string, string>;
  /** The membership or invitation a row-level error belongs to. */
  target?: string;
  values?: Record<string, unknown>;
  /** The invitation link, shown once right after it was made. */
  link?: { url: string; email: string; expiresAt: string };
};

function answer(intent: string, outcome: AdminOutcome, opts: { target?: string; values?: Record<string, unknown> } = {}) {
  if (outcome.ok) return data<ActionResult>({ ok: true, intent, message: outcome.message, link: outcome.link });
  return data<ActionResult>(
    { ok: false, intent, errors: { [outcome.field ?? "form"]: outcome.error }, target: opts.target, values: opts.values },
    { status: outcome.status },
  );
}

function refusal(intent: string, error: string, target?: string) {
  return data<ActionResult>({ ok: false, intent, errors: { form: error }, target }, { status: 400 });
}

export async function action(args: ActionFunctionArgs) {
  const access = await requirePermission(args, "user:manage");
  const ctx = { access, request: args.request, ipAddress: clientIp(args.context) ?? null };
  const form = formToObject(await readForm(args.request));

  switch (form.intent) {
    case "invite": {
      const parsed = parseWith(inviteSchema, form);
      if (!parsed.ok) return validationError(parsed.errors, { email: form.email, roleId: form.roleId });
      return answer("invite", await inviteByEmail(ctx, parsed.data), { values: parsed.data });
    }
    case "renew-link":
    case "revoke": {
      const parsed = parseWith(invitationActionSchema, form);
      if (!parsed.ok) return refusal(form.intent, "Choose an invitation.");
      const { intent, invitationId } = parsed.data;
      const outcome = intent === "revoke" ? await withdrawInvitation(ctx, invitationId) : await renewInvitationLink(ctx, invitationId);
      return answer(intent, outcome, { target: invitationId });
    }
    case "change-role": {
      const parsed = parseWith(changeRoleSchema, form);
      if (!parsed.ok) return refusal("change-role", Object.values(parsed.errors)[0] ?? "Invalid input", String(form.membershipId ?? ""));
      return answer("change-role", await changeMemberRole(ctx, parsed.data), { target: parsed.data.membershipId });
    }
    case "remove": {
      const parsed = parseWith(removeMemberSchema, form);
      if (!parsed.ok) return refusal("remove", "Choose a member to remove.");
      return answer("remove", await removeMember(ctx, parsed.data.membershipId), { target: parsed.data.membershipId });
    }
    default:
      return refusal(String(form.intent ?? ""), "Unknown action.");
  }
}

export default function AdminMembers() {
  const { members, invitations, roles, defaultRoleId, total, page, pageCount } = useLoaderData<typeof loader>();
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

      {result?.ok && result.link ? <InvitationLink link={result.link} /> : null}

      <section className="card space-y-4" aria-labelledby="invite-heading">
        <h2 id="invite-heading" className="text-lg font-semibold">
          Invite a member
        </h2>
        <p className="text-sm text-slate-600">
          You get a link to send to the person yourself. Whoever opens it can join with the chosen role, so send it only
          to them. It works once and for 7 days.
        </p>
        {roles.length === 0 ? (
          <p className="text-sm text-slate-700">There is no role you can give. Ask an admin to invite people.</p>
        ) : (
          <Form method="post" className="grid gap-4 sm:grid-cols-[3fr_1fr_auto] sm:items-end" noValidate>
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
        )}
      </section>

      <section aria-labelledby="invitations-heading" className="space-y-3">
        <h2 id="invitations-heading" className="text-lg font-semibold">
          Pending invitations
        </h2>
        {invitations.length === 0 ? (
          <p className="card text-slate-600">No pending invitations.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left">
                <tr>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Invited
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    Link works until
                  </th>
                  <th scope="col" className="px-3 py-2 font-semibold">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {invitations.map((i) => (
                  <InvitationRow
                    key={i.id}
                    invitation={i}
                    busy={busy}
                    error={rowError?.target === i.id ? rowError.errors?.form : undefined}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
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

/** The link right after it was made: the only time it can be seen (only its hash is stored). */
function InvitationLink({ link }: { link: { url: string; email: string; expiresAt: string } }) {
  const id = useId();
  return (
    <section className="card space-y-2 border-indigo-300 bg-indigo-50" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        Invitation link for {link.email}
      </h2>
      <label htmlFor={`${id}-url`} className="block text-sm font-medium">
        Copy this link now and send it to {link.email}
      </label>
      <input id={`${id}-url`} readOnly value={link.url} className="input w-full font-mono text-xs" aria-describedby={`${id}-hint`} />
      <p id={`${id}-hint`} className="text-sm text-slate-700">
        It is shown only this once. It works once, until {link.expiresAt}. Lost it? Use “Create a new link” below.
      </p>
    </section>
  );
}

interface RowInvitation {
  id: string;
  email: string;
  roleName: string;
  invitedByName: string | null;
  expiresAt: string;
  expiresIso: string;
  expired: boolean;
  canRenew: boolean;
  canRevoke: boolean;
}

function InvitationRow({ invitation: i, busy, error }: { invitation: RowInvitation; busy: boolean; error?: string }) {
  const id = useId();
  return (
    <tr className="align-top">
      <td className="px-3 py-3">
        <div className="font-medium">{i.email}</div>
        {i.invitedByName ? <div className="text-slate-600">by {i.invitedByName}</div> : null}
      </td>
      <td className="px-3 py-3">{i.roleName}</td>
      <td className="px-3 py-3">
        {i.expired ? (
          <span className="badge bg-red-100 text-red-900">Expired</span>
        ) : (
          <time dateTime={i.expiresIso}>{i.expiresAt}</time>
        )}
        {error ? (
          <p id={`${id}-error`} role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3 text-right">
        <div className="flex flex-wrap justify-end gap-2">
          {i.canRenew ? (
            <Form method="post">
              <input type="hidden" name="intent" value="renew-link" />
              <input type="hidden" name="invitationId" value={i.id} />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Create a new link<span className="sr-only"> for {i.email}</span>
              </button>
            </Form>
          ) : null}
          {i.canRevoke ? (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="invitationId" value={i.id} />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Withdraw<span className="sr-only"> the invitation for {i.email}</span>
              </button>
            </Form>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

interface RowMember {
  membershipId: string;
  name: string | null;
  email: string | null;
  neverSignedUp: boolean;
  roleId: string;
  roleName: string;
  isYou: boolean;
  canManage: boolean;
  lockedReason?: string;
}

function MemberRow({ member: m, roles, busy, error }: { member: RowMember; roles: { id: string; name: string }[]; busy: boolean; error?: string }) {
  const id = useId();
  const label = m.name ?? m.email ?? "member";
  // The member's current role stays listed even when the actor could not give it.
  const options = roles.some((r) => r.id === m.roleId) ? roles : [{ id: m.roleId, name: m.roleName }, ...roles];
  return (
    <tr className="align-top">
      <td className="px-3 py-3">
        <div className="font-medium">
          {m.name ?? "—"} {m.isYou ? <span className="badge bg-slate-100 text-slate-700">you</span> : null}
        </div>
        <div className="text-slate-600">{m.email}</div>
      </td>
      <td className="px-3 py-3">
        {m.neverSignedUp ? (
          <span className="badge bg-amber-100 text-amber-900">Never signed up (old invitation)</span>
        ) : (
          <span className="badge bg-green-100 text-green-900">Active</span>
        )}
      </td>
      <td className="px-3 py-3">
        {m.canManage ? (
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
              {options.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <button type="submit" className="btn-secondary" disabled={busy}>
              Change role<span className="sr-only"> of {label}</span>
            </button>
          </Form>
        ) : (
          <div>
            <span className="font-medium">{m.roleName}</span>
            {m.lockedReason ? <p className="text-xs text-slate-600">{m.lockedReason}</p> : null}
          </div>
        )}
        {error ? (
          <p id={`${id}-error`} role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3 text-right">
        {m.canManage ? (
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
        ) : null}
      </td>
    </tr>
  );
}
