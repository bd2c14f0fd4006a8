/**
 * The one-click unsubscribe of notification e-mails: /notifications/unsubscribe/<token> (the List-Unsubscribe header
 * and the link in every notification e-mail, app/use-cases/notification-mail.server.ts). GET shows a confirm button
 * (link scanners must not unsubscribe anyone); POST turns the e-mails off, with or without the RFC 8058 body
 * `List-Unsubscribe=One-Click`. Mail providers post from their own servers, so server/app.ts exempts this path from
 * the cross-site origin check; the signed token is the proof. No sign-in needed; the page is not indexed.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { readFormObject } from "~/lib/forms.server";
import { requireOneClickIfCrossSite } from "~/lib/one-click.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { loadUnsubscribePage, unsubscribeByLink } from "~/use-cases/notification-mail.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [
  { title: "Stop notification e-mails · PinPoint" },
  { name: "robots", content: "noindex, nofollow" },
];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await getAccess(args);
  return pageData(await runLoader(() => loadUnsubscribePage(actor, args.params.token ?? "")));
}

export async function action(args: ActionFunctionArgs) {
  const actor = await getAccess(args);
  const form = await readFormObject(args.request);
  return runAction({ form }, async () => {
    requireOneClickIfCrossSite(args.context.crossSite, form);
    return { ok: true as const, message: await unsubscribeByLink(actor, args.params.token ?? "") };
  });
}

export default function Unsubscribe() {
  const { organizationName, emailsOn } = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const done = result?.ok ? (result.message ?? null) : null;
  return (
    <div className="mx-auto max-w-lg">
      <h1 className="mb-2 text-2xl font-bold">Stop notification e-mails</h1>
      {done ? (
        <p role="status" className="mb-4">
          {done}
        </p>
      ) : emailsOn ? (
        <>
          <p className="mb-4 text-slate-700">
            You get e-mails about issues in {organizationName}. This turns notification e-mails off for your account (in
            every organization); notifications on the site stay.
          </p>
          <form method="post">
            <FormMessage error={errors.form} />
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <button type="submit" className="btn-primary">
              Turn off notification e-mails
            </button>
          </form>
        </>
      ) : (
        <p className="mb-4">Notification e-mails are already off for your account.</p>
      )}
      <p className="mt-6 text-sm">
        <a href="/notifications">Notification settings</a>
      </p>
    </div>
  );
}
