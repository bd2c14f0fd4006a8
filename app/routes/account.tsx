import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, TextareaField } from "~/components/form";
import { requireUser } from "~/lib/access.server";
import { passwordChangeSchema, profileSchema } from "~/lib/auth-forms.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { hashPassword, verifyPassword } from "../../core/password.server";
import { RULES, refund, take, tooManyRequests } from "~/lib/rate-limit.server";
import { destroyUserSession } from "~/lib/session.server";
import { deleteUserSessions, countUserSessions } from "../../db/queries/sessions.server";
import { findPasswordHash, getUserProfile, setPasswordHash, updateUserProfile } from "../../db/queries/users.server";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Your account · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user } = await requireUser(args);
  const profile = await getUserProfile(db, user.id);
  return { profile, sessions: await countUserSessions(db, user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user } = await requireUser(args);
  const form = formToObject(await readForm(args.request));
  switch (form.intent) {
    case "profile": {
      const parsed = parseWith(profileSchema, form);
      if (!parsed.ok) return validationError(parsed.errors);
      await updateUserProfile(db, user.id, { name: parsed.data.name, bio: parsed.data.bio });
      return data({ ok: true as const, message: "Profile saved." });
    }
    case "password": {
      const parsed = parseWith(passwordChangeSchema, form);
      if (!parsed.ok) return validationError(parsed.errors);
      // Guessing the current password from a hijacked session is limited like sign-in.
      // Only wrong current passwords count: the slot taken here is given back when the password was right.
      const limitKey = `password-change:user:${user.id}`;
      const limit = take([[limitKey, RULES.passwordChangePerUser]]);
      if (!limit.allowed) return tooManyRequests(limit, "Too many attempts. Please wait a few minutes and try again.");
      const stored = await findPasswordHash(db, user.id);
      if (!stored || !(await verifyPassword(parsed.data.current, stored)).ok) {
        return validationError({ current: "That is not your current password." });
      }
      refund(limitKey);
      await setPasswordHash(db, user.id, await hashPassword(parsed.data.password));
      // Every other browser signed in as this user is signed out.
      await deleteUserSessions(db, user.id, user.sessionId);
      return data({ ok: true as const, message: "Password changed. Other sessions were signed out." });
    }
    case "signout-everywhere": {
      await deleteUserSessions(db, user.id);
      return destroyUserSession(db, args.request, "/login");
    }
    default:
      return validationError({ form: "Unknown action." });
  }
}

export default function Account() {
  const { profile, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result && "errors" in result ? result.errors : {}) as Record<string, string | undefined>;
  return (
    <div className="mx-auto max-w-xl space-y-8">
      <h1 className="text-2xl font-bold">Your account</h1>
      <FormMessage error={errors.form} success={result && "message" in result ? result.message : undefined} />
      <section className="card space-y-4" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="text-lg font-semibold">
          Profile
        </h2>
        <p className="text-sm text-slate-600">Signed in as {profile?.email}</p>
        <Form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="profile" />
          <Field label="Name" name="name" defaultValue={profile?.name ?? ""} maxLength={100} required error={errors.name} />
          <TextareaField label="Bio" name="bio" defaultValue={profile?.bio ?? ""} maxLength={500} rows={3} error={errors.bio} />
          <button className="btn-primary" type="submit">
            Save profile
          </button>
        </Form>
      </section>
      <section className="card space-y-4" aria-labelledby="password-heading">
        <h2 id="password-heading" className="text-lg font-semibold">
          Change password
        </h2>
        <Form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="password" />
          <Field label="Current password" name="current" type="password" autoComplete="current-password" required error={errors.current} />
          <Field label="New password" name="password" type="password" autoComplete="new-password" required minLength={8} error={errors.password} />
          <Field label="Repeat new password" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
          <button className="btn-primary" type="submit">
            Change password
          </button>
        </Form>
      </section>
      <section className="card space-y-3" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Sessions
        </h2>
        <p className="text-sm text-slate-600">
          You are signed in on {sessions} {sessions === 1 ? "device" : "devices"}.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="signout-everywhere" />
          <button className="btn-danger" type="submit">
            Sign out everywhere
          </button>
        </Form>
      </section>
    </div>
  );
}
