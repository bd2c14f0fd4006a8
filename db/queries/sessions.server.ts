import { and, eq, ne } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { sessions } from "../schema";

export async function insertSession(
  db: DbOrTx,
  values: {
    sessionToken: string;
    userId: string;
    expires: Date;
    lastSeenAt: Date;
    ipAddress: string | null;
    userAgent: string | null;
  },
) {
  await db.insert(sessions).values(values);
}

export async function touchSession(db: DbOrTx, id: string, at: Date) {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
}

export async function deleteSession(db: DbOrTx, id: string) {
  await db.delete(sessions).where(eq(sessions.id, id));
}

export async function deleteSessionByToken(db: DbOrTx, sessionToken: string) {
  await db.delete(sessions).where(eq(sessions.sessionToken, sessionToken));
}

/** "Sign out everywhere", or every other session after a password change when `keepSessionId` is given. */
export async function deleteUserSessions(db: DbOrTx, userId: string, keepSessionId?: string) {
  await db
    .delete(sessions)
    .where(
      keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId),
    );
}

export async function countUserSessions(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  return rows.length;
}
