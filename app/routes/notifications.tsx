/**
 * /notifications — the signed-in user's own notifications in this organization (newest first, 20 a page, unread
 * filter), mark one / all read, open one (marks it read and follows its link), and notification settings: the user's
 * e-mail preferences and, for machine owners, the per-machine owner toggles of the machines they own in this
 * organization. Only the caller's rows of this organization are ever read or changed (userId and organizationId).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { TitleBar } from "~/components/list-page";
import { requireMember } from "~/lib/access.server";
import { errorsFor, useActionResult } from "~/lib/action-result";
import { invalidInput, runAction, runLoader } from "~/lib/failure.server";
import { intentOf, parseInput, readFormObject } from "~/lib/forms.server";
import { OWNER_TOGGLES, OWNER_TOGGLE_LABELS } from "~/lib/notification-words";
import { EmailSettingsForm } from "~/components/notifications/email-settings";
import {
  loadNotificationsPage,
  markAllRead,
  markRead,
  notificationRefInput,
  notificationSettingsInput,
  saveNotificationSettings,
  saveOwnedMachineToggles,
} from "~/use-cases/notifications.server";
import { pageData, usePageData } from "~/lib/page-data";

export const meta: MetaFunction = () => [{ title: "Notifications · PinPoint" }];

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireMember(args);
  const params = new URL(args.request.url).searchParams;
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return pageData(
    await runLoader(() => loadNotificationsPage(actor, { unreadOnly: params.get("unread") === "1", page })),
  );
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireMember(args);
  const form = await readFormObject(args.request);
  const intent = intentOf(form);
  return runAction({ intent, form }, async () => {
    switch (intent) {
      case "read":
      case "open": {
        const target = await markRead(actor, parseInput(notificationRefInput, form).notificationId);
        if (intent === "open" && target) return redirect(target);
        return { ok: true as const, intent, message: "Marked as read." };
      }
      case "read-all":
        return { ok: true as const, intent, message: await markAllRead(actor) };
      case "settings":
        return {
          ok: true as const,
          intent,
          message: await saveNotificationSettings(actor, parseInput(notificationSettingsInput, form)),
        };
      case "machines":
        return { ok: true as const, intent, message: await saveOwnedMachineToggles(actor, form) };
      default:
        throw invalidInput({ form: "Unknown action." });
    }
  });
}

export default function Notifications() {
  const d = usePageData(useLoaderData<typeof loader>());
  const result = useActionResult();
  const errors = errorsFor(result);
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    if (page <= 1) next.delete("page");
    else next.set("page", String(page));
    const s = next.toString();
    return s ? `?${s}` : "?";
  };

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <TitleBar
        title={
          <>
            Notifications{" "}
            {d.unread ? <span className="badge bg-red-600 align-middle text-white">{d.unread} unread</span> : null}
          </>
        }
      >
        {d.unread ? (
          <form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              Mark all as read
            </button>
          </form>
        ) : null}
      </TitleBar>
      {result?.ok ? <FormMessage success={result.message} /> : null}
      {errors.form ? <FormMessage error={errors.form} /> : null}

      <nav aria-label="Filter notifications" className="flex gap-2 text-sm">
        <a href="?" aria-current={!d.unreadOnly ? "page" : undefined} className={!d.unreadOnly ? "font-semibold" : ""}>
          All
        </a>
        <a
          href="?unread=1"
          aria-current={d.unreadOnly ? "page" : undefined}
          className={d.unreadOnly ? "font-semibold" : ""}
        >
          Unread
        </a>
      </nav>

      {d.items.length === 0 ? (
        <div className="card py-8 text-center text-slate-600">
          {d.unreadOnly
            ? "You are all caught up."
            : "No notifications yet. You will hear here when something happens on your issues and machines."}
        </div>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
          {d.items.map((n) => (
            <li key={n.id} className={`flex flex-wrap items-start gap-3 p-3 ${n.read ? "" : "bg-indigo-50"}`}>
              <span
                aria-hidden="true"
                className={`mt-2 h-2 w-2 shrink-0 rounded-full ${n.read ? "bg-transparent" : "bg-indigo-600"}`}
              />
              <div className="min-w-0 flex-1">
                {n.hasLink ? (
                  <form method="post">
                    <input type="hidden" name="intent" value="open" />
                    <input type="hidden" name="notificationId" value={n.id} />
                    <button
                      type="submit"
                      className={`text-left text-indigo-800 underline-offset-2 hover:underline ${n.read ? "" : "font-semibold"}`}
                    >
                      {n.message}
                    </button>
                  </form>
                ) : (
                  <p className={n.read ? "" : "font-semibold"}>{n.message}</p>
                )}
                <p className="text-xs text-slate-500">
                  <time dateTime={n.iso}>{n.ago}</time>
                  {n.read ? null : <span className="sr-only"> · unread</span>}
                </p>
              </div>
              {!n.read ? (
                <form method="post">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="notificationId" value={n.id} />
                  <button type="submit" className="text-sm text-slate-700 underline" disabled={busy}>
                    Mark read
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {d.page > 1 || d.hasMore ? (
        <nav aria-label="Pages" className="flex justify-between">
          {d.page > 1 ? (
            <a href={pageLink(d.page - 1)} className="btn-secondary" rel="prev">
              ← Newer
            </a>
          ) : (
            <span />
          )}
          {d.hasMore ? (
            <a href={pageLink(d.page + 1)} className="btn-secondary" rel="next">
              Older →
            </a>
          ) : null}
        </nav>
      ) : null}

      {d.prefs && d.emailChoices ? (
        <section className="card space-y-4" aria-labelledby="settings-heading" id="settings">
          <h2 id="settings-heading" className="text-lg font-semibold">
            Settings
          </h2>
          <EmailSettingsForm
            enabled={d.prefs.emailNotificationsEnabled}
            choices={d.emailChoices}
            verified={d.emailVerified}
            errors={errorsFor(result, "settings")}
            busy={busy}
          />

          {d.prefs.machines.length ? (
            <form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="machines" />
              <h3 className="font-semibold">Machines you own</h3>
              <p className="text-sm text-slate-600">Choose what you hear about on each of your machines.</p>
              <ul className="space-y-3">
                {d.prefs.machines.map((m) => (
                  <li key={m.id} className="rounded-md border border-slate-200 p-3">
                    <fieldset>
                      <legend className="font-medium">{m.name}</legend>
                      <div className="mt-2 grid gap-2 sm:grid-cols-2">
                        {OWNER_TOGGLES.map((t) => (
                          <label key={t} className="flex items-center gap-2 text-sm">
                            <input type="checkbox" name={`${t}:${m.id}`} defaultChecked={m[t]} className="h-5 w-5" />
                            {OWNER_TOGGLE_LABELS[t]}
                          </label>
                        ))}
                      </div>
                    </fieldset>
                  </li>
                ))}
              </ul>
              <button type="submit" className="btn-primary" disabled={busy}>
                Save machine settings
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
