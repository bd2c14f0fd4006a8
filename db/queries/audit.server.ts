/**
 * AuditLog: append-only rows for membership, role and settings changes. Call `recordAudit` with the same
 * transaction as the change, so the change and its log row commit (or roll back) together.
 */
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { auditLogs } from "../schema";

export interface AuditEntry {
  organizationId: string;
  actorId: string | null;
  /** e.g. "invitation.created", "membership.role_changed", "role.created". */
  action: string;
  targetType: string;
  targetId: string | null;
  /** Small, user-safe details (names, before/after). Never passwords or tokens. */
  meta?: Record<string, unknown>;
  ipAddress?: string | null;
}

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLogs).values({
    organizationId: entry.organizationId,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    meta: entry.meta ?? null,
    ipAddress: entry.ipAddress?.slice(0, 64) ?? null,
  });
}

/** The newest audit rows of an organization (for admin pages and tests). */
export async function listAuditLog(db: DbOrTx, organizationId: string, opts: { limit?: number; action?: string } = {}) {
  return db
    .select({
      id: auditLogs.id,
      actorId: auditLogs.actorId,
      action: auditLogs.action,
      targetType: auditLogs.targetType,
      targetId: auditLogs.targetId,
      meta: auditLogs.meta,
      createdAt: auditLogs.createdAt,
    })
    .from(auditLogs)
    .where(
      opts.action
        ? and(eq(auditLogs.organizationId, organizationId), eq(auditLogs.action, opts.action))
        : eq(auditLogs.organizationId, organizationId),
    )
    .orderBy(desc(auditLogs.createdAt))
    .limit(Math.min(opts.limit ?? 50, 500));
}
