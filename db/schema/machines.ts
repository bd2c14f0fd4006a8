/** Locations (per org), Models (global catalogue + org-custom) and Machines (physical cabinets). */
import { createId } from "@paralleldrive/cuid2";
import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, timestamps, ts } from "./columns";
import { users } from "./auth";
import { organizationId, organizations } from "./organizations";

export const locations = pgTable(
  "Location",
  {
    id: idColumn(),
    name: text("name").notNull(),
    organizationId: organizationId(),
    street: text("street"),
    city: text("city"),
    state: text("state"),
    zip: text("zip"),
    phone: text("phone"),
    website: text("website"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    description: text("description"),
    /** Pinball Map location id. */
    pinballMapId: integer("pinballMapId"),
    /** Pinball Map region slug, e.g. "austin". */
    regionId: text("regionId"),
    lastSyncAt: ts("lastSyncAt"),
    syncEnabled: boolean("syncEnabled").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    // location list of an organization (public home page)
    index("Location_organizationId_idx").on(t.organizationId),
  ],
);

export const models = pgTable(
  "Model",
  {
    id: idColumn(),
    name: text("name").notNull(),
    manufacturer: text("manufacturer"),
    year: integer("year"),
    /** Internet Pinball Database id. */
    ipdbId: text("ipdbId"),
    /** Open Pinball Database id, `G<grp>[-M<mach>[-A<alias>]]`. */
    opdbId: text("opdbId"),
    machineType: text("machineType"),
    machineDisplay: text("machineDisplay"),
    isActive: boolean("isActive").notNull().default(true),
    ipdbLink: text("ipdbLink"),
    opdbImgUrl: text("opdbImgUrl"),
    kineticistUrl: text("kineticistUrl"),
    isCustom: boolean("isCustom").notNull().default(false),
    /** null = global catalogue model (OPDB / Pinball Map); set = custom model of that organization. */
    organizationId: text("organizationId").references(() => organizations.id, {
      onDelete: "cascade",
      onUpdate: "cascade",
    }),
    ...timestamps(),
  },
  (t) => [
    // catalogue lookup during Pinball Map sync (IPDB fallback)
    uniqueIndex("Model_ipdbId_key").on(t.ipdbId),
    // catalogue lookup during Pinball Map sync / OPDB import
    uniqueIndex("Model_opdbId_key").on(t.opdbId),
    // custom models of an organization (model picker)
    index("Model_organizationId_idx").on(t.organizationId),
  ],
);

export const machines = pgTable(
  "Machine",
  {
    id: idColumn(),
    /** Instance name, defaults to the model name. */
    name: text("name").notNull(),
    organizationId: organizationId(),
    locationId: text("locationId")
      .notNull()
      .references(() => locations.id, { onDelete: "restrict", onUpdate: "cascade" }),
    modelId: text("modelId")
      .notNull()
      .references(() => models.id, { onDelete: "restrict", onUpdate: "cascade" }),
    ownerId: text("ownerId").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    ownerNotificationsEnabled: boolean("ownerNotificationsEnabled").notNull().default(true),
    notifyOnNewIssues: boolean("notifyOnNewIssues").notNull().default(true),
    notifyOnStatusChanges: boolean("notifyOnStatusChanges").notNull().default(true),
    notifyOnComments: boolean("notifyOnComments").notNull().default(false),
    /** Stable public token printed in the QR code (separate from id). */
    qrCodeId: text("qrCodeId").notNull().$defaultFn(createId),
    qrCodeUrl: text("qrCodeUrl"),
    qrCodeGeneratedAt: ts("qrCodeGeneratedAt"),
    /** Where the cabinet is (core/machine-presence.ts); only "on_floor" takes reports and shows on the status board. */
    presence: text("presence").notNull().default("on_floor"),
    ...timestamps(),
  },
  (t) => [
    // QR scan: machine by its public token
    uniqueIndex("Machine_qrCodeId_key").on(t.qrCodeId),
    // location page: the machines of a location (tenant-scoped); also serves org-wide machine lists
    index("Machine_organizationId_locationId_idx").on(t.organizationId, t.locationId),
    // "machines of this model" and model-delete guard, tenant-scoped
    index("Machine_organizationId_modelId_idx").on(t.organizationId, t.modelId),
    // profile "my machines", issue filter by owner, owner notifications
    index("Machine_ownerId_idx").on(t.ownerId),
    check(
      "Machine_presence_check",
      sql`"presence" in ('on_floor', 'off_floor', 'on_loan', 'pending_arrival', 'removed')`,
    ),
  ],
);

export type Location = typeof locations.$inferSelect;
export type NewLocation = typeof locations.$inferInsert;
export type Model = typeof models.$inferSelect;
export type NewModel = typeof models.$inferInsert;
export type Machine = typeof machines.$inferSelect;
export type NewMachine = typeof machines.$inferInsert;
