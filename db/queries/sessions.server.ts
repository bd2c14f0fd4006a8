import { and, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { sessions, users } from "../schema";
import { reusableQuery } from "../reusable-query.server";

// Asked on every request that carries a session cookie (app/lib/session.server.ts).
const sessionWithUserQuery = reusableQuery("session_with_user", (db, name) =>
  db
    .select({
      sessionId: sessions.id,
      expires: sessions.expires,
      lastSeenAt: sessions.lastSeenAt,
      userId: users.id,
      name: users.name,
      email: users.email,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.sessionToken, sql.placeholder("sessionToken")))
    .limit(1)
    .prepare(name),
);

export async function findSessionWithUser(db: DbOrTx, sessionToken: string) {
  const [row] = await sessionWithUserQuery(db).execute({ sessionToken });
  return row ?? null;
}

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
