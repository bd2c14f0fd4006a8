/**
 * At most once per idempotency key: a form carries a random key, and a repeat of the submit with that key (double
 * tap, a retry after a lost answer, a browser's resend) within IDEMPOTENCY_WINDOW_MS gets the first answer and
 * writes nothing. The key is claimed by inserting its row in the SAME transaction as the write it stands for:
 * - a concurrent repeat's INSERT waits on the unique index until the first transaction ends, then finds the row
 *   and reads the answer stored with it (committed together with the write);
 * - when the first write fails, its transaction rolls back with the claim, so a repeat may try again.
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
  const cutoff = new Date((opts.now ?? new Date()).getTime() - IDEMPOTENCY_WINDOW_MS);
  const [row] = await db
    .select({ result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, claim.organizationId), eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key)))
    .limit(1);
  return row && row.createdAt >= cutoff && row.result ? (row.result as { value: T }).value : null;
}

/**
 * Runs `write` in a transaction, once per claim: a repeat within the window returns the stored answer with
 * `replayed: true`. Without a claim (a form from before keys) it simply runs. `write`'s answer must be JSON.
 */
export async function runOnce<T extends JsonValue>(
  db: DbOrTx,
  claim: IdempotencyClaim | null,
  write: (tx: DbOrTx) => Promise<T>,
  opts: { now?: Date } = {},
): Promise<{ result: T; replayed: boolean }> {
  if (!claim) return { result: await withTransaction(db, write), replayed: false };
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
  // Expired keys of this organization go opportunistically, outside the claim's transaction so that concurrent
  // claims do not queue behind one another's purge.
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.organizationId, claim.organizationId), lt(idempotencyKeys.createdAt, cutoff)));
  const same = and(
    eq(idempotencyKeys.organizationId, claim.organizationId),
    eq(idempotencyKeys.scope, claim.scope),
    eq(idempotencyKeys.key, claim.key),
  );
  // A row can vanish between the conflict and the read only when another purge removed it as expired: try again.
  for (let attempt = 0; ; attempt++) {
    const outcome = await withTransaction(db, async (tx) => {
      const [claimed] = await tx
        .insert(idempotencyKeys)
        .values({ organizationId: claim.organizationId, scope: claim.scope, key: claim.key, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: idempotencyKeys.id });
      if (!claimed) {
        const [first] = await tx.select({ result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt }).from(idempotencyKeys).where(same);
        if (!first) return null;
        if (first.createdAt >= cutoff) return { result: (first.result as { value: T }).value, replayed: true };
        // Expired but not purged yet (it aged during this request): start over with a fresh claim.
        await tx.delete(idempotencyKeys).where(and(same, lt(idempotencyKeys.createdAt, cutoff)));
        return null;
      }
      const result = await write(tx);
      await tx
        .update(idempotencyKeys)
        .set({ result: { value: result } })
        .where(and(eq(idempotencyKeys.id, claimed.id), eq(idempotencyKeys.organizationId, claim.organizationId)));
      return { result, replayed: false };
    });
    if (outcome) return outcome;
    if (attempt >= 2) throw new Error("could not claim the idempotency key");
  }
}
