import { and, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { passwords, users } from "../schema";

export async function findUserWithPasswordByEmail(db: DbOrTx, email: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, hash: passwords.hash })
    .from(users)
    .leftJoin(passwords, eq(passwords.userId, users.id))
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return row ?? null;
}

export async function findPasswordHash(db: DbOrTx, userId: string): Promise<string | null> {
  const [row] = await db.select({ hash: passwords.hash }).from(passwords).where(eq(passwords.userId, userId)).limit(1);
  return row?.hash ?? null;
}

export async function setPasswordHash(db: DbOrTx, userId: string, hash: string) {
  await db
    .insert(passwords)
    .values({ userId, hash })
    .onConflictDoUpdate({ target: passwords.userId, set: { hash, updatedAt: new Date() } });
}

/**
 * Inserts a user, or returns null when the e-mail is taken (the unique index). Stored e-mails are lower-cased; the
 * index is case-sensitive, so callers check userExistsWithEmail first, in the same transaction. `emailVerified` is
 * set when the caller knows the address (an invitation link sent to it); a plain sign-up leaves it null.
 */
export async function insertUser(
  db: DbOrTx,
  input: { email: string; name: string; emailVerified?: Date | null },
): Promise<{ id: string } | null> {
  const [created] = await db
    .insert(users)
    .values({ email: input.email.toLowerCase(), name: input.name, emailVerified: input.emailVerified ?? null })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return created ?? null;
}

/** Whether any user has this e-mail (any case). */
export async function userExistsWithEmail(db: DbOrTx, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return Boolean(row);
}

export async function getUserProfile(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, bio: users.bio, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ?? null;
}

export async function updateUserProfile(db: DbOrTx, userId: string, values: { name: string; bio: string | null }) {
  await db.update(users).set(values).where(eq(users.id, userId));
}

/** The address of an account and whether it was proved (null: no such account). */
export async function findUserEmailState(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ?? null;
}

/** Marks the account's address proved, only while it still is `email` (a link for an older address does nothing). */
export async function markEmailVerified(db: DbOrTx, userId: string, email: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ emailVerified: now })
    .where(and(eq(users.id, userId), sql`lower(${users.email}) = ${email.toLowerCase()}`))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Whether another account than `userId` has this e-mail (any case). */
export async function emailTakenByOther(db: DbOrTx, email: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, ne(users.id, userId)))
    .limit(1);
  return Boolean(row);
}

/** Sets a new, proved address (the link sent to it was opened). */
export async function setUserEmail(db: DbOrTx, userId: string, email: string, now: Date): Promise<void> {
  await db.update(users).set({ email: email.toLowerCase(), emailVerified: now }).where(eq(users.id, userId));
}
