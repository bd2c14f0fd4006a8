/**
 * Transactions for query helpers. Kept apart from ./client.ts (which re-exports it) so db/queries modules can use it
 * without pulling the database drivers and Node built-ins into the browser bundle of the routes that import them.
 */
import type { DbOrTx } from "./client.server";

/** Runs `fn` in one transaction; everything it writes commits together or not at all. */
export async function withTransaction<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => fn(tx));
}
