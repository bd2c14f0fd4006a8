/**
 * "Me too" votes on open issues. A signed-in voter counts once per issue by user id; an anonymous browser once by
 * its random `voterKey` cookie (Upvote has exactly one of the two: a check constraint). Unique indexes make a second
 * vote a no-op, also under concurrent clicks. Anonymous votes also carry a keyed hash of the client's address, and
 * at most `addressCap.max` of them per issue and address count within `addressCap.windowMs` (a browser that drops
 * its cookie gets a new key, not a new vote).
 */
import { and, count, eq, gt, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { withTransaction } from "../transaction.server";
import { issueStatuses, issues, upvotes } from "../schema";

export type Voter = { userId: string } | { voterKey: string; addressHash?: string };

function voterCondition(voter: Voter) {
  return "userId" in voter ? eq(upvotes.userId, voter.userId) : eq(upvotes.voterKey, voter.voterKey);
}

export type UpvoteResult = "added" | "already" | "not_found" | "address_cap";

/** Adds a vote to an open issue of the organization (optionally required to be on `machineId`). */
export async function addUpvote(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  voter: Voter,
  opts: { machineId?: string; addressCap?: { max: number; windowMs: number }; now?: Date } = {},
): Promise<UpvoteResult> {
  const now = opts.now ?? new Date();
  return withTransaction(db, async (tx) => {
    const capped =
      "voterKey" in voter && voter.addressHash && opts.addressCap
        ? { max: opts.addressCap.max, since: new Date(now.getTime() - opts.addressCap.windowMs), addressHash: voter.addressHash }
        : null;
    // The issue row is locked while an anonymous vote is counted against its address cap, so concurrent votes from
    // one address cannot all see room under the cap (NO KEY UPDATE: other votes' foreign-key checks still pass).
    const lookup = tx
      .select({ id: issues.id })
      .from(issues)
      .innerJoin(issueStatuses, eq(issueStatuses.id, issues.statusId))
      .where(
        and(
          eq(issues.id, issueId),
          eq(issues.organizationId, organizationId),
          ne(issueStatuses.category, "RESOLVED"),
          opts.machineId ? eq(issues.machineId, opts.machineId) : undefined,
        ),
      )
      .limit(1);
    const [issue] = capped ? await lookup.for("no key update", { of: issues }) : await lookup;
    if (!issue) return "not_found";
    if (capped) {
      const [mine] = await tx
        .select({ id: upvotes.id })
        .from(upvotes)
        .where(and(eq(upvotes.issueId, issueId), voterCondition(voter)))
        .limit(1);
      if (mine) return "already";
      const [fromAddress] = await tx
        .select({ n: count() })
        .from(upvotes)
        .where(and(eq(upvotes.issueId, issueId), eq(upvotes.addressHash, capped.addressHash), gt(upvotes.createdAt, capped.since)));
      if (Number(fromAddress.n) >= capped.max) return "address_cap";
    }
    const rows = await tx
      .insert(upvotes)
      .values({
        issueId,
        createdAt: now,
        userId: "userId" in voter ? voter.userId : null,
        voterKey: "voterKey" in voter ? voter.voterKey : null,
        addressHash: "voterKey" in voter ? (voter.addressHash ?? null) : null,
      })
      .onConflictDoNothing()
      .returning({ id: upvotes.id });
    return rows.length ? "added" : "already";
  });
}

/** Which of these issues (of the organization) the voter has already backed. */
export async function listVotedIssueIds(db: DbOrTx, organizationId: string, issueIds: string[], voter: Voter | null): Promise<string[]> {
  if (!voter || !issueIds.length) return [];
  const rows = await db
    .select({ issueId: upvotes.issueId })
    .from(upvotes)
    .innerJoin(issues, eq(issues.id, upvotes.issueId))
    .where(and(eq(issues.organizationId, organizationId), inArray(upvotes.issueId, issueIds), voterCondition(voter)));
  return rows.map((r) => r.issueId);
}

/** Vote count of one issue of the organization. */
export async function countUpvotes(db: DbOrTx, organizationId: string, issueId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(upvotes)
    .innerJoin(issues, eq(issues.id, upvotes.issueId))
    .where(and(eq(upvotes.issueId, issueId), eq(issues.organizationId, organizationId)));
  return Number(row?.n ?? 0);
}
