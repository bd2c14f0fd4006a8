import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { SignInError, createAuthenticator } from "~/lib/auth.server";
import { clientIp } from "~/lib/context.server";
import { readForm } from "~/lib/forms.server";
import { beginSignInAttempt } from "~/lib/login-throttle.server";
import { tooManyRequests } from "~/lib/rate-limit.server";
import { createUserSession, safeRedirect } from "~/lib/session.server";

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
  const form = await readForm(request.clone());
  const email = String(form.get("email") ?? "").trim().toLowerCase().slice(0, 254);
  // Failures only, per address and per (account, address); an account under attack is slowed down, not locked.
  const start = await beginSignInAttempt(email, clientIp(context));
  if (!start.allowed) return tooManyRequests(start.limit, "Too many sign-in attempts. Please wait a few minutes and try again.");
  try {
    const user = await createAuthenticator(access.db).authenticate("form", request);
    start.attempt.succeeded();
    return createUserSession(access.db, request, user.id, safeRedirect(form.get("redirectTo")), clientIp(context));
  } catch (error) {
    if (error instanceof SignInError) {
      start.attempt.failed();
      return data({ ok: false as const, errors: { [error.field]: error.message } as Record<string, string>, email }, { status: 400 });
    }
    throw error;
  }
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = (actionData?.errors ?? {}) as Record<string, string | undefined>;
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-bold">Sign in</h1>
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <FormMessage error={errors.form} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={actionData && "email" in actionData ? actionData.email : ""} error={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="mt-6 text-sm text-slate-600">
        No account yet? <Link to="/signup">Create one</Link>. Reporting a problem needs no account:{" "}
        <Link to="/report">report it here</Link>.
      </p>
    </div>
  );
}
