/**
 * What happens to machines off the issue tracker: where a cabinet is (presence history), the maintenance log with its
 * photos, and members watching an issue or a machine. The vocabularies live in core/machine-presence.ts and
 * core/maintenance.ts; the CHECKs below repeat them so a stray write cannot store another value.
 */
import { sql } from "drizzle-orm";
import { check, date, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, timestamps, ts } from "./columns";
import { users } from "./auth";
import { issues } from "./issues";
import { machines } from "./machines";
import { organizationId } from "./organizations";

const PRESENCE_VALUES = sql`('on_floor', 'off_floor', 'on_loan', 'pending_arrival', 'removed')`;

/** One change of Machine.presence: who, when, from → to. */
export const machinePresenceChanges = pgTable(
  "MachinePresenceChange",
  {
    id: idColumn(),
    organizationId: organizationId(),
    machineId: text("machineId")
      .notNull()
      .references(() => machines.id, { onDelete: "cascade", onUpdate: "cascade" }),
    fromPresence: text("fromPresence").notNull(),
    toPresence: text("toPresence").notNull(),
    /** null = the person was deleted since. */
    actorId: text("actorId").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    changedAt: ts("changedAt").notNull().defaultNow(),
  },
  (t) => [
    // machine page: the machine's latest changes
    index("MachinePresenceChange_machineId_changedAt_idx").on(t.machineId, t.changedAt),
    index("MachinePresenceChange_organizationId_idx").on(t.organizationId),
    // user deletion (set null)
    index("MachinePresenceChange_actorId_idx").on(t.actorId),
    check("MachinePresenceChange_from_check", sql`"fromPresence" in ${PRESENCE_VALUES}`),
    check("MachinePresenceChange_to_check", sql`"toPresence" in ${PRESENCE_VALUES}`),
  ],
);

/** A dated note of work done on a machine, optionally about one of its issues. */
export const maintenanceNotes = pgTable(
  "MaintenanceNote",
  {
    id: idColumn(),
    organizationId: organizationId(),
    // Restrict: like its issues, a machine's log is history; deleting the machine is refused while it has notes.
    machineId: text("machineId")
      .notNull()
      .references(() => machines.id, { onDelete: "restrict", onUpdate: "cascade" }),
    /** An issue of the same machine (checked by app/use-cases/maintenance.server.ts); unlinked if it is deleted. */
    issueId: text("issueId").references(() => issues.id, { onDelete: "set null", onUpdate: "cascade" }),
    authorId: text("authorId").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    /** The day the work was done (yyyy-mm-dd). */
    performedOn: date("performedOn", { mode: "string" }).notNull(),
    tag: text("tag").notNull(),
    content: text("content").notNull(),
    ...timestamps(),
  },
  (t) => [
    // machine timeline: the machine's notes by day
    index("MaintenanceNote_organizationId_machineId_performedOn_idx").on(t.organizationId, t.machineId, t.performedOn),
    // machine-delete guard (restrict)
    index("MaintenanceNote_machineId_idx").on(t.machineId),
    // issue deletion (set null)
    index("MaintenanceNote_issueId_idx")
      .on(t.issueId)
      .where(sql`"issueId" is not null`),
    // user deletion (set null)
    index("MaintenanceNote_authorId_idx").on(t.authorId),
    check("MaintenanceNote_tag_check", sql`"tag" in ('maintenance', 'parts', 'adjustment', 'upgrade', 'cleaning')`),
  ],
);

/** A photo of a maintenance note: the same storage and re-encoding as issue photos (app/lib/uploads.server.ts). */
export const maintenancePhotos = pgTable(
  "MaintenancePhoto",
  {
    id: idColumn(),
    organizationId: organizationId(),
    noteId: text("noteId")
      .notNull()
      .references(() => maintenanceNotes.id, { onDelete: "cascade", onUpdate: "cascade" }),
    url: text("url").notNull(),
    thumbnailUrl: text("thumbnailUrl"),
    fileName: text("fileName").notNull(),
    fileType: text("fileType").notNull(),
    createdAt: ts("createdAt").notNull().defaultNow(),
  },
  (t) => [
    index("MaintenancePhoto_noteId_idx").on(t.noteId),
    index("MaintenancePhoto_organizationId_idx").on(t.organizationId),
  ],
);

/** A member watching an issue or a machine (exactly one of the two) hears about its issue events. */
export const watches = pgTable(
  "Watch",
  {
    id: idColumn(),
    organizationId: organizationId(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade", onUpdate: "cascade" }),
    issueId: text("issueId").references(() => issues.id, { onDelete: "cascade", onUpdate: "cascade" }),
    machineId: text("machineId").references(() => machines.id, { onDelete: "cascade", onUpdate: "cascade" }),
    createdAt: ts("createdAt").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("Watch_userId_issueId_key").on(t.userId, t.issueId),
    uniqueIndex("Watch_userId_machineId_key").on(t.userId, t.machineId),
    // notification time: the watchers of an issue and of its machine
    index("Watch_issueId_idx")
      .on(t.issueId)
      .where(sql`"issueId" is not null`),
    index("Watch_machineId_idx")
      .on(t.machineId)
      .where(sql`"machineId" is not null`),
    index("Watch_organizationId_idx").on(t.organizationId),
    check("Watch_target_check", sql`num_nonnulls("issueId", "machineId") = 1`),
  ],
);

export type MaintenanceNote = typeof maintenanceNotes.$inferSelect;
export type MachinePresenceChange = typeof machinePresenceChanges.$inferSelect;
export type Watch = typeof watches.$inferSelect;
