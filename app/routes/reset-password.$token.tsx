/**
 * A password reset link: /reset-password/<token>. The person chooses a new password (`password`, `confirm`); that
 * signs out every session of the account, and they sign in again. Unknown links answer 404, used or expired ones
 * 410 (app/use-cases/password-reset.server.ts). The token is the capability: the page is not indexed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { NewPasswordFields } from "~/components/account-fields";
import { FormMessage } from "~/components/form";
import { LinkErrorPage } from "~/components/link-error";
import { getAccess } from "~/lib/access.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import {
  admitPasswordReset,
  loadResetPasswordPage,
  resetPassword,
  resetPasswordInput,
} from "~/use-cases/password-reset.server";
import { pageData, usePageData } from "~/lib/page-data";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [
  { title: "Choose a new password · PinPoint" },
  { name: "robots", content: "noindex, nofollow" },
];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  return pageData(await runLoader(() => loadResetPasswordPage(actor, args.params.token ?? "")));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const token = args.params.token ?? "";
  const form = await readFormObject(args.request);
  return runAction({}, async () => {
    // Every submit from this address counts, valid or not.
    await admitPasswordReset(actor);
    // A dead link says so (404/410) before the fields are checked.
    await loadResetPasswordPage(actor, token);
    await resetPassword(actor, token, parseInput(resetPasswordInput, form));
    return redirect("/login?reset=1");
  });
}

export default function ResetPassword() {
  const { email } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-2 text-2xl font-bold">Choose a new password</h1>
      <p className="mb-6 text-sm text-slate-600">
        For the account <strong>{email}</strong>. Saving it signs you out everywhere; then sign in with the new
        password.
      </p>
      <form method="post" className="space-y-4" noValidate>
        <FormMessage error={errors.form} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
        <NewPasswordFields errors={errors} label="New password" />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Save the new password
        </button>
      </form>
      {errors.form ? (
        <p className="mt-4 text-sm">
          <a href="/forgot-password">Ask for a new link</a>
        </p>
      ) : null}
    </div>
  );
}

/** Unknown (404), used or expired (410) links: the reason, and where to get a new one. */
export function ErrorBoundary() {
  return (
    <LinkErrorPage>
      <a href="/forgot-password">Ask for a new link</a> · <a href="/login">Sign in</a>
    </LinkErrorPage>
  );
}
