/**
 * Transactions for query helpers. Kept apart from ./client.ts (which re-exports it) so db/queries modules can use it
 * without pulling the database drivers and Node built-ins into the browser bundle of the routes that import them.
 */
import type { DbOrTx } from "./client.server";

// What to run once a transaction has committed, per open transaction object (see afterCommit).
const pendingAfterCommit = new WeakMap<object, Array<() => void>>();

/** Runs `fn` in one transaction; everything it writes commits together or not at all. */
export async function withTransaction<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  const after: Array<() => void> = [];
  const result = await db.transaction(async (tx) => {
    pendingAfterCommit.set(tx, after);
    return fn(tx);
  });
  // A nested transaction (a savepoint) commits for real only with its outer one.
  const outer = pendingAfterCommit.get(db);
  if (outer) outer.push(...after);
  else for (const callback of after) runQuietly(callback);
  return result;
}

/**
 * Runs `callback` after the transaction `db` belongs to has committed (never when it rolls back), or at once when
 * `db` is not a transaction opened by withTransaction. For signals to other parts of the process, such as waking
 * the mail worker once a queued message is visible to it (db/queries/outbox.server.ts); errors are only logged.
 */
export function afterCommit(db: DbOrTx, callback: () => void): void {
  const pending = pendingAfterCommit.get(db);
  if (pending) pending.push(callback);
  else runQuietly(callback);
}

function runQuietly(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    console.error("after-commit callback failed", error);
  }
}
