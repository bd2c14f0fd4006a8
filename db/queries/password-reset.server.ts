/**
 * Password-reset tokens (PasswordResetToken): only SHA-256 hashes are stored and looked up; the tokens are made by
 * app/use-cases/password-reset.server.ts. Accounts are global, so these helpers take no organization.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { passwordResetTokens, users } from "../schema";

export async function insertResetToken(
  db: DbOrTx,
  input: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(passwordResetTokens).values(input);
}

/** The token's row with its account's address, or null. */
export async function findResetToken(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({
      id: passwordResetTokens.id,
      userId: passwordResetTokens.userId,
      expiresAt: passwordResetTokens.expiresAt,
      usedAt: passwordResetTokens.usedAt,
      email: users.email,
      name: users.name,
    })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

/**
 * Uses the token: marks it used only while it is unused and unexpired at `now`, the one statement that makes a link
 * single-use (two concurrent submits cannot both pass). Its user's id, or null.
 */
export async function useResetToken(db: DbOrTx, tokenHash: string, now: Date): Promise<{ userId: string } | null> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  return row ?? null;
}

/** Retires every other unused link of the user (after a reset, older e-mails stop working). */
export async function retireResetTokens(db: DbOrTx, userId: string, now: Date): Promise<void> {
  await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
}
