/**
 * A link that proves an e-mail address: /verify-email/<token>. It verifies a new account's address, or confirms a
 * new address for an account (app/use-cases/email-verification.server.ts). Opening the link only shows the page;
 * the button does it, so programs that open links in e-mails change nothing. Unknown links answer 404, used or
 * expired ones 410. The token is the capability: no sign-in needed, and the page is not indexed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { LinkErrorPage } from "~/components/link-error";
import { getAccess } from "~/lib/access.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { loadAddressLinkPage, redeemAddressLink } from "~/use-cases/email-verification.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [
  { title: "Confirm your e-mail address · PinPoint" },
  { name: "robots", content: "noindex, nofollow" },
];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  return pageData(await runLoader(() => loadAddressLinkPage(actor, args.params.token ?? "")));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const token = args.params.token ?? "";
  return runAction({}, async () => {
    await redeemAddressLink(actor, token);
    // A redirect: after the action this page's loader would answer 410 for the link just used.
    return redirect(actor.user ? "/account?confirmed=1" : "/login?confirmed=1");
  });
}

export default function VerifyEmail() {
  const { purpose, email } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">
        {purpose === "verify" ? "Confirm your e-mail address" : "Confirm your new e-mail address"}
      </h1>
      <FormMessage error={errorsFor(result).form} />
      <p className="text-slate-700">
        {purpose === "verify" ? (
          <>
            Press the button to confirm that <strong>{email}</strong> is your address.
          </>
        ) : (
          <>
            Press the button to make <strong>{email}</strong> your account’s address. You then sign in with it.
          </>
        )}
      </p>
      <form method="post">
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {purpose === "verify" ? "Confirm my e-mail address" : "Use this e-mail address"}
        </button>
      </form>
    </div>
  );
}

/** Unknown (404), used or expired (410) links: the reason, and where to get a new one. */
export function ErrorBoundary() {
  return (
    <LinkErrorPage>
      <a href="/account">Your account</a> · <a href="/login">Sign in</a>
    </LinkErrorPage>
  );
}
