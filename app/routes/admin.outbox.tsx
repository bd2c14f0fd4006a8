/**
 * The organization's e-mail outbox: every message the organization's actions queued, newest first, with its
 * delivery state, text and links. Without SMTP_URL nothing is sent, and this is where admins find the messages to
 * pass on. Account messages (password resets) never show here (app/use-cases/mail.server.ts).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AdminPageHeader } from "~/components/admin-page-header";
import { OutboxMessage } from "~/components/admin-outbox/message";
import { Pagination } from "~/components/pagination";
import { requirePermission } from "~/lib/access.server";
import { runLoader } from "~/lib/failure.server";
import { loadOutboxPage } from "~/use-cases/mail.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "E-mail outbox · Admin · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requirePermission(args, "user:manage");
  const pageParam = Number(new URL(args.request.url).searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  return pageData(await runLoader(() => loadOutboxPage(actor, page)));
}

export default function AdminOutbox() {
  const { messages, counts, total, page, pageSize, mailIsSent } = usePageData(useLoaderData<typeof loader>());
  return (
    <div className="space-y-6">
      <AdminPageHeader crumb="E-mail outbox" title="E-mail outbox">
        <p className="text-slate-600">
          {counts.pending} waiting, {counts.sent} sent, {counts.failed} failed.
        </p>
      </AdminPageHeader>
      {mailIsSent ? (
        <p className="text-sm text-slate-700">
          Messages are sent by e-mail as soon as they are queued; failed deliveries are tried again for a while.
        </p>
      ) : (
        <p className="card text-sm text-slate-700" role="note">
          This PinPoint does not send e-mail (no SMTP server is configured), so messages wait here. Pass a message on to
          its recipient yourself, for example its invitation link. Password resets and other messages about people’s own
          accounts are not shown here; the person who runs this PinPoint can read them with{" "}
          <code>npm run mail:outbox</code>. Unsubscribe links are left out: they belong to their recipients.
        </p>
      )}
      <section aria-labelledby="messages-heading" className="space-y-3">
        <h2 id="messages-heading" className="text-lg font-semibold">
          Messages
        </h2>
        {messages.length === 0 ? (
          <p className="card text-slate-600">{total === 0 ? "No messages yet." : "No messages on this page."}</p>
        ) : (
          messages.map((m) => <OutboxMessage key={m.id} message={m} />)
        )}
        <Pagination page={page} pageSize={pageSize} total={total} label="Outbox pages" />
      </section>
    </div>
  );
}
