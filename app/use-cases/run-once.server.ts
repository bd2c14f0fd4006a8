/**
 * A write at most once per idempotency key (db/queries/idempotency.server.ts explains the claim): the claim and the
 * write share ONE transaction, so a concurrent repeat waits for the first and then reads its answer, and a failed
 * write rolls its claim back (a retry may try again). Use cases call this instead of opening the transaction
 * themselves when their form carries a key (app/lib/idempotency.server.ts reads it).
 */
import {
  claimKey,
  deleteExpiredClaim,
  findAnswer,
  idempotencyCutoff,
  purgeExpiredKeys,
  readClaim,
  storeAnswer,
  type IdempotencyClaim,
  type JsonValue,
} from "../../db/queries/idempotency.server";
import { withTransaction } from "../../db/transaction.server";
import type { DbOrTx } from "../lib/db.server";

export type { IdempotencyClaim, JsonValue };

/** The first answer of a claim still within the window, or null: a cheap look before costly work (saving a photo). */
export function earlierAnswer<T extends JsonValue>(db: DbOrTx, claim: IdempotencyClaim | null): Promise<T | null> {
  return claim ? findAnswer<T>(db, claim) : Promise.resolve(null);
}

/**
 * Runs `write` in one transaction, once per claim: a repeat within the window gets the stored answer with
 * `replayed: true` and writes nothing. Without a claim (a form from before keys) it simply runs. The answer is JSON.
 */
export async function runOnce<T extends JsonValue>(
  db: DbOrTx,
  claim: IdempotencyClaim | null,
  write: (tx: DbOrTx) => Promise<T>,
  now = new Date(),
): Promise<{ result: T; replayed: boolean }> {
  if (!claim) return { result: await withTransaction(db, write), replayed: false };
  const cutoff = idempotencyCutoff(now);
  // Expired keys of this organization go opportunistically, outside the claim's transaction so that concurrent
  // claims do not queue behind one another's purge.
  await purgeExpiredKeys(db, claim.organizationId, cutoff);
  // A row can vanish between the conflict and the read only when another purge removed it as expired: try again.
  for (let attempt = 0; attempt < 3; attempt++) {
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
  }
  throw new Error("could not claim the idempotency key");
}
