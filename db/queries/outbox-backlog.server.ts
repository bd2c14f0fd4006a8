/**
 * The outbox backlog for the operator's metrics (server/metrics.ts): how many messages wait and how many failed for
 * good, over the whole installation. Deliberately not scoped by organization: it is a count for whoever runs the
 * process, never shown on a page, and names nothing.
 */
import { count, inArray } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { mailOutbox } from "../schema";

export async function outboxBacklog(db: DbOrTx): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .select({ status: mailOutbox.status, n: count() })
    .from(mailOutbox)
    .where(inArray(mailOutbox.status, ["pending", "failed"]))
    .groupBy(mailOutbox.status);
  const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { pending: of("pending"), failed: of("failed") };
}
