/**
 * "Forgot your password?": asks for the account's e-mail address and always answers the same (a redirect to
 * ?sent=1), whether or not the address has an account; the link itself arrives by e-mail
 * (app/use-cases/password-reset.server.ts). Limited per client address and per e-mail address (429).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { EmailField } from "~/components/account-fields";
import { FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { runAction } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import { forgotPasswordInput, loadForgotPasswordPage, requestPasswordReset } from "~/use-cases/password-reset.server";
import { pageData, usePageData } from "~/lib/page-data";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  await getAccess(args);
  return pageData({ ...loadForgotPasswordPage(), sent: new URL(args.request.url).searchParams.get("sent") === "1" });
}

/** The one answer to a valid request, whatever the address. */
const SENT = "/forgot-password?sent=1";

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => {
    await requestPasswordReset(actor, parseInput(forgotPasswordInput, form));
    return redirect(SENT);
  });
}

export default function ForgotPassword() {
  const { sent, mailIsSent } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const navigation = useNavigation();
  if (sent) {
    return (
      <div className="mx-auto max-w-sm space-y-4">
        <h1 className="text-2xl font-bold">Check your e-mail</h1>
        <div role="status" className="space-y-4 text-slate-700">
          <p>
            If an account exists for that address, we sent it a link to choose a new password. The link works once, for
            1 hour.
          </p>
          {mailIsSent ? (
            <p>Nothing after a few minutes? Look in your spam folder, or ask for a new link.</p>
          ) : (
            <p>
              This PinPoint is not set up to send e-mail, so the message waits with the person who runs it: ask them for
              your link.
            </p>
          )}
        </div>
        <p className="text-sm">
          <a href="/login">Back to sign in</a> · <a href="/forgot-password">Ask for another link</a>
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-2 text-2xl font-bold">Forgot your password?</h1>
      <p className="mb-6 text-sm text-slate-600">
        Enter the e-mail address of your account. We will send you a link to choose a new password.
      </p>
      <form method="post" className="space-y-4" noValidate>
        <FormMessage error={errors.form} />
        <EmailField defaultValue={valuesFor(result).email ?? ""} error={errors.email} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Send me a link
        </button>
      </form>
      <p className="mt-6 text-sm text-slate-600">
        Remembered it? <a href="/login">Sign in</a>.
      </p>
    </div>
  );
}
