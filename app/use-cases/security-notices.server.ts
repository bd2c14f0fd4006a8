/**
 * Security e-mails about a person's account (no organization, cannot be turned off): "your password was changed"
 * and "someone is trying to sign in". Each is queued in the outbox (db/queries/outbox.server.ts) with the change
 * that causes it; templates are core/mail/account.ts.
 */
import { passwordChangedMail, signInAttemptsMail } from "../../core/mail/account";
import { mailQueuedSince, queueMail } from "../../db/queries/outbox.server";
import { findUserWithPasswordByEmail } from "../../db/queries/users.server";
import { withTransaction } from "../../db/transaction.server";
import type { Db, DbOrTx } from "../lib/db.server";
import { dateFormatterFor } from "../lib/format";
import { RULES } from "../lib/rate-limit.server";
import type { LinkTo } from "../lib/tenant.server";

export const MAIL_KINDS = {
  passwordReset: "password_reset",
  passwordChanged: "password_changed",
  signInAttempts: "sign_in_attempts",
} as const;

/** At most one "someone is trying to sign in" message per account in this time. */
export const SIGN_IN_NOTICE_INTERVAL_MS = 60 * 60_000;

/** Queues "your password was changed" inside the transaction that changed it. */
export async function queuePasswordChangedNotice(
  tx: DbOrTx,
  user: { email: string | null; name: string | null },
  links: LinkTo,
  now: Date,
): Promise<void> {
  if (!user.email) return;
  await queueMail(tx, {
    kind: MAIL_KINDS.passwordChanged,
    organizationId: null,
    to: user.email,
    // An account message belongs to no organization (a person may be in several): its time is in UTC.
    ...passwordChangedMail({
      name: user.name,
      changedAt: dateFormatterFor({}).dateTime(now),
      forgotUrl: links("/forgot-password"),
    }),
  });
}

/**
 * An account crossed its failed sign-in threshold (app/lib/login-throttle.server.ts onAccountFailureThreshold):
 * tells its owner, at most once an hour. Nothing for an address without an account. Never throws: the sign-in
 * answer must not depend on it.
 */
export async function noticeSignInAttempts(db: Db, email: string, failures: number, links: LinkTo): Promise<void> {
  try {
    const user = await findUserWithPasswordByEmail(db, email);
    if (!user?.email || !user.hash) return;
    const to = user.email;
    const now = Date.now();
    await withTransaction(db, async (tx) => {
      if (
        await mailQueuedSince(tx, {
          kind: MAIL_KINDS.signInAttempts,
          toAddress: to,
          since: new Date(now - SIGN_IN_NOTICE_INTERVAL_MS),
        })
      )
        return;
      await queueMail(tx, {
        kind: MAIL_KINDS.signInAttempts,
        organizationId: null,
        to,
        // Two sign-ins crossing the threshold at once queue one message (the check above cannot see the other's).
        dedupeKey: `${MAIL_KINDS.signInAttempts}:${user.id}:${Math.floor(now / SIGN_IN_NOTICE_INTERVAL_MS)}`,
        ...signInAttemptsMail({
          name: user.name,
          failures,
          windowMinutes: RULES.loginAccountSlowdown.windowMs / 60_000,
          forgotUrl: links("/forgot-password"),
        }),
      });
    });
  } catch (error) {
    console.error("[sign-in] could not queue the notice to the account owner", error);
  }
}
