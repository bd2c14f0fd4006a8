/**
 * An invitation link: /invite/<token>. Shows the organization and the role; a signed-in visitor accepts with one
 * button, a visitor without an account creates one here (the invited address, their name and password), anyone else
 * signs in and comes back. Used, withdrawn and expired links answer 410; unknown ones 404. The token is the
 * capability (app/lib/invitations.server.ts); the page is not indexed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { invitationAccountSchema } from "~/lib/auth-forms.server";
import { clientIp } from "~/lib/context.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { acceptInvitationAsUser, acceptInvitationWithNewAccount, invitationPage } from "~/lib/invitations.server";
import { hashPassword } from "../../core/password.server";
import { RULES, checkLimits, tooManyRequests } from "~/lib/rate-limit.server";
import { createUserSession } from "~/lib/session.server";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `Join ${d.organizationName} · PinPoint` : "Invitation · PinPoint" },
  { name: "robots", content: "noindex, nofollow" },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await getAccess(args);
  return invitationPage(access.db, access.organizationId, args.params.token ?? "", {
    userId: access.user?.id ?? null,
    email: access.user?.email ?? null,
    isMember: access.membership !== null,
  });
}

export async function action(args: ActionFunctionArgs) {
  const access = await getAccess(args);
  const form = formToObject(await readForm(args.request));
  const ip = clientIp(args.context) ?? null;
  const ctx = { db: access.db, organizationId: access.organizationId, token: args.params.token ?? "", ipAddress: ip };

  if (form.intent === "accept") {
    if (!access.user) return data({ ok: false as const, errors: { form: "Sign in first to accept the invitation." } }, { status: 400 });
    const outcome = await acceptInvitationAsUser(ctx, access.user.id);
    if (!outcome.ok) return data({ ok: false as const, errors: { form: outcome.error } }, { status: outcome.status });
    return redirect("/");
  }

  if (form.intent === "create-account") {
    if (access.user) return data({ ok: false as const, errors: { form: "You are signed in: accept with your account instead." } }, { status: 400 });
    const limit = checkLimits([[`signup:ip:${clientIp(args.context)}`, RULES.signupPerIp]]);
    if (!limit.allowed) return tooManyRequests(limit, "Too many accounts created from here. Please try again later.");
    const parsed = parseWith(invitationAccountSchema, form);
    if (!parsed.ok) return validationError(parsed.errors, { name: form.name });
    const outcome = await acceptInvitationWithNewAccount(ctx, { name: parsed.data.name, passwordHash: await hashPassword(parsed.data.password) });
    if (!outcome.ok) return data({ ok: false as const, errors: { form: outcome.error } }, { status: outcome.status });
    return createUserSession(access.db, args.request, outcome.userId, "/", ip);
  }

  return data({ ok: false as const, errors: { form: "Unknown action." } }, { status: 400 });
}

export default function Invitation() {
  const invitation = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { token } = useParams();
  const errors = (actionData?.errors ?? {}) as Record<string, string | undefined>;
  const values = (actionData && "values" in actionData ? actionData.values : undefined) as Record<string, string> | undefined;
  const busy = navigation.state === "submitting";
  const signInLink = `/login?redirectTo=${encodeURIComponent(`/invite/${token ?? ""}`)}`;

  return (
    <div className="mx-auto max-w-md space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Join {invitation.organizationName}</h1>
        <p className="mt-2 text-slate-700">
          You are invited to join <strong>{invitation.organizationName}</strong> on PinPoint as{" "}
          <strong>{invitation.roleName}</strong>. The invitation was made for <strong>{invitation.email}</strong> and works
          until <time dateTime={invitation.expiresIso}>{invitation.expiresAt}</time>.
        </p>
      </div>

      <FormMessage error={errors.form} />

      {invitation.signedIn ? (
        invitation.isMember ? (
          <p className="card">
            You are already a member of {invitation.organizationName}. <Link to="/">Go to the start page</Link>.
          </p>
        ) : (
          <Form method="post" className="card space-y-3">
            <input type="hidden" name="intent" value="accept" />
            <p className="text-sm text-slate-700">
              You are signed in as {invitation.signedInAs}. Accepting makes this account a member.
            </p>
            <button type="submit" className="btn-primary" disabled={busy}>
              Accept the invitation
            </button>
          </Form>
        )
      ) : invitation.accountExists ? (
        <p className="card">
          An account with {invitation.email} exists. <Link to={signInLink}>Sign in</Link> and come back to this link to
          accept.
        </p>
      ) : (
        <section className="card space-y-4" aria-labelledby="create-heading">
          <h2 id="create-heading" className="text-lg font-semibold">
            Create your account
          </h2>
          <Form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="intent" value="create-account" />
            <p className="text-sm text-slate-700">
              Your account’s e-mail address will be <strong>{invitation.email}</strong>.
            </p>
            <Field label="Name" name="name" autoComplete="name" required maxLength={100} defaultValue={values?.name} error={errors.name} />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              hint="At least 8 characters. Long passphrases are welcome."
              error={errors.password}
            />
            <Field label="Repeat password" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
            <button type="submit" className="btn-primary w-full" disabled={busy}>
              Create account and join
            </button>
          </Form>
          <p className="text-sm text-slate-600">
            Already have an account with another address? <Link to={signInLink}>Sign in</Link> and come back to this link.
          </p>
        </section>
      )}
    </div>
  );
}
