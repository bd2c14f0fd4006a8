/**
 * An invitation link: /invite/<token>. Shows the organization and the role; a signed-in visitor accepts with one
 * button, a visitor without an account creates one here (the invited address, their name and password), anyone else
 * signs in and comes back. Used, withdrawn and expired links answer 410; unknown ones 404. The token is the
 * capability (app/use-cases/invitations.server.ts); the page is not indexed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { AccountNameField, NewPasswordFields } from "~/components/account-fields";
import { FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { clientIp } from "~/lib/context.server";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { createUserSession } from "~/lib/session.server";
import {
  acceptInvitation,
  acceptInvitationWithNewAccount,
  admitNewAccount,
  invitationAccountInput,
  loadInvitationPage,
} from "~/use-cases/invitations.server";
import { pageData, readPageData, usePageData } from "~/lib/page-data";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const d = data ? readPageData(data) : undefined;
  return [
    { title: d ? `Join ${d.organizationName} · PinPoint` : "Invitation · PinPoint" },
    { name: "robots", content: "noindex, nofollow" },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  return pageData(await runLoader(() => loadInvitationPage(actor, args.params.token ?? "")));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const token = args.params.token ?? "";
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "accept":
        await acceptInvitation(actor, token);
        return redirect("/");
      case "create-account": {
        // Before the form is read: signed-in visitors accept instead, and every attempt counts against the allowance.
        await admitNewAccount(actor);
        const { userId } = await acceptInvitationWithNewAccount(actor, token, parseInput(invitationAccountInput, form));
        return createUserSession(actor.db, args.request, userId, "/", clientIp(args.context));
      }
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function Invitation() {
  const invitation = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const values = valuesFor(result);
  const navigation = useNavigation();
  const { token } = useParams();
  const busy = navigation.state === "submitting";
  const signInLink = `/login?redirectTo=${encodeURIComponent(`/invite/${token ?? ""}`)}`;

  return (
    <div className="mx-auto max-w-md space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Join {invitation.organizationName}</h1>
        <p className="mt-2 text-slate-700">
          You are invited to join <strong>{invitation.organizationName}</strong> on PinPoint as{" "}
          <strong>{invitation.roleName}</strong>. The invitation was made for <strong>{invitation.email}</strong> and
          works until <time dateTime={invitation.expiresIso}>{invitation.expiresAt}</time>.
        </p>
      </div>

      <FormMessage error={errors.form} />

      {invitation.signedIn ? (
        invitation.isMember ? (
          <p className="card">
            You are already a member of {invitation.organizationName}. <a href="/">Go to the start page</a>.
          </p>
        ) : (
          <form method="post" className="card space-y-3">
            <input type="hidden" name="intent" value="accept" />
            <p className="text-sm text-slate-700">
              You are signed in as {invitation.signedInAs}. Accepting makes this account a member.
            </p>
            <button type="submit" className="btn-primary" disabled={busy}>
              Accept the invitation
            </button>
          </form>
        )
      ) : invitation.accountExists ? (
        <p className="card">
          An account with {invitation.email} exists. <a href={signInLink}>Sign in</a> and come back to this link to
          accept.
        </p>
      ) : (
        <section className="card space-y-4" aria-labelledby="create-heading">
          <h2 id="create-heading" className="text-lg font-semibold">
            Create your account
          </h2>
          <form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="create-account" />
            <p className="text-sm text-slate-700">
              Your account’s e-mail address will be <strong>{invitation.email}</strong>.
            </p>
            <AccountNameField defaultValue={values.name} error={errors.name} />
            <NewPasswordFields errors={errors} />
            <button type="submit" className="btn-primary w-full" disabled={busy}>
              Create account and join
            </button>
          </form>
          <p className="text-sm text-slate-600">
            Already have an account with another address? <a href={signInLink}>Sign in</a> and come back to this link.
          </p>
        </section>
      )}
    </div>
  );
}
