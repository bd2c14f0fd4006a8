/**
 * The signed-in person's own notifications and notification settings (/notifications). Only the caller's rows in the
 * actor's organization are ever read or changed: every query has userId = the actor's user and organizationId = the
 * actor's organization, so the same person in another organization sees, counts and marks that one's separately.
 * Machine owner toggles apply to machines the person owns in the actor's organization; the e-mail settings are the
 * person's own, in every organization.
 */
import { z } from "zod";
import { fail } from "../../core/failure";
import {
  EMAIL_CHOICES,
  EMAIL_KINDS,
  effectiveChoices,
  type EmailChoice,
  type EmailKind,
} from "../../core/notification-email";
import {
  countUnreadNotifications,
  getNotificationPreferences,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  setOwnedMachineToggles,
  updateUserNotificationSettings,
} from "../../db/queries/notifications.server";
import { withTransaction } from "../../db/transaction.server";
import { fields } from "../lib/fields.server";
import { dateFormatterFor } from "../lib/format";
import { OWNER_TOGGLES } from "../lib/notification-words";
import { sameSitePath } from "../lib/safe-redirect";
import type { Actor } from "./actor";
import { emailVerifiedOf } from "./email-verification.server";

const PAGE_SIZE = 20;

export const notificationRefInput = z.object({ notificationId: fields.id });
/** The settings form: the switch for all e-mails, and one choice per kind (`email:<KIND>`). */
export const notificationSettingsInput = z.object({
  emailNotificationsEnabled: z.literal("on").optional(),
  ...(Object.fromEntries(
    EMAIL_KINDS.map((k) => [`email:${k}`, z.enum(EMAIL_CHOICES, { error: "Choose right away, daily digest or off" })]),
  ) as Record<`email:${EmailKind}`, z.ZodEnum<{ [K in EmailChoice]: K }>>),
});

function signedIn(actor: Actor): asserts actor is Actor & { user: NonNullable<Actor["user"]> } {
  if (!actor.user) throw fail.forbidden("Sign in to see your notifications.");
}

/** How many of the person's notifications in this organization are unread (the header's badge); 0 for visitors. */
export async function countUnread(actor: Actor): Promise<number> {
  return actor.user ? countUnreadNotifications(actor.db, actor.user.id, actor.organizationId) : 0;
}

/** One page of the person's notifications here (newest first), the unread count, and their settings. */
export async function loadNotificationsPage(actor: Actor, opts: { unreadOnly: boolean; page: number }) {
  signedIn(actor);
  const { db, organizationId } = actor;
  const userId = actor.user.id;
  const page = Math.min(Math.max(Math.trunc(opts.page) || 1, 1), 10_000);
  const [list, unread, prefs, emailVerified] = await Promise.all([
    listNotifications(db, userId, organizationId, {
      unreadOnly: opts.unreadOnly,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
    countUnreadNotifications(db, userId, organizationId),
    getNotificationPreferences(db, userId, organizationId),
    emailVerifiedOf(db, userId),
  ]);
  const now = new Date();
  return {
    unread,
    unreadOnly: opts.unreadOnly,
    page,
    hasMore: list.hasMore,
    items: list.items.map((n) => ({
      id: n.id,
      message: n.message,
      read: n.read,
      type: n.type,
      hasLink: Boolean(sameSitePath(n.actionUrl)),
      iso: n.createdAt.toISOString(),
      ago: dateFormatterFor(actor.organization).relative(n.createdAt, now),
    })),
    prefs,
    emailChoices: prefs
      ? effectiveChoices({ byKind: prefs.emailFrequencyByKind, frequency: prefs.notificationFrequency })
      : null,
    emailVerified,
  };
}

/**
 * Marks one of the person's notifications here read; returns where it leads (a same-site path of this organization),
 * if anywhere. Another organization's notification is not found.
 */
export async function markRead(actor: Actor, notificationId: string): Promise<string | null> {
  signedIn(actor);
  const row = await markNotificationRead(actor.db, actor.user.id, actor.organizationId, notificationId);
  if (!row) throw fail.notFound("That notification does not exist.");
  return sameSitePath(row.actionUrl);
}

export async function markAllRead(actor: Actor): Promise<string> {
  signedIn(actor);
  const n = await markAllNotificationsRead(actor.db, actor.user.id, actor.organizationId);
  return n ? `Marked ${n} as read.` : "Nothing unread.";
}

export async function saveNotificationSettings(
  actor: Actor,
  input: z.infer<typeof notificationSettingsInput>,
): Promise<string> {
  signedIn(actor);
  await updateUserNotificationSettings(actor.db, actor.user.id, {
    emailNotificationsEnabled: input.emailNotificationsEnabled === "on",
    emailFrequencyByKind: Object.fromEntries(EMAIL_KINDS.map((k) => [k, input[`email:${k}`]])),
  });
  return "Notification settings saved.";
}

/**
 * Sets the owner toggles of every machine the person owns here from the form (`<toggle>:<machineId>` checkboxes: an
 * unticked box is absent), in one transaction. Fields naming other machines are ignored.
 */
export async function saveOwnedMachineToggles(actor: Actor, form: Record<string, unknown>): Promise<string> {
  signedIn(actor);
  const { db, organizationId } = actor;
  const userId = actor.user.id;
  const prefs = await getNotificationPreferences(db, userId, organizationId);
  const owned = prefs?.machines ?? [];
  if (owned.length === 0) throw fail.invalid("You do not own any machines here.");
  const ticked = (toggle: string, machineId: string) =>
    Object.hasOwn(form, `${toggle}:${machineId}`) && form[`${toggle}:${machineId}`] === "on";
  const n = await withTransaction(db, async (tx) => {
    let saved = 0;
    for (const m of owned) {
      const values = Object.fromEntries(OWNER_TOGGLES.map((t) => [t, ticked(t, m.id)])) as Record<
        (typeof OWNER_TOGGLES)[number],
        boolean
      >;
      if (await setOwnedMachineToggles(tx, { userId, organizationId, machine: { id: m.id, ...values } })) saved += 1;
    }
    return saved;
  });
  return `Saved settings for ${n} ${n === 1 ? "machine" : "machines"}.`;
}
