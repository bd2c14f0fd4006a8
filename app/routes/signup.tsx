import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { AccountNameField, EmailField, NewPasswordFields } from "~/components/account-fields";
import { FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { runAction } from "~/lib/failure.server";
import { parseInput, readFormObject } from "~/lib/forms.server";
import { admitSignUp, signUp, signupInput } from "~/use-cases/accounts.server";
import { pageData, usePageData } from "~/lib/page-data";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Create an account · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await getAccess(args);
  if (access.user) throw redirect("/");
  return pageData({ done: new URL(args.request.url).searchParams.get("done") === "1" });
}

/**
 * The one answer to a sign-up form that passed validation, whether or not the address already had an account, so
 * the page cannot be used to find out which addresses are registered (the same redirect, no cookie either way).
 */
const NEUTRAL_ANSWER = "/signup?done=1";

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => {
    // Counted and screened before validation (accounts.server.ts): a bot that filled the honeypot gets the answer.
    if ((await admitSignUp(actor, form)) === "trap") return redirect(NEUTRAL_ANSWER);
    await signUp(actor, parseInput(signupInput, form));
    return redirect(NEUTRAL_ANSWER);
  });
}

export default function Signup() {
  const { done } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const values = valuesFor(result);
  const navigation = useNavigation();
  if (done) {
    return (
      <div className="mx-auto max-w-sm space-y-4" role="status">
        <h1 className="text-2xl font-bold">Thanks: now sign in</h1>
        <p className="text-slate-700">
          If this e-mail address was new, your account is ready: sign in with it and the password you chose. We also
          sent a link to confirm the address.
        </p>
        <p className="text-slate-700">
          If the address already had an account, nothing was changed: sign in with that account’s password.
        </p>
        <p>
          <a href="/login" className="btn-primary inline-block">
            Sign in
          </a>
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-2 text-2xl font-bold">Create an account</h1>
      <p className="mb-6 text-sm text-slate-600">
        An account lets you follow your reports. To join an organization as a member, open the invitation link an admin
        sent you.
      </p>
      <form method="post" className="space-y-4" noValidate>
        <FormMessage error={errors.form} />
        <AccountNameField defaultValue={values.name} error={errors.name} />
        <EmailField defaultValue={values.email} error={errors.email} />
        <NewPasswordFields errors={errors} />
        <div className="hidden" aria-hidden="true">
          <label>
            Website <input name="website" tabIndex={-1} autoComplete="off" />
          </label>
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Create account
        </button>
      </form>
      <p className="mt-6 text-sm text-slate-600">
        Already have an account? <a href="/login">Sign in</a>.
      </p>
    </div>
  );
}
