/**
 * DB_VALIDATE references of /notifications and the header's unread badge (db/queries/notifications.server.ts): one
 * page of the person's own notifications in one organization, the unread count, and their settings with the machines they own here.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import type { NotificationItem, NotificationPreferences } from "../queries/notifications.server";
import { crossCheck } from "../validate.server";
import { ISO, num } from "./sql.server";

export async function checkNotifications(
  db: DbOrTx,
  userId: string,
  organizationId: string,
  opts: { unreadOnly: boolean; limit: number; offset: number },
  result: { items: NotificationItem[]; hasMore: boolean },
) {
  await crossCheck(
    db,
    "notifications",
    {
      items: result.items.map((n) => ({
        id: n.id,
        message: n.message,
        read: n.read,
        type: n.type,
        actionUrl: n.actionUrl,
        createdAt: n.createdAt,
      })),
      hasMore: result.hasMore,
    },
    sql`select id, message, "read", type::text as type, "actionUrl", to_char("createdAt", ${ISO}) as "createdAt",
        count(*) over () as total
      from "Notification"
      where "userId" = ${userId} and "organizationId" = ${organizationId} ${opts.unreadOnly ? sql`and not "read"` : sql``}
      order by "createdAt" desc, id desc
      limit ${opts.limit} offset ${opts.offset}`,
    (rows) => ({
      items: rows.map((r) => ({
        id: r.id,
        message: r.message,
        read: r.read,
        type: r.type,
        actionUrl: r.actionUrl,
        createdAt: r.createdAt,
      })),
      hasMore: rows.length > 0 && num(rows[0].total) > opts.offset + opts.limit,
    }),
  );
}

export async function checkUnreadCount(db: DbOrTx, userId: string, organizationId: string, result: number) {
  await crossCheck(
    db,
    "unread notifications",
    result,
    sql`select count(*) filter (where not "read") as n from "Notification"
      where "userId" = ${userId} and "organizationId" = ${organizationId}`,
    ([r]) => num(r?.n ?? 0),
  );
}

export async function checkNotificationPreferences(
  db: DbOrTx,
  userId: string,
  organizationId: string,
  result: NotificationPreferences | null,
) {
  await crossCheck(
    db,
    "notification preferences",
    result,
    sql`select u."emailNotificationsEnabled", u."notificationFrequency"::text as "notificationFrequency",
        u."emailFrequencyByKind",
        coalesce((
          select json_agg(json_build_object(
              'id', m.id, 'name', m.name, 'ownerNotificationsEnabled', m."ownerNotificationsEnabled",
              'notifyOnNewIssues', m."notifyOnNewIssues", 'notifyOnStatusChanges', m."notifyOnStatusChanges",
              'notifyOnComments', m."notifyOnComments")
            order by m.name, m.id)
          from "Machine" m where m."ownerId" = u.id and m."organizationId" = ${organizationId}
        ), '[]'::json) as machines
      from "User" u where u.id = ${userId}`,
    ([r]) =>
      r
        ? {
            emailNotificationsEnabled: r.emailNotificationsEnabled,
            notificationFrequency: r.notificationFrequency,
            emailFrequencyByKind:
              typeof r.emailFrequencyByKind === "string" ? JSON.parse(r.emailFrequencyByKind) : r.emailFrequencyByKind,
            machines: typeof r.machines === "string" ? JSON.parse(r.machines) : r.machines,
          }
        : null,
  );
}
