/**
 * At most once per idempotency key: a form carries a random key, and a repeat of the submit with that key (double
 * tap, a retry after a lost answer, a browser's resend) within IDEMPOTENCY_WINDOW_MS gets the first answer and
 * writes nothing. The key is claimed by inserting its row in the SAME transaction as the write it stands for:
 * - a concurrent repeat's INSERT waits on the unique index until the first transaction ends, then finds the row
 *   and reads the answer stored with it (committed together with the write);
 * - when the first write fails, its transaction rolls back with the claim, so a repeat may try again.
 * One statement per helper; the transaction around claim and write is the caller's (app/use-cases/run-once.server.ts).
 */
import { and, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { withTransaction } from "../transaction.server";
import { idempotencyKeys } from "../schema";

/** How long a key's first answer is kept and replayed. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60_000;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

export interface IdempotencyClaim {
  organizationId: string;
  /** What the key is used for (e.g. "report:<machineId>"): the same key elsewhere is a different submit. */
  scope: string;
  key: string;
}

/** The stored answer of a claim still within the window, or null (a cheap look before costly work). */
export async function findAnswer<T extends JsonValue>(db: DbOrTx, claim: IdempotencyClaim, opts: { now?: Date } = {}): Promise<T | null> {
  const cutoff = idempotencyCutoff(opts.now ?? new Date());
  const [row] = await db
    .select({ result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt })
    .from(idempotencyKeys)
    .where(sameClaim(claim))
    .limit(1);
  return row && row.createdAt >= cutoff && row.result ? (row.result as { value: T }).value : null;
}

function sameClaim(claim: IdempotencyClaim) {
  return and(eq(idempotencyKeys.organizationId, claim.organizationId), eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key));
}

/** The cutoff of the window: claims made before it are expired. */
export function idempotencyCutoff(now: Date): Date {
  return new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
}

/** Deletes the organization's expired claims. */
export async function purgeExpiredKeys(db: DbOrTx, organizationId: string, cutoff: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.organizationId, organizationId), lt(idempotencyKeys.createdAt, cutoff)));
}

/**
 * Claims the key: its row id, or null when the key is taken. Inside a transaction, a concurrent claim of the same key
 * waits on the unique index until this transaction ends.
 */
export async function claimKey(tx: DbOrTx, claim: IdempotencyClaim, now: Date): Promise<string | null> {
  const [claimed] = await tx
    .insert(idempotencyKeys)
    .values({ organizationId: claim.organizationId, scope: claim.scope, key: claim.key, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: idempotencyKeys.id });
  return claimed?.id ?? null;
}

/** The claim's row (its stored answer and when it was made), or null when there is none. */
export async function readClaim<T extends JsonValue>(tx: DbOrTx, claim: IdempotencyClaim): Promise<{ result: T; createdAt: Date } | null> {
  const [row] = await tx.select({ result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt }).from(idempotencyKeys).where(sameClaim(claim));
  return row ? { result: (row.result as { value: T } | null)?.value as T, createdAt: row.createdAt } : null;
}

/** Deletes the claim when it is older than `cutoff` (expired but not purged yet). */
export async function deleteExpiredClaim(tx: DbOrTx, claim: IdempotencyClaim, cutoff: Date): Promise<void> {
  await tx.delete(idempotencyKeys).where(and(sameClaim(claim), lt(idempotencyKeys.createdAt, cutoff)));
}

/** Stores the first answer with the claim (in the transaction of the write it stands for). */
export async function storeAnswer(tx: DbOrTx, organizationId: string, claimId: string, result: JsonValue): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ result: { value: result } })
    .where(and(eq(idempotencyKeys.id, claimId), eq(idempotencyKeys.organizationId, organizationId)));
}

/**
 * Runs `write` in a transaction, once per claim: a repeat within the window returns the stored answer with
 * `replayed: true`. Without a claim (a form from before keys) it simply runs. `write`'s answer must be JSON.
 *
 * Kept for the routes that still write from db/queries (issues.new, issues.$issueId); converted use cases call
 * app/use-cases/run-once.server.ts, which opens the transaction itself and uses the statements above.
 */
export async function runOnce<T extends JsonValue>(
  db: DbOrTx,
  claim: IdempotencyClaim | null,
  write: (tx: DbOrTx) => Promise<T>,
  opts: { now?: Date } = {},
): Promise<{ result: T; replayed: boolean }> {
  if (!claim) return { result: await withTransaction(db, write), replayed: false };
  const now = opts.now ?? new Date();
  const cutoff = idempotencyCutoff(now);
  // Expired keys of this organization go opportunistically, outside the claim's transaction so that concurrent
  // claims do not queue behind one another's purge.
  await purgeExpiredKeys(db, claim.organizationId, cutoff);
  // A row can vanish between the conflict and the read only when another purge removed it as expired: try again.
  for (let attempt = 0; ; attempt++) {
    const outcome = await withTransaction(db, async (tx) => {
      const claimId = await claimKey(tx, claim, now);
      if (!claimId) {
        const first = await readClaim<T>(tx, claim);
        if (!first) return null;
        if (first.createdAt >= cutoff) return { result: first.result, replayed: true };
        // Expired but not purged yet (it aged during this request): start over with a fresh claim.
        await deleteExpiredClaim(tx, claim, cutoff);
        return null;
      }
      const result = await write(tx);
      await storeAnswer(tx, claim.organizationId, claimId, result);
      return { result, replayed: false };
    });
    if (outcome) return outcome;
    if (attempt >= 2) throw new Error("could not claim the idempotency key");
  }
}
