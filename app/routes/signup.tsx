import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { clientIp } from "~/lib/context.server";
import { signupSchema } from "~/lib/auth-forms.server";
import { formToObject, parseWith, readForm, validationError } from "~/lib/forms.server";
import { hashPassword } from "../../core/password.server";
import { RULES, checkLimits, tooManyRequests } from "~/lib/rate-limit.server";
import { notifyExistingAccountOwner } from "~/lib/signup.server";
import { createUserWithPassword } from "../../db/queries/users.server";

export { rateLimitHeaders as headers } from "~/lib/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Create an account · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await getAccess(args);
  if (access.user) throw redirect("/");
  return { done: new URL(args.request.url).searchParams.get("done") === "1" };
}

/**
 * The one answer to a sign-up form that passed validation, whether or not the address already had an account, so
 * the page cannot be used to find out which addresses are registered (the same redirect, no cookie either way).
 */
const NEUTRAL_ANSWER = "/signup?done=1";

export async function action(args: ActionFunctionArgs) {
  const access = await getAccess(args);
  const form = formToObject(await readForm(args.request));
  const limit = checkLimits([[`signup:ip:${clientIp(args.context)}`, RULES.signupPerIp]]);
  if (!limit.allowed) return tooManyRequests(limit, "Too many accounts created from here. Please try again later.");
  // Honeypot: people never see the "website" field; bots fill it. Pretend success and create nothing.
  if (typeof form.website === "string" && form.website.trim() !== "") {
    console.warn("signup: honeypot field filled; ignored", { ip: clientIp(args.context) });
    return redirect(NEUTRAL_ANSWER);
  }
  const parsed = parseWith(signupSchema, form);
  if (!parsed.ok) return validationError(parsed.errors, { name: form.name, email: form.email });
  const { name, email, password } = parsed.data;
  // Hashed before looking the address up, so both cases take the same time.
  const user = await createUserWithPassword(access.db, { email, name, hash: await hashPassword(password) });
  if (!user) await notifyExistingAccountOwner(email);
  return redirect(NEUTRAL_ANSWER);
}

export default function Signup() {
  const { done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = (actionData?.errors ?? {}) as Record<string, string | undefined>;
  const values = (actionData && "values" in actionData ? actionData.values : undefined) as Record<string, string> | undefined;
  if (done) {
    return (
      <div className="mx-auto max-w-sm space-y-4" role="status">
        <h1 className="text-2xl font-bold">Thanks: now sign in</h1>
        <p className="text-slate-700">
          If this e-mail address was new, your account is ready: sign in with it and the password you chose.
        </p>
        <p className="text-slate-700">
          If the address already had an account, nothing was changed: sign in with that account’s password.
        </p>
        <p>
          <Link to="/login" className="btn-primary inline-block">
            Sign in
          </Link>
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
      <Form method="post" className="space-y-4" noValidate>
        <FormMessage error={errors.form} />
        <Field label="Name" name="name" autoComplete="name" required maxLength={100} defaultValue={values?.name} error={errors.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={values?.email} error={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters. Long passphrases are welcome." error={errors.password} />
        <Field label="Repeat password" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
        <div className="hidden" aria-hidden="true">
          <label>
            Website <input name="website" tabIndex={-1} autoComplete="off" />
          </label>
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Create account
        </button>
      </Form>
      <p className="mt-6 text-sm text-slate-600">
        Already have an account? <Link to="/login">Sign in</Link>.
      </p>
    </div>
  );
}
