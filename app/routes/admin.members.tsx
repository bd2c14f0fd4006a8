/**
 * Members of the organization and pending invitations. Inviting makes a link (shown once: only its hash is stored)
 * that the admin sends to the person; they join by opening it (app/routes/invite.$token.tsx). What each button may
 * do is decided by app/use-cases/members.server.ts with the delegation rules of core/role-rules.ts.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { AdminPageHeader } from "~/components/admin-page-header";
import { InvitationLink, shownLinkOf } from "~/components/admin-members/invitation-link";
import { InvitationRow, MemberRow, rowFailureOf } from "~/components/admin-members/rows";
import { Field, fieldsOf, FormMessage, OptionList, SelectField } from "~/components/form";
import { DataTable } from "~/components/list-page";
import { Pagination } from "~/components/pagination";
import { requirePermission } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import {
  invitationIdInput,
  inviteInput,
  inviteMember,
  renewInvitationLink,
  shownLink,
  withdrawInvitation,
} from "~/use-cases/invitations.server";
import {
  changeMemberRole,
  changeRoleInput,
  loadMembersPage,
  removeMember,
  removeMemberInput,
} from "~/use-cases/members.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Members · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "user:manage");
  const pageParam = Number(new URL(args.request.url).searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  return pageData(await runLoader(() => loadMembersPage(actor, page)));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requirePermission(args, "user:manage");
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "invite": {
        const made = await inviteMember(actor, parseInput(inviteInput, form));
        return { ok: true as const, intent, message: made.message, link: shownLink(args.request, made.link) };
      }
      case "renew-link": {
        const made = await renewInvitationLink(actor, parseInput(invitationIdInput, form).invitationId);
        return { ok: true as const, intent, message: made.message, link: shownLink(args.request, made.link) };
      }
      case "revoke":
        return {
          ok: true as const,
          intent,
          message: await withdrawInvitation(actor, parseInput(invitationIdInput, form).invitationId),
        };
      case "change-role":
        return { ok: true as const, intent, message: await changeMemberRole(actor, parseInput(changeRoleInput, form)) };
      case "remove":
        return {
          ok: true as const,
          intent,
          message: await removeMember(actor, parseInput(removeMemberInput, form).membershipId),
        };
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function AdminMembers() {
  const { members, invitations, roles, defaultRoleId, total, page, pageSize } =
    usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const inviteErrors = errorsFor(result, "invite");
  const inviteValues = valuesFor(result, "invite");
  const field = fieldsOf(inviteValues, inviteErrors);
  const failedRow = rowFailureOf(result);
  // A row that is no longer listed (withdrawn twice, removed meanwhile) shows its message at the top instead.
  const rowFailure =
    failedRow && [...members.map((m) => m.membershipId), ...invitations.map((i) => i.id)].includes(failedRow.target)
      ? failedRow
      : undefined;
  const link = shownLinkOf(result);
  const formError = rowFailure ? undefined : (errorsFor(result).form ?? failedRow?.message);

  return (
    <div className="space-y-8">
      <AdminPageHeader crumb="Members" title="Members">
        <p className="text-slate-600">
          {total} {total === 1 ? "member" : "members"}. Roles decide what each member may do;{" "}
          <a href="/admin/roles">edit roles</a>.
        </p>
      </AdminPageHeader>

      <FormMessage error={formError} success={messageFor(result)} />

      {link ? <InvitationLink link={link} /> : null}

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
          <form method="post" className="grid gap-4 sm:grid-cols-[3fr_1fr_auto] sm:items-end" noValidate>
            <input type="hidden" name="intent" value="invite" />
            <Field label="Email" {...field("email")} type="email" autoComplete="off" required maxLength={254} />
            <SelectField
              label="Role"
              name="roleId"
              defaultValue={inviteValues.roleId || defaultRoleId}
              error={inviteErrors.roleId}
            >
              <OptionList options={roles} />
            </SelectField>
            <button type="submit" className="btn-primary" disabled={busy}>
              Invite
            </button>
          </form>
        )}
      </section>

      <section aria-labelledby="invitations-heading" className="space-y-3">
        <h2 id="invitations-heading" className="text-lg font-semibold">
          Pending invitations
        </h2>
        {invitations.length === 0 ? (
          <p className="card text-slate-600">No pending invitations.</p>
        ) : (
          <DataTable
            caption="Pending invitations"
            columns={[{ label: "Invited" }, { label: "Role" }, { label: "Link works until" }, { label: "Actions" }]}
          >
            {invitations.map((i) => (
              <InvitationRow
                key={i.id}
                invitation={i}
                busy={busy}
                error={rowFailure?.target === i.id ? rowFailure.message : undefined}
              />
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-lg font-semibold">
          All members
        </h2>
        {members.length === 0 ? (
          <p className="card text-slate-600">No members on this page.</p>
        ) : (
          <DataTable
            caption="Members"
            columns={[{ label: "Member" }, { label: "Status" }, { label: "Role" }, { label: "Actions" }]}
          >
            {members.map((m) => (
              <MemberRow
                key={m.membershipId}
                member={m}
                roles={roles}
                busy={busy}
                error={rowFailure?.target === m.membershipId ? rowFailure.message : undefined}
              />
            ))}
          </DataTable>
        )}
        <Pagination page={page} pageSize={pageSize} total={total} label="Member pages" />
      </section>
    </div>
  );
}
