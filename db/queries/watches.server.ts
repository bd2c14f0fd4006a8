/**
 * Members watching an issue or a machine (Watch). The writes are single statements; the notification writer
 * (./notifications.server.ts) reads the watchers of an issue and of its machine with their current membership, so
 * someone who left the organization hears nothing more.
 */
import { and, eq, or } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { memberships, watches } from "../schema";

export type WatchTarget = { issueId: string } | { machineId: string };

function targetWhere(target: WatchTarget) {
  return "issueId" in target ? eq(watches.issueId, target.issueId) : eq(watches.machineId, target.machineId);
}

export async function isWatching(
  db: DbOrTx,
  organizationId: string,
  userId: string,
  target: WatchTarget,
): Promise<boolean> {
  const [row] = await db
    .select({ id: watches.id })
    .from(watches)
    .where(and(eq(watches.organizationId, organizationId), eq(watches.userId, userId), targetWhere(target)))
    .limit(1);
  return Boolean(row);
}

/** Starts watching (once: a repeat changes nothing). The caller checked that the target is the organization's. */
export async function insertWatch(db: DbOrTx, organizationId: string, userId: string, target: WatchTarget) {
  await db
    .insert(watches)
    .values({ organizationId, userId, ...target })
    .onConflictDoNothing();
}

export async function deleteWatch(db: DbOrTx, organizationId: string, userId: string, target: WatchTarget) {
  await db
    .delete(watches)
    .where(and(eq(watches.organizationId, organizationId), eq(watches.userId, userId), targetWhere(target)));
}

/** Who watches the issue or its machine in the organization, each once, with whether they are still a member. */
export async function listIssueWatchers(db: DbOrTx, organizationId: string, issueId: string, machineId: string) {
  const rows = await db
    .selectDistinct({ userId: watches.userId, membershipId: memberships.id })
    .from(watches)
    .leftJoin(
      memberships,
      and(eq(memberships.userId, watches.userId), eq(memberships.organizationId, watches.organizationId)),
    )
    .where(
      and(
        eq(watches.organizationId, organizationId),
        or(eq(watches.issueId, issueId), eq(watches.machineId, machineId)),
      ),
    )
    .orderBy(watches.userId);
  return rows.map((r) => ({ userId: r.userId, isMember: r.membershipId != null }));
}

/** Who watches the machine itself in the organization, with whether they are still a member. */
export async function listMachineWatchers(db: DbOrTx, organizationId: string, machineId: string) {
  const rows = await db
    .select({ userId: watches.userId, membershipId: memberships.id })
    .from(watches)
    .leftJoin(
      memberships,
      and(eq(memberships.userId, watches.userId), eq(memberships.organizationId, watches.organizationId)),
    )
    .where(and(eq(watches.organizationId, organizationId), eq(watches.machineId, machineId)))
    .orderBy(watches.userId);
  return rows.map((r) => ({ userId: r.userId, isMember: r.membershipId != null }));
}
