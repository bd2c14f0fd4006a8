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
export async function findAnswer<T extends JsonValue>(
  db: DbOrTx,
  claim: IdempotencyClaim,
  opts: { now?: Date } = {},
): Promise<T | null> {
  const cutoff = idempotencyCutoff(opts.now ?? new Date());
  const [row] = await db
    .select({ result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt })
    .from(idempotencyKeys)
    .where(sameClaim(claim))
    .limit(1);
  return row && row.createdAt >= cutoff && row.result ? (row.result as { value: T }).value : null;
}

function sameClaim(claim: IdempotencyClaim) {
  return and(
    eq(idempotencyKeys.organizationId, claim.organizationId),
    eq(idempotencyKeys.scope, claim.scope),
    eq(idempotencyKeys.key, claim.key),
  );
}

/** The cutoff of the window: claims made before it are expired. */
export function idempotencyCutoff(now: Date): Date {
  return new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
}

/** Deletes the organization's expired claims. */
export async function purgeExpiredKeys(db: DbOrTx, organizationId: string, cutoff: Date): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, organizationId), lt(idempotencyKeys.createdAt, cutoff)));
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
export async function readClaim<T extends JsonValue>(
  tx: DbOrTx,
  claim: IdempotencyClaim,
): Promise<{ result: T; createdAt: Date } | null> {
  const [row] = await tx
    .select({ result: idempotencyKeys.result, createdAt: idempotencyKeys.createdAt })
    .from(idempotencyKeys)
    .where(sameClaim(claim));
  return row ? { result: (row.result as { value: T } | null)?.value as T, createdAt: row.createdAt } : null;
}

/** Deletes the claim when it is older than `cutoff` (expired but not purged yet). */
export async function deleteExpiredClaim(tx: DbOrTx, claim: IdempotencyClaim, cutoff: Date): Promise<void> {
  await tx.delete(idempotencyKeys).where(and(sameClaim(claim), lt(idempotencyKeys.createdAt, cutoff)));
}

/** Stores the first answer with the claim (in the transaction of the write it stands for). */
export async function storeAnswer(
  tx: DbOrTx,
  organizationId: string,
  claimId: string,
  result: JsonValue,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ result: { value: result } })
    .where(and(eq(idempotencyKeys.id, claimId), eq(idempotencyKeys.organizationId, organizationId)));
}
