/**
 * Members watching an issue or a machine (Watch). The writes are single statements; the notification writer
 * (./notifications.server.ts) reads the watchers of an issue and of its machine with their current membership, so
 * someone who left the organization hears nothing more.
 */
import { and, eq, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { reusableQuery } from "../reusable-query.server";
import { memberships, watches } from "../schema";

export type WatchTarget = { issueId: string } | { machineId: string };

function targetWhere(target: WatchTarget) {
  return "issueId" in target ? eq(watches.issueId, target.issueId) : eq(watches.machineId, target.machineId);
}

function targetIdOf(target: WatchTarget): string {
  return "issueId" in target ? target.issueId : target.machineId;
}

// On every issue and machine page a member opens.
const watchQuery = (column: typeof watches.issueId | typeof watches.machineId) => (db: DbOrTx, name: string) =>
  db
    .select({ id: watches.id })
    .from(watches)
    .where(
      and(
        eq(watches.organizationId, sql.placeholder("organizationId")),
        eq(watches.userId, sql.placeholder("userId")),
        eq(column, sql.placeholder("targetId")),
      ),
    )
    .limit(1)
    .prepare(name);
const issueWatchQuery = reusableQuery("issue_watch", watchQuery(watches.issueId));
const machineWatchQuery = reusableQuery("machine_watch", watchQuery(watches.machineId));

export async function isWatching(
  db: DbOrTx,
  organizationId: string,
  userId: string,
  target: WatchTarget,
): Promise<boolean> {
  const query = "issueId" in target ? issueWatchQuery : machineWatchQuery;
  const [row] = await query(db).execute({ organizationId, userId, targetId: targetIdOf(target) });
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

/**
 * Who watches the machine (and, given an issue of it, that issue) in the organization, each once, with whether they
 * are still a member.
 */
export async function listWatchers(
  db: DbOrTx,
  organizationId: string,
  target: { machineId: string; issueId?: string },
) {
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
        target.issueId
          ? or(eq(watches.issueId, target.issueId), eq(watches.machineId, target.machineId))
          : eq(watches.machineId, target.machineId),
      ),
    )
    .orderBy(watches.userId);
  return rows.map((r) => ({ userId: r.userId, isMember: r.membershipId != null }));
}
