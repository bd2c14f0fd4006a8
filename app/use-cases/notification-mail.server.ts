/**
 * Notification e-mails for members. `notifyIssue` writes the in-app notifications of an issue event (the rules in
 * core/issue-rules.ts: never the actor, only current members), `notifyMaintenanceNote` those of a maintenance note
 * (the machine's watchers, core/maintenance.ts), and, in the same transaction, both queue one e-mail to each
 * recipient who chose "right away" for the event's kind (core/notification-email.ts; User.emailNotificationsEnabled
 * is the switch for all kinds) and whose address is verified.
 * "Daily digest" kinds get nothing now: server/mail/digest.ts sends them one message a day. The setting is the
 * person's own, for every organization (the schema has no per-organization e-mail setting).
 * The one-click unsubscribe link (/notifications/unsubscribe/<token>) turns that setting off.
 */
import { fail } from "../../core/failure";
import { emailChoiceFor } from "../../core/notification-email";
import { addDays, dayIn, startOfDayIn } from "../../core/time-zones";
import { listUnsubscribeHeaders } from "../../core/mail/headers";
import type { RenderedMail } from "../../core/mail/compose";
import {
  issueNotificationMail,
  issueThreadHeaders,
  machineNotificationMail,
  notificationDigestMail,
} from "../../core/mail/notifications";
import type { DbOrTx } from "../lib/db.server";
import {
  loadDailyDigests,
  notificationEmailsEnabled,
  turnOffNotificationEmails,
  writeIssueEventNotifications,
  writeMaintenanceNoteNotifications,
  type EventDetails,
  type WrittenNotification,
} from "../../db/queries/notifications.server";
import { listOrganizationTimeZones } from "../../db/queries/organizations.server";
import { queueMail } from "../../db/queries/outbox.server";
import { readUnsubscribeToken, unsubscribeToken } from "../lib/unsubscribe-token.server";
import type { Actor, MemberActor } from "./actor";

/** Where the one-click unsubscribe of `userId` in `organizationId` is (absolute, for the List-Unsubscribe header). */
export function unsubscribeUrl(links: (pathname: string) => string, userId: string, organizationId: string): string {
  return links(`/notifications/unsubscribe/${unsubscribeToken(userId, organizationId)}`);
}

/**
 * Writes the notifications of one issue event and queues the "right away" e-mails, inside the caller's transaction.
 * `actorId` null = anonymous. Returns the recipients' ids.
 */
export async function notifyIssue(
  tx: DbOrTx,
  actor: Actor,
  input: { issueId: string; actorId: string | null; actorName?: string | null } & EventDetails,
): Promise<string[]> {
  const { organizationId } = actor;
  const result = await writeIssueEventNotifications(tx, { ...input, organizationId });
  if (!result) return [];
  const issueUrl = actor.links(`/issues/${result.issue.id}`);
  // The thread id must not depend on the address a change came in on, so it is built from the organization.
  const thread = issueThreadHeaders(result.issue.id, `${actor.organization.subdomain}.pinpoint`);
  await queueRightAwayMails(tx, actor, result.written, thread, (w, unsubscribe) =>
    issueNotificationMail({
      name: w.name,
      organizationName: actor.organization.name,
      machine: result.issue.machine,
      issueTitle: result.issue.title,
      message: w.message,
      issueUrl,
      unsubscribeUrl: unsubscribe,
      settingsUrl: actor.links("/notifications"),
    }),
  );
  return result.written.map((w) => w.userId);
}

/**
 * Notifies the watchers of a machine of a new maintenance note (never its author), in-app and by e-mail per their
 * choice for the kind, inside the caller's transaction. Returns the recipients' ids.
 */
export async function notifyMaintenanceNote(
  tx: DbOrTx,
  actor: MemberActor,
  input: { machineId: string; noteId: string; tagLabel: string; content: string },
): Promise<string[]> {
  const result = await writeMaintenanceNoteNotifications(tx, {
    ...input,
    organizationId: actor.organizationId,
    authorId: actor.user.id,
    authorName: actor.user.name ?? null,
  });
  if (!result) return [];
  const machineUrl = actor.links(`/machines/${result.machine.id}`);
  await queueRightAwayMails(tx, actor, result.written, {}, (w, unsubscribe) =>
    machineNotificationMail({
      name: w.name,
      organizationName: actor.organization.name,
      machine: result.machine.name,
      subject: `${input.tagLabel} note`,
      message: w.message,
      machineUrl,
      unsubscribeUrl: unsubscribe,
      settingsUrl: actor.links("/notifications"),
    }),
  );
  return result.written.map((w) => w.userId);
}

/**
 * Queues one e-mail per written notification whose recipient chose "right away" for its kind and has a proved
 * address; every one carries the one-click unsubscribe link. The one e-mail path of every notification.
 */
async function queueRightAwayMails(
  tx: DbOrTx,
  actor: Actor,
  written: readonly WrittenNotification[],
  headers: Record<string, string>,
  content: (w: WrittenNotification, unsubscribeUrl: string) => RenderedMail,
): Promise<void> {
  const { organizationId } = actor;
  for (const w of written) {
    if (!w.email || !w.emailVerified) continue;
    const person = {
      enabled: w.emailNotificationsEnabled,
      byKind: w.emailFrequencyByKind,
      frequency: w.notificationFrequency,
    };
    if (emailChoiceFor(w.type, person) !== "IMMEDIATE") continue;
    const unsubscribe = unsubscribeUrl(actor.links, w.userId, organizationId);
    await queueMail(tx, {
      kind: "notification",
      organizationId,
      to: w.email,
      headers: { ...listUnsubscribeHeaders(unsubscribe), ...headers },
      ...content(w, unsubscribe),
    });
  }
}

/** The person a link is for, when it is a valid link of this organization; 404 otherwise. */
function tokenOwner(actor: Actor, token: string): string {
  const ids = readUnsubscribeToken(token);
  if (!ids || ids.organizationId !== actor.organizationId) throw fail.notFound("This unsubscribe link is not valid.");
  return ids.userId;
}

/** The confirm page of an unsubscribe link: whether e-mails are still on. */
export async function loadUnsubscribePage(actor: Actor, token: string) {
  const userId = tokenOwner(actor, token);
  const on = await notificationEmailsEnabled(actor.db, userId);
  if (on === null) throw fail.notFound("This unsubscribe link is not valid.");
  return { organizationName: actor.organization.name, emailsOn: on };
}

/** One click (RFC 8058): turns the person's notification e-mails off. No sign-in: the signed link is the proof. */
export async function unsubscribeByLink(actor: Actor, token: string): Promise<string> {
  const userId = tokenOwner(actor, token);
  await turnOffNotificationEmails(actor.db, userId);
  return "E-mail notifications are off. You still see notifications on the site; turn e-mails back on in your notification settings.";
}

/** The most notifications one digest lists (the rest are on the notifications page). */
const DIGEST_MAX_ITEMS = 50;

/**
 * Queues the daily digests: ONE message per member per organization listing the unread notifications of the
 * organization's previous day in its own time zone (Organization.timeZone), as of `now`. The dedupe key
 * `digest:<userId>:<orgId>:<day>` makes it once, however often and on however many instances this runs. A system
 * job (server/mail/digest.ts), so no Actor: `linksFor` gives each organization's public address. Returns how many
 * messages were queued.
 */
export async function queueDailyDigests(
  db: DbOrTx,
  input: { now: Date; linksFor: (organizationSubdomain: string) => (pathname: string) => string },
): Promise<number> {
  let queued = 0;
  for (const timeZone of await listOrganizationTimeZones(db)) {
    const day = addDays(dayIn(input.now, timeZone), -1);
    const start = startOfDayIn(day, timeZone);
    const end = startOfDayIn(addDays(day, 1), timeZone);
    queued += await queueDigestsOfDay(db, { day, start, end, timeZone, linksFor: input.linksFor });
  }
  return queued;
}

async function queueDigestsOfDay(
  db: DbOrTx,
  input: {
    day: string;
    start: Date;
    end: Date;
    timeZone: string;
    linksFor: (organizationSubdomain: string) => (pathname: string) => string;
  },
): Promise<number> {
  const batches = await loadDailyDigests(db, input);
  let queued = 0;
  for (const b of batches) {
    const links = input.linksFor(b.organization.subdomain);
    const unsubscribe = unsubscribeUrl(links, b.userId, b.organization.id);
    const listed = b.items.slice(0, DIGEST_MAX_ITEMS);
    const row = await queueMail(db, {
      kind: "notification_digest",
      organizationId: b.organization.id,
      to: b.email,
      dedupeKey: `digest:${b.userId}:${b.organization.id}:${input.day}`,
      headers: listUnsubscribeHeaders(unsubscribe),
      ...notificationDigestMail({
        name: b.name,
        organizationName: b.organization.name,
        day: input.day,
        items: listed.map((i) => ({
          message: i.message,
          url: i.actionUrl?.startsWith("/") && !i.actionUrl.startsWith("//") ? links(i.actionUrl) : null,
        })),
        more: b.items.length - listed.length,
        notificationsUrl: links("/notifications"),
        unsubscribeUrl: unsubscribe,
        settingsUrl: links("/notifications"),
      }),
    });
    if (row) queued += 1;
  }
  return queued;
}
