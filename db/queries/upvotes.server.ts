/**
 * "Me too" votes on open issues. A signed-in voter counts once per issue by user id; an anonymous browser once by
 * its random `voterKey` cookie (Upvote has exactly one of the two: a check constraint). Unique indexes make a second
 * vote a no-op, also under concurrent clicks. Anonymous votes also carry a keyed hash of the client's address; the
 * per-address cap and the transaction around these statements live in app/use-cases/reports.server.ts (addMeToo).
 */
import { and, count, eq, gt, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { checkVotedIssueIds } from "../reference/public.server";
import { issueStatuses, issues, upvotes } from "../schema";
import { validationEnabled } from "../validate.server";

export type Voter = { userId: string } | { voterKey: string; addressHash?: string };

function voterCondition(voter: Voter) {
  return "userId" in voter ? eq(upvotes.userId, voter.userId) : eq(upvotes.voterKey, voter.voterKey);
}

/**
 * Whether the issue is an open issue of the organization (on `machineId` when given). With `lock`, the issue row is
 * locked FOR NO KEY UPDATE until the transaction ends: concurrent anonymous votes from one address then take turns
 * counting against the cap, while other votes' foreign-key checks still pass.
 */
export async function findOpenIssueForVote(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  opts: { machineId?: string; lock?: boolean } = {},
): Promise<boolean> {
  const lookup = db
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
  const [issue] = opts.lock ? await lookup.for("no key update", { of: issues }) : await lookup;
  return Boolean(issue);
}

/** Whether the voter already backs this issue of the organization. */
export async function hasVoted(db: DbOrTx, organizationId: string, issueId: string, voter: Voter): Promise<boolean> {
  const [mine] = await db
    .select({ id: upvotes.id })
    .from(upvotes)
    .innerJoin(issues, eq(issues.id, upvotes.issueId))
    .where(and(eq(upvotes.issueId, issueId), eq(issues.organizationId, organizationId), voterCondition(voter)))
    .limit(1);
  return Boolean(mine);
}

/** Anonymous votes on this issue of the organization from one address (its hash) since `since`. */
export async function countVotesFromAddress(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
  addressHash: string,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(upvotes)
    .innerJoin(issues, eq(issues.id, upvotes.issueId))
    .where(
      and(
        eq(upvotes.issueId, issueId),
        eq(issues.organizationId, organizationId),
        eq(upvotes.addressHash, addressHash),
        gt(upvotes.createdAt, since),
      ),
    );
  return Number(row?.n ?? 0);
}

/**
 * Inserts the vote; false when the voter already had one (the unique index decides, also under concurrent clicks).
 * The caller has checked that the issue is an open issue of its organization.
 */
export async function insertUpvote(db: DbOrTx, issueId: string, voter: Voter, now: Date): Promise<boolean> {
  const rows = await db
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
  return rows.length > 0;
}

/** Which of these issues (of the organization) the voter has already backed. */
export async function listVotedIssueIds(
  db: DbOrTx,
  organizationId: string,
  issueIds: string[],
  voter: Voter | null,
): Promise<string[]> {
  if (!voter || !issueIds.length) return [];
  const rows = await db
    .select({ issueId: upvotes.issueId })
    .from(upvotes)
    .innerJoin(issues, eq(issues.id, upvotes.issueId))
    .where(and(eq(issues.organizationId, organizationId), inArray(upvotes.issueId, issueIds), voterCondition(voter)));
  const ids = rows.map((r) => r.issueId);
  if (validationEnabled()) await checkVotedIssueIds(db, organizationId, issueIds, voter, ids);
  return ids;
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
