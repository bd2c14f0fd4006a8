/**
 * In-app notifications: the recipient's feed (only their own rows, in one organization), unread count, mark read,
 * preferences, and the writers used by the issue workflow. Every notification belongs to the organization of what it
 * is about, and every read and change here is scoped by (userId, organizationId), so a person in two organizations
 * sees, counts and marks only the current one's. Writers take the transaction of the change they report, so a notification
 * exists exactly when the change committed.
 *
 * Who is notified is decided by the pure `notificationRecipients` (core/issue-rules.ts): never the actor, only
 * current members of the issue's organization, machine owners per their machine's toggles; for a maintenance note,
 * `maintenanceNoteRecipients` (core/maintenance.ts): the machine's watchers, never the author.
 * In-app notifications are always written; `writeIssueEventNotifications` also answers each recipient's address and
 * e-mail settings (User.emailNotificationsEnabled / notificationFrequency) so the use case can queue the e-mails in
 * the same transaction (app/use-cases/notification-mail.server.ts).
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, sql, type Placeholder } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { notificationRecipients, type NotificationEvent, type RecipientRole } from "../../core/issue-rules";
import { maintenanceNoteRecipients } from "../../core/maintenance";
import { emailChoiceFor } from "../../core/notification-email";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import { checkNotificationPreferences, checkNotifications, checkUnreadCount } from "../reference/notifications.server";
import {
  issues,
  machines,
  memberships,
  models,
  notifications,
  organizations,
  users,
  type NewNotification,
  type NotificationFrequency,
  type NotificationType,
} from "../schema";
import { validationEnabled } from "../validate.server";
import { listWatchers } from "./watches.server";

/** Where one person's notifications in one organization are. */
function ownIn(userId: string | Placeholder, organizationId: string | Placeholder) {
  return and(eq(notifications.userId, userId), eq(notifications.organizationId, organizationId));
}

// In the header of every signed-in page (app/root.tsx).
const unreadCountQuery = reusableQuery("unread_notification_count", (db, name) =>
  db
    .select({ n: count() })
    .from(notifications)
    .where(
      and(
        ownIn(sql.placeholder("userId"), sql.placeholder("organizationId")),
        eq(notifications.read, sql.placeholder("read")),
      ),
    )
    .prepare(name),
);

export async function countUnreadNotifications(db: DbOrTx, userId: string, organizationId: string): Promise<number> {
  const [row] = await unreadCountQuery(db).execute({ userId, organizationId, read: false });
  const n = Number(row?.n ?? 0);
  if (validationEnabled()) await checkUnreadCount(db, userId, organizationId, n);
  return n;
}

export interface NotificationItem {
  id: string;
  message: string;
  read: boolean;
  createdAt: Date;
  type: NotificationType;
  actionUrl: string | null;
}

/** The user's notifications in the organization, newest first (ties by id), one page; `hasMore` when more follow. */
export async function listNotifications(
  db: DbOrTx,
  userId: string,
  organizationId: string,
  opts: { unreadOnly?: boolean; limit?: number; offset?: number } = {},
): Promise<{ items: NotificationItem[]; hasMore: boolean }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  const offset = Math.max(opts.offset ?? 0, 0);
  const rows = await db
    .select({
      id: notifications.id,
      message: notifications.message,
      read: notifications.read,
      createdAt: notifications.createdAt,
      type: notifications.type,
      actionUrl: notifications.actionUrl,
    })
    .from(notifications)
    .where(and(ownIn(userId, organizationId), opts.unreadOnly ? eq(notifications.read, false) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1)
    .offset(offset);
  const page = { items: rows.slice(0, limit), hasMore: rows.length > limit };
  if (validationEnabled()) {
    await checkNotifications(db, userId, organizationId, { unreadOnly: Boolean(opts.unreadOnly), limit, offset }, page);
  }
  return page;
}

/** Marks one of the user's notifications in the organization read; null when it is not theirs there (or is none). */
export async function markNotificationRead(
  db: DbOrTx,
  userId: string,
  organizationId: string,
  notificationId: string,
): Promise<{ id: string; actionUrl: string | null } | null> {
  const [row] = await db
    .update(notifications)
    .set({ read: true })
    .where(and(eq(notifications.id, notificationId), ownIn(userId, organizationId)))
    .returning({ id: notifications.id, actionUrl: notifications.actionUrl });
  return row ?? null;
}

/** Marks all of the user's unread notifications in the organization read; returns how many changed. */
export async function markAllNotificationsRead(db: DbOrTx, userId: string, organizationId: string): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ read: true })
    .where(and(ownIn(userId, organizationId), eq(notifications.read, false)))
    .returning({ id: notifications.id });
  return rows.length;
}

// -------------------------------------------------------------------------------------------------------------------
// Preferences

export interface NotificationPreferences {
  emailNotificationsEnabled: boolean;
  notificationFrequency: NotificationFrequency;
  /** Per kind of event (core/notification-email.ts); a missing kind follows notificationFrequency. */
  emailFrequencyByKind: Record<string, string>;
  machines: {
    id: string;
    name: string;
    ownerNotificationsEnabled: boolean;
    notifyOnNewIssues: boolean;
    notifyOnStatusChanges: boolean;
    notifyOnComments: boolean;
  }[];
}

/** The user's own settings plus the machines they own in this organization. */
export async function getNotificationPreferences(
  db: DbOrTx,
  userId: string,
  organizationId: string,
): Promise<NotificationPreferences | null> {
  const [user] = await db
    .select({
      emailNotificationsEnabled: users.emailNotificationsEnabled,
      notificationFrequency: users.notificationFrequency,
      emailFrequencyByKind: users.emailFrequencyByKind,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) {
    if (validationEnabled()) await checkNotificationPreferences(db, userId, organizationId, null);
    return null;
  }
  const owned = await db
    .select({
      id: machines.id,
      name: machines.name,
      ownerNotificationsEnabled: machines.ownerNotificationsEnabled,
      notifyOnNewIssues: machines.notifyOnNewIssues,
      notifyOnStatusChanges: machines.notifyOnStatusChanges,
      notifyOnComments: machines.notifyOnComments,
    })
    .from(machines)
    .where(and(eq(machines.ownerId, userId), eq(machines.organizationId, organizationId)))
    .orderBy(machines.name, machines.id);
  const prefs = { ...user, machines: owned };
  if (validationEnabled()) await checkNotificationPreferences(db, userId, organizationId, prefs);
  return prefs;
}

export async function updateUserNotificationSettings(
  db: DbOrTx,
  userId: string,
  values: { emailNotificationsEnabled: boolean; emailFrequencyByKind: Record<string, string> },
): Promise<void> {
  await db.update(users).set(values).where(eq(users.id, userId));
}

/**
 * Sets the owner toggles of one machine the user owns in this organization: false for any other machine, so a
 * forged id changes nothing.
 */
export async function setOwnedMachineToggles(
  db: DbOrTx,
  input: {
    userId: string;
    organizationId: string;
    machine: {
      id: string;
      ownerNotificationsEnabled: boolean;
      notifyOnNewIssues: boolean;
      notifyOnStatusChanges: boolean;
      notifyOnComments: boolean;
    };
  },
): Promise<boolean> {
  const m = input.machine;
  const rows = await db
    .update(machines)
    .set({
      ownerNotificationsEnabled: m.ownerNotificationsEnabled,
      notifyOnNewIssues: m.notifyOnNewIssues,
      notifyOnStatusChanges: m.notifyOnStatusChanges,
      notifyOnComments: m.notifyOnComments,
    })
    .where(
      and(eq(machines.id, m.id), eq(machines.ownerId, input.userId), eq(machines.organizationId, input.organizationId)),
    )
    .returning({ id: machines.id });
  return rows.length > 0;
}

// -------------------------------------------------------------------------------------------------------------------
// Writers (call inside the transaction of the change)

const ownerMembership = alias(memberships, "ownerMembership");
const reporterMembership = alias(memberships, "reporterMembership");
const assigneeMembership = alias(memberships, "assigneeMembership");

/** Everything needed to decide and word the notifications of one issue, in one query. */
async function loadIssueParties(db: DbOrTx, organizationId: string, issueId: string) {
  const [row] = await db
    .select({
      id: issues.id,
      title: issues.title,
      machineId: issues.machineId,
      machineName: machines.name,
      modelName: models.name,
      ownerId: machines.ownerId,
      ownerNotificationsEnabled: machines.ownerNotificationsEnabled,
      notifyOnNewIssues: machines.notifyOnNewIssues,
      notifyOnStatusChanges: machines.notifyOnStatusChanges,
      notifyOnComments: machines.notifyOnComments,
      ownerMembershipId: ownerMembership.id,
      reporterId: issues.createdById,
      reporterMembershipId: reporterMembership.id,
      assigneeId: issues.assignedToId,
      assigneeMembershipId: assigneeMembership.id,
    })
    .from(issues)
    .innerJoin(machines, eq(machines.id, issues.machineId))
    .leftJoin(models, eq(models.id, machines.modelId))
    .leftJoin(
      ownerMembership,
      and(eq(ownerMembership.userId, machines.ownerId), eq(ownerMembership.organizationId, issues.organizationId)),
    )
    .leftJoin(
      reporterMembership,
      and(
        eq(reporterMembership.userId, issues.createdById),
        eq(reporterMembership.organizationId, issues.organizationId),
      ),
    )
    .leftJoin(
      assigneeMembership,
      and(
        eq(assigneeMembership.userId, issues.assignedToId),
        eq(assigneeMembership.organizationId, issues.organizationId),
      ),
    )
    .where(and(eq(issues.id, issueId), eq(issues.organizationId, organizationId)))
    .limit(1);
  if (!row) return null;
  const watchers = await listWatchers(db, organizationId, { issueId: row.id, machineId: row.machineId });
  return {
    row,
    parties: {
      watchers,
      owner: row.ownerId
        ? {
            userId: row.ownerId,
            isMember: Boolean(row.ownerMembershipId),
            ownerNotificationsEnabled: row.ownerNotificationsEnabled,
            notifyOnNewIssues: row.notifyOnNewIssues,
            notifyOnStatusChanges: row.notifyOnStatusChanges,
            notifyOnComments: row.notifyOnComments,
          }
        : null,
      reporter: row.reporterId ? { userId: row.reporterId, isMember: Boolean(row.reporterMembershipId) } : null,
      assignee: row.assigneeId ? { userId: row.assigneeId, isMember: Boolean(row.assigneeMembershipId) } : null,
    },
  };
}

function quote(s: string, max = 80): string {
  const t = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return `“${t}”`;
}

export type EventDetails =
  | { event: "created" }
  | { event: "status"; from: string; to: string }
  | { event: "assigned" }
  | { event: "commented"; commentId: string };

function wording(
  d: EventDetails,
  role: RecipientRole,
  ctx: { title: string; machine: string; actorName: string | null },
): { type: NotificationType; message: string } {
  const t = quote(ctx.title);
  const who = ctx.actorName ?? "Someone";
  if (role === "watcher") return watcherWording(d, t, ctx.machine, who);
  switch (d.event) {
    case "created":
      return { type: "ISSUE_CREATED", message: `New issue on your ${ctx.machine}: ${t}` };
    case "status":
      return {
        type: "ISSUE_UPDATED",
        message:
          role === "owner"
            ? `Status of ${t} on your ${ctx.machine} changed: ${d.from} → ${d.to}`
            : `Your report ${t} (${ctx.machine}) changed status: ${d.from} → ${d.to}`,
      };
    case "assigned":
      return { type: "ISSUE_ASSIGNED", message: `${who} assigned you ${t} on ${ctx.machine}` };
    case "commented":
      return {
        type: "ISSUE_COMMENTED",
        message:
          role === "reporter"
            ? `${who} commented on your report ${t} (${ctx.machine})`
            : role === "owner"
              ? `${who} commented on ${t} on your ${ctx.machine}`
              : `${who} commented on ${t} (${ctx.machine}), assigned to you`,
      };
  }
}

/** What a watcher of the issue or its machine reads. */
function watcherWording(
  d: EventDetails,
  t: string,
  machine: string,
  who: string,
): { type: NotificationType; message: string } {
  switch (d.event) {
    case "created":
      return { type: "ISSUE_CREATED", message: `New issue on ${machine} (you watch it): ${t}` };
    case "status":
      return { type: "ISSUE_UPDATED", message: `Status of ${t} (${machine}) changed: ${d.from} → ${d.to}` };
    case "assigned":
      return { type: "ISSUE_ASSIGNED", message: `${who} changed who works on ${t} (${machine})` };
    case "commented":
      return { type: "ISSUE_COMMENTED", message: `${who} commented on ${t} (${machine})` };
  }
}

/** One written notification and what e-mailing it needs. */
export interface WrittenNotification {
  userId: string;
  email: string | null;
  name: string | null;
  /** Notification e-mails go only to proved addresses (app/use-cases/email-verification.server.ts). */
  emailVerified: boolean;
  emailNotificationsEnabled: boolean;
  notificationFrequency: NotificationFrequency;
  emailFrequencyByKind: Record<string, string>;
  /** The notification's kind (the e-mail choice is per kind). */
  type: NotificationType;
  message: string;
}

export interface IssueEventNotifications {
  issue: { id: string; title: string; machine: string };
  written: WrittenNotification[];
}

/**
 * Writes the notifications of one issue event and answers them with each recipient's e-mail settings.
 * `actorId` null = anonymous (nobody is excluded as the actor).
 */
export async function writeIssueEventNotifications(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; actorId: string | null; actorName?: string | null } & EventDetails,
): Promise<IssueEventNotifications | null> {
  const loaded = await loadIssueParties(db, input.organizationId, input.issueId);
  if (!loaded) return null;
  const event: NotificationEvent = input.event;
  const recipients = notificationRecipients(event, loaded.parties, input.actorId);
  const ctx = {
    title: loaded.row.title,
    machine: loaded.row.machineName || loaded.row.modelName || "machine",
    actorName: input.actorName ?? null,
  };
  const issue = { id: loaded.row.id, title: ctx.title, machine: ctx.machine };
  if (recipients.length === 0) return { issue, written: [] };
  const rows: NewNotification[] = recipients.map((r) => {
    const w = wording(input, r.role, ctx);
    return {
      userId: r.userId,
      organizationId: input.organizationId,
      type: w.type,
      message: w.message,
      entityType: input.event === "commented" ? "COMMENT" : "ISSUE",
      entityId: input.event === "commented" ? input.commentId : input.issueId,
      actionUrl: `/issues/${input.issueId}`,
    };
  });
  return { issue, written: await insertWithEmailSettings(db, rows) };
}

/** Inserts the notifications and answers each with its recipient's address and e-mail settings. */
async function insertWithEmailSettings(db: DbOrTx, rows: NewNotification[]): Promise<WrittenNotification[]> {
  if (rows.length === 0) return [];
  await db.insert(notifications).values(rows);
  const people = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      emailVerified: users.emailVerified,
      emailNotificationsEnabled: users.emailNotificationsEnabled,
      notificationFrequency: users.notificationFrequency,
      emailFrequencyByKind: users.emailFrequencyByKind,
    })
    .from(users)
    .where(
      inArray(
        users.id,
        rows.map((r) => r.userId),
      ),
    );
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.flatMap((row) => {
    const p = byId.get(row.userId);
    return p
      ? [
          {
            userId: p.id,
            email: p.email,
            name: p.name,
            emailVerified: p.emailVerified !== null,
            emailNotificationsEnabled: p.emailNotificationsEnabled,
            notificationFrequency: p.notificationFrequency,
            emailFrequencyByKind: p.emailFrequencyByKind,
            type: row.type,
            message: row.message,
          },
        ]
      : [];
  });
}

export interface MachineNoteNotifications {
  machine: { id: string; name: string };
  written: WrittenNotification[];
}

/**
 * Writes the notifications of a new maintenance note (core/maintenance.ts maintenanceNoteRecipients: the machine's
 * watchers who are members, never the author) and answers them with each recipient's e-mail settings. Null when the
 * machine is not the organization's.
 */
export async function writeMaintenanceNoteNotifications(
  db: DbOrTx,
  input: {
    organizationId: string;
    machineId: string;
    noteId: string;
    authorId: string;
    authorName: string | null;
    tagLabel: string;
    content: string;
  },
): Promise<MachineNoteNotifications | null> {
  const [machine] = await db
    .select({ id: machines.id, name: machines.name, modelName: models.name })
    .from(machines)
    .leftJoin(models, eq(models.id, machines.modelId))
    .where(and(eq(machines.id, input.machineId), eq(machines.organizationId, input.organizationId)))
    .limit(1);
  if (!machine) return null;
  const name = machine.name || machine.modelName || "machine";
  const recipients = maintenanceNoteRecipients(
    await listWatchers(db, input.organizationId, { machineId: machine.id }),
    input.authorId,
  );
  const message = `${input.authorName ?? "Someone"} logged ${input.tagLabel.toLowerCase()} on ${name}: ${quote(input.content)}`;
  const rows: NewNotification[] = recipients.map((userId) => ({
    userId,
    organizationId: input.organizationId,
    type: "MACHINE_MAINTENANCE",
    message,
    entityType: "MACHINE",
    entityId: machine.id,
    actionUrl: `/machines/${machine.id}`,
  }));
  return { machine: { id: machine.id, name }, written: await insertWithEmailSettings(db, rows) };
}

/** Writes the notifications of one issue event (no e-mail). Returns the recipients' ids (for tests and logs). */
export async function notifyIssueEvent(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; actorId: string | null; actorName?: string | null } & EventDetails,
): Promise<string[]> {
  const result = await writeIssueEventNotifications(db, input);
  return result?.written.map((w) => w.userId) ?? [];
}

/** The machine owner hears about a new issue (for reportIssue: anonymous reports pass actorId null). */
export function notifyIssueCreated(
  db: DbOrTx,
  input: { organizationId: string; issueId: string; actorId: string | null },
) {
  return notifyIssueEvent(db, { ...input, event: "created" });
}

/** Turns the person's notification e-mails off (the one-click unsubscribe link). Answers whether they were on. */
export async function turnOffNotificationEmails(db: DbOrTx, userId: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ emailNotificationsEnabled: false })
    .where(and(eq(users.id, userId), eq(users.emailNotificationsEnabled, true)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Whether the person gets notification e-mails at all (null: no such person). */
export async function notificationEmailsEnabled(db: DbOrTx, userId: string): Promise<boolean | null> {
  const [row] = await db
    .select({ on: users.emailNotificationsEnabled })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ? row.on : null;
}

/** One member's digest in one organization: their unread notifications of the day, oldest first. */
export interface DigestBatch {
  userId: string;
  email: string;
  name: string | null;
  organization: { id: string; name: string; subdomain: string };
  items: { message: string; actionUrl: string | null }[];
}

/**
 * The daily digests of [start, end) for the organizations in `timeZone` (whose "day" that window is): for every
 * person whose address is verified and who is still a member, their unread notifications created in that window of
 * the kinds they chose "daily digest" for (core/notification-email.ts), grouped by organization.
 */
export async function loadDailyDigests(
  db: DbOrTx,
  window: { start: Date; end: Date; timeZone: string },
): Promise<DigestBatch[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      organizationId: organizations.id,
      organizationName: organizations.name,
      subdomain: organizations.subdomain,
      message: notifications.message,
      actionUrl: notifications.actionUrl,
      type: notifications.type,
      frequency: users.notificationFrequency,
      byKind: users.emailFrequencyByKind,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .innerJoin(organizations, eq(organizations.id, notifications.organizationId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, notifications.userId), eq(memberships.organizationId, notifications.organizationId)),
    )
    .where(
      and(
        eq(notifications.read, false),
        eq(organizations.timeZone, window.timeZone),
        gte(notifications.createdAt, window.start),
        lt(notifications.createdAt, window.end),
        eq(users.emailNotificationsEnabled, true),
        isNotNull(users.email),
        isNotNull(users.emailVerified),
      ),
    )
    .orderBy(asc(notifications.userId), asc(notifications.organizationId), asc(notifications.createdAt));
  const batches = new Map<string, DigestBatch>();
  for (const r of rows) {
    if (!r.email) continue;
    if (emailChoiceFor(r.type, { enabled: true, byKind: r.byKind, frequency: r.frequency }) !== "DAILY") continue;
    const key = `${r.userId}:${r.organizationId}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = {
        userId: r.userId,
        email: r.email,
        name: r.name,
        organization: { id: r.organizationId, name: r.organizationName, subdomain: r.subdomain },
        items: [],
      };
      batches.set(key, batch);
    }
    batch.items.push({ message: r.message, actionUrl: r.actionUrl });
  }
  return [...batches.values()];
}
