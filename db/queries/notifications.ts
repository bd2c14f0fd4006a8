import { and, count, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { notifications } from "../schema";

export async function countUnreadNotifications(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false)));
  return Number(row?.n ?? 0);
}
