import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useNavigation, useSearchParams } from "@remix-run/react";
import { EmailField } from "~/components/account-fields";
import { Field, FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { errorsFor, useActionResult, valuesFor } from "~/lib/action-result";
import { signIn } from "~/lib/auth.server";
import { clientIp } from "~/lib/context.server";
import { runAction } from "~/lib/failure.server";
import { readFormObject } from "~/lib/forms.server";
import { createUserSession, safeRedirect } from "~/lib/session.server";
import { noticeSignInAttempts } from "~/use-cases/security-notices.server";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Sign in · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await getAccess(args);
  if (access.user) throw redirect(safeRedirect(new URL(args.request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const access = await getAccess(args);
  // The sign-in strategy reads the body itself; the copy gives the limits their key and the page its redirect.
  const form = await readFormObject(request.clone());
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const email = String(first(form.email) ?? "")
    .trim()
    .toLowerCase()
    .slice(0, 254);
  return runAction({ form }, async () => {
    // Many failures for one account: its owner gets an e-mail (at most one an hour).
    const user = await signIn(access.db, request, email, clientIp(context), (account, failures) =>
      noticeSignInAttempts(access.db, account, failures, access.links),
    );
    return createUserSession(access.db, request, user.id, safeRedirect(first(form.redirectTo)), clientIp(context));
  });
}

export default function Login() {
  const result = useActionResult();
  const errors = errorsFor(result);
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-bold">Sign in</h1>
      <form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <FormMessage
          error={errors.form}
          success={
            params.get("reset") === "1"
              ? "Your password was changed. Sign in with your new password."
              : params.get("confirmed") === "1"
                ? "Your e-mail address is confirmed. Sign in with it."
                : undefined
          }
        />
        <EmailField defaultValue={valuesFor(result).email ?? ""} error={errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="mt-4 text-sm">
        <a href="/forgot-password">Forgot your password?</a>
      </p>
      <p className="mt-6 text-sm text-slate-600">
        No account yet? <a href="/signup">Create one</a>. Reporting a problem needs no account:{" "}
        <a href="/report">report it here</a>.
      </p>
    </div>
  );
}
