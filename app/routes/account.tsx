import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { NewPasswordFields } from "~/components/account-fields";
import { EmailSection } from "~/components/account/email-section";
import { TitledSection } from "~/components/titled-section";
import { Field, FormMessage, TextareaField } from "~/components/form";
import { requireUser } from "~/lib/access.server";
import { errorsFor, messageFor, useActionResult, valuesFor } from "~/lib/action-result";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { destroyUserSession } from "~/lib/session.server";
import {
  changePassword,
  loadAccountPage,
  passwordChangeInput,
  profileInput,
  signOutEverywhere,
  updateProfile,
} from "~/use-cases/accounts.server";
import { emailChangeInput, requestEmailChange, resendVerification } from "~/use-cases/email-verification.server";
import { pageData, usePageData } from "~/lib/page-data";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Your account · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireUser(args);
  return pageData(await runLoader(() => loadAccountPage(actor)));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireUser(args);
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "profile":
        await updateProfile(actor, parseInput(profileInput, form));
        return { ok: true, intent, message: "Profile saved." };
      case "password":
        await changePassword(actor, parseInput(passwordChangeInput, form));
        return { ok: true, intent, message: "Password changed. Other sessions were signed out." };
      case "resend-verification":
        return { ok: true, intent, message: await resendVerification(actor) };
      case "email":
        return { ok: true, intent, message: await requestEmailChange(actor, parseInput(emailChangeInput, form)) };
      case "signout-everywhere":
        await signOutEverywhere(actor);
        return destroyUserSession(actor.db, args.request, "/login");
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function Account() {
  const { profile, sessions, emailVerified } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const onEmailForm = result?.intent === "email";
  const [params] = useSearchParams();
  const confirmed = params.get("confirmed") === "1" && !result ? "Your e-mail address is confirmed." : undefined;
  return (
    <div className="mx-auto max-w-xl space-y-8">
      <h1 className="text-2xl font-bold">Your account</h1>
      <FormMessage error={errors.form} success={messageFor(result) ?? confirmed} />
      <TitledSection headingId="profile-heading" title="Profile" className="card space-y-4">
        <p className="text-sm text-slate-600">Signed in as {profile?.email}</p>
        <form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="profile" />
          <Field
            label="Name"
            name="name"
            defaultValue={profile?.name ?? ""}
            maxLength={100}
            required
            error={errors.name}
          />
          <TextareaField
            label="Bio"
            name="bio"
            defaultValue={profile?.bio ?? ""}
            maxLength={500}
            rows={3}
            error={errors.bio}
          />
          <button className="btn-primary" type="submit">
            Save profile
          </button>
        </form>
      </TitledSection>
      <EmailSection
        email={profile?.email ?? null}
        verified={emailVerified}
        errors={onEmailForm ? errors : {}}
        values={valuesFor(result, "email")}
      />
      <TitledSection headingId="password-heading" title="Change password" className="card space-y-4">
        <form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="password" />
          <Field
            label="Current password"
            name="current"
            type="password"
            autoComplete="current-password"
            required
            error={onEmailForm ? undefined : errors.current}
          />
          <NewPasswordFields errors={onEmailForm ? {} : errors} label="New password" hint={false} />
          <button className="btn-primary" type="submit">
            Change password
          </button>
        </form>
      </TitledSection>
      <TitledSection headingId="sessions-heading" title="Sessions" className="card space-y-3">
        <p className="text-sm text-slate-600">
          You are signed in on {sessions} {sessions === 1 ? "device" : "devices"}.
        </p>
        <form method="post">
          <input type="hidden" name="intent" value="signout-everywhere" />
          <button className="btn-danger" type="submit">
            Sign out everywhere
          </button>
        </form>
      </TitledSection>
    </div>
  );
}
