/**
 * /unsubscribe/<token>: stop the e-mails about one problem report (app/use-cases/subscriptions.server.ts). GET shows
 * a confirm button (link checkers and previews must not unsubscribe anyone); POST unsubscribes. Mail clients use
 * RFC 8058 one-click: a POST with the body `List-Unsubscribe=One-Click`, from another site or none; the server lets
 * exactly that through its cross-site check (server/security.ts ONE_CLICK_UNSUBSCRIBE_PATH) and marks it
 * `crossSite`, so here a cross-site POST with any other body is refused. The page never shows the address.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { getAccess } from "~/lib/access.server";
import { requireOneClickIfCrossSite } from "~/lib/one-click.server";
import { useActionResult } from "~/lib/action-result";
import { runAction, runLoader } from "~/lib/failure.server";
import { readFormObject } from "~/lib/forms.server";
import { loadUnsubscribePage, unsubscribeByToken } from "~/use-cases/subscriptions.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [
  { title: "Stop e-mails about a report · PinPoint" },
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
    await unsubscribeByToken(actor, args.params.token ?? "");
    return { ok: true as const, message: "Done: you will get no more e-mails about this problem." };
  });
}

export default function Unsubscribe() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const done = result?.ok ? result.message : null;
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">Stop e-mails about a report</h1>
      <p className="text-slate-700">
        About “<span className="break-words">{d.issueTitle}</span>” at {d.organizationName}.
      </p>
      {done ? <FormMessage success={done} /> : null}
      {d.unsubscribed ? (
        <p>You get no e-mails about this problem any more.</p>
      ) : (
        <form method="post" className="space-y-3">
          <p>You get one e-mail when this problem is fixed. Press the button to stop it.</p>
          <button type="submit" className="btn-primary min-h-11">
            Stop these e-mails
          </button>
        </form>
      )}
    </div>
  );
}
