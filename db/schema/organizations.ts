/**
 * Tenancy and RBAC: Organization (tenant root), Membership (user ↔ org, one role), Role (per org),
 * Permission (global catalogue), the `_RolePermissions` join table, and our Invitation, AuditLog and IdempotencyKey.
 */
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, timestamps, ts } from "./columns";
import { users } from "./auth";

export const organizations = pgTable(
  "Organization",
  {
    id: idColumn(),
    name: text("name").notNull(),
    subdomain: text("subdomain").notNull(),
    logoUrl: text("logoUrl"),
    /** IANA time zone of the organization's dates and of its "day" (daily digest); checked with Intl on save. */
    timeZone: text("timeZone").notNull().default("UTC"),
    /** BCP 47 locale of its dates and numbers (e.g. "en-US"). */
    locale: text("locale").notNull().default("en-US"),
    ...timestamps(),
  },
  (t) => [
    // tenant resolution on every request: organization by subdomain
    uniqueIndex("Organization_subdomain_key").on(t.subdomain),
  ],
);

/** The tenant column: `organizationId`, required, deleted with its organization. */
export function organizationId() {
  return text("organizationId")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade", onUpdate: "cascade" });
}

export const roles = pgTable(
  "Role",
  {
    id: idColumn(),
    name: text("name").notNull(),
    organizationId: organizationId(),
    /** Role given to new members, and the fallback when a role is deleted. */
    isDefault: boolean("isDefault").notNull().default(false),
    /** Admin and Unauthenticated: cannot be deleted or renamed. */
    isSystem: boolean("isSystem").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    // role upsert by name (templates, system roles) and name uniqueness per org
    uniqueIndex("Role_name_organizationId_key").on(t.name, t.organizationId),
    // role list of an organization
    index("Role_organizationId_idx").on(t.organizationId),
  ],
);

export const memberships = pgTable(
  "Membership",
  {
    id: idColumn(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade", onUpdate: "cascade" }),
    organizationId: organizationId(),
    roleId: text("roleId")
      .notNull()
      .references(() => roles.id, { onDelete: "restrict", onUpdate: "cascade" }),
  },
  (t) => [
    // permission check on every request: membership of (user, org)
    uniqueIndex("Membership_userId_organizationId_key").on(t.userId, t.organizationId),
    // member list of an organization, admin counting
    index("Membership_organizationId_idx").on(t.organizationId),
  ],
);

export const permissions = pgTable(
  "Permission",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description"),
  },
  (t) => [
    // permission by name (bootstrap, role editing)
    uniqueIndex("Permission_name_key").on(t.name),
  ],
);

/**
 * Prisma's implicit M:N table for the relation "RolePermissions". Prisma's rule: column A references the model whose
 * name sorts first (Permission), B the other (Role). Readable property names, physical names kept.
 */
export const rolePermissions = pgTable(
  "_RolePermissions",
  {
    permissionId: text("A")
      .notNull()
      .references(() => permissions.id, { onDelete: "cascade", onUpdate: "cascade" }),
    roleId: text("B")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade", onUpdate: "cascade" }),
  },
  (t) => [
    primaryKey({ name: "_RolePermissions_AB_pkey", columns: [t.permissionId, t.roleId] }),
    // permission resolution: the permissions of a role (the PK covers lookups by permission)
    index("_RolePermissions_B_index").on(t.roleId),
  ],
);

/**
 * An invitation to join an organization with a role, accepted only through its own link `/invite/<token>`
 * (app/use-cases/invitations.server.ts). Only the SHA-256 of the token is stored; the admin sees the link once.
 * Pending = not accepted and not revoked; it also stops working at `expiresAt`.
 */
export const invitations = pgTable(
  "Invitation",
  {
    id: idColumn(),
    organizationId: organizationId(),
    /** Lower-cased. */
    email: text("email").notNull(),
    /** Deleting the role withdraws its invitations. */
    roleId: text("roleId")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade", onUpdate: "cascade" }),
    /** SHA-256 (hex) of the random token in the link. */
    tokenHash: text("tokenHash").notNull(),
    invitedById: text("invitedById").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    createdAt: ts("createdAt").notNull().defaultNow(),
    expiresAt: ts("expiresAt").notNull(),
    acceptedAt: ts("acceptedAt"),
    acceptedById: text("acceptedById").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    revokedAt: ts("revokedAt"),
  },
  (t) => [
    // opening a link: the invitation of a token
    uniqueIndex("Invitation_tokenHash_key").on(t.tokenHash),
    // one pending invitation per address and organization (also the members page list of pending ones)
    uniqueIndex("Invitation_organizationId_email_pending_key")
      .on(t.organizationId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    // user deletion (set null)
    index("Invitation_invitedById_idx").on(t.invitedById),
    index("Invitation_acceptedById_idx").on(t.acceptedById),
  ],
);

/** Append-only log of membership, role and settings changes (who did what, when). */
export const auditLogs = pgTable(
  "AuditLog",
  {
    id: idColumn(),
    organizationId: organizationId(),
    actorId: text("actorId").references(() => users.id, { onDelete: "set null", onUpdate: "cascade" }),
    /** e.g. "membership.role_changed", "role.created", "organization.updated". */
    action: text("action").notNull(),
    /** e.g. "Membership", "Role", "Organization". */
    targetType: text("targetType").notNull(),
    targetId: text("targetId"),
    meta: jsonb("meta").$type<Record<string, unknown>>(),
    ipAddress: text("ipAddress"),
    createdAt: ts("createdAt").notNull().defaultNow(),
  },
  (t) => [
    // audit page: an organization's log, newest first
    index("AuditLog_organizationId_createdAt_idx").on(t.organizationId, t.createdAt),
    // user deletion (set null)
    index("AuditLog_actorId_idx").on(t.actorId),
  ],
);

/**
 * Form submissions by idempotency key: the first answer of a submit, so a repeat with the same key (double tap,
 * retry, resend) gets that answer and writes nothing new (db/queries/idempotency.server.ts). Kept for minutes, then purged.
 */
export const idempotencyKeys = pgTable(
  "IdempotencyKey",
  {
    id: idColumn(),
    organizationId: organizationId(),
    /** What the key was used for, e.g. "report:<machineId>" or "comment:<issueId>:<userId>". */
    scope: text("scope").notNull(),
    /** The random key the form carried. */
    key: text("key").notNull(),
    /** The first answer, written in the same transaction as the rows it stands for. */
    result: jsonb("result"),
    createdAt: ts("createdAt").notNull().defaultNow(),
  },
  (t) => [
    // one claim per key: concurrent repeats wait for the first and then read its answer
    uniqueIndex("IdempotencyKey_organizationId_scope_key_key").on(t.organizationId, t.scope, t.key),
    // purge of an organization's expired keys
    index("IdempotencyKey_organizationId_createdAt_idx").on(t.organizationId, t.createdAt),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
export type Membership = typeof memberships.$inferSelect;
export type NewMembership = typeof memberships.$inferInsert;
export type Role = typeof roles.$inferSelect;
export type NewRole = typeof roles.$inferInsert;
export type Permission = typeof permissions.$inferSelect;
export type NewPermission = typeof permissions.$inferInsert;
export type RolePermission = typeof rolePermissions.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type NewInvitation = typeof invitations.$inferInsert;
export type AuditLog = typeof auditLogs.$inferSelect;
export type NewAuditLog = typeof auditLogs.$inferInsert;
