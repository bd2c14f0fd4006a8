/**
 * E-mail links that prove an address (VerificationToken): the sign-up verification link and the link that confirms
 * a new address. Only the SHA-256 of a link's token is stored (`token`); `identifier` says what the link does and
 * for whom (`verify:<userId>:<email>` or `email-change:<userId>:<new email>`, app/use-cases/email-verification.server.ts).
 * A used link keeps its row with `expires` moved to the epoch, so opening it again answers "used or expired".
 * Accounts are global: these helpers take no organization.
 */
import { and, eq, gt, like } from "drizzle-orm";
import type { DbOrTx } from "../client.server";
import { verificationTokens } from "../schema";

const USED = new Date(0);

export async function insertVerificationToken(
  db: DbOrTx,
  input: { identifier: string; tokenHash: string; expires: Date },
): Promise<void> {
  await db
    .insert(verificationTokens)
    .values({ identifier: input.identifier, token: input.tokenHash, expires: input.expires });
}

/** Retires every link whose identifier starts with `prefix` (a new link replaces the older ones). */
export async function retireVerificationTokens(db: DbOrTx, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  await db.update(verificationTokens).set({ expires: USED }).where(like(verificationTokens.identifier, pattern));
}

export async function findVerificationToken(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({ identifier: verificationTokens.identifier, expires: verificationTokens.expires })
    .from(verificationTokens)
    .where(eq(verificationTokens.token, tokenHash))
    .limit(1);
  return row ?? null;
}

/**
 * Uses a link: only while it is unexpired at `now`, in one statement, so two submits of one link cannot both pass.
 * Answers its identifier, or null.
 */
export async function useVerificationToken(db: DbOrTx, tokenHash: string, now: Date): Promise<string | null> {
  const [row] = await db
    .update(verificationTokens)
    .set({ expires: USED })
    .where(and(eq(verificationTokens.token, tokenHash), gt(verificationTokens.expires, now)))
    .returning({ identifier: verificationTokens.identifier });
  return row?.identifier ?? null;
}
