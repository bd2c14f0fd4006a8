import { eq, sql } from "drizzle-orm";
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
 * Creates the account, or claims an invited one: an invitation creates a User with emailVerified null and no
 * password; signing up with that email sets the password and marks the email as confirmed by the sign-up.
 * Returns null when an account with a password already exists for the email.
 */
export async function createOrClaimUser(db: DbOrTx, input: { email: string; name: string; hash: string }) {
  return db.transaction(async (tx) => {
    const existing = await findUserWithPasswordByEmail(tx as unknown as DbOrTx, input.email);
    if (existing?.hash) return null;
    let userId: string;
    if (existing) {
      userId = existing.id;
      await tx.update(users).set({ name: existing.name ?? input.name, emailVerified: new Date() }).where(eq(users.id, userId));
    } else {
      const [created] = await tx.insert(users).values({ email: input.email.toLowerCase(), name: input.name }).returning({ id: users.id });
      userId = created.id;
    }
    await tx.insert(passwords).values({ userId, hash: input.hash });
    return { id: userId };
  });
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
